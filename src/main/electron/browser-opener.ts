import { shell } from 'electron';
import { AppError } from '../errors';
import { createLogger } from '../log';
import type { BrowserOpener } from '../oauth/browser-opener';
import { decideExternalUrl, type ExternalUrlPolicy } from '../security/external-urls';

const log = createLogger('browser-opener');

/**
 * The only caller of `shell.openExternal`. The decision is made by the pure policy
 * (src/main/security/external-urls.ts); this adapter just enforces it and says why it refused.
 */
export class ElectronBrowserOpener implements BrowserOpener {
  /**
   * `policy` is read per call: demo mode and the simulator's port can change while the app runs.
   * `launch` is `shell.openExternal` except in test mode (electron/test-mode.ts), where the URL is handed
   * to the e2e harness instead; the policy applies either way.
   */
  constructor(
    private readonly policy: () => ExternalUrlPolicy,
    private readonly launch: (url: string) => Promise<void> = (url) =>
      shell.openExternal(url, { activate: true }),
  ) {}

  async open(url: string): Promise<void> {
    const decision = decideExternalUrl(url, this.policy());
    if (!decision.allowed) {
      log.warn('refused to open a link outside the app', { reason: decision.reason });
      throw new AppError(
        'URL_REFUSED',
        `TokenDesk will not open this link in your browser: ${decision.reason}.`,
        { hint: 'Only Zoho sign-in pages (and the built-in simulator in demo mode) are opened.' },
      );
    }
    await this.launch(decision.url);
  }
}
