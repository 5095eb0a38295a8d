import type { TokenView } from '../../shared/ipc/views';
import { createLogger } from '../log';
import { consoleUserName } from '../tokens/user-name';

const log = createLogger('tokens.attention');

/**
 * How the app tells a person, outside its window, that tokens need them (docs/health.md "Signals"). The
 * core decides when; the Electron edge implements it (OS notification, dock/taskbar badge:
 * src/main/electron/attention-signals.ts). Both calls may be ignored where the system has no such thing.
 */
export interface AttentionSignals {
  /** The number of tokens that need re-authorisation; 0 clears the badge. */
  setBadgeCount(count: number): void;
  /** One OS notification, plain words only (user emails at most, never a secret). */
  notify(notice: { readonly title: string; readonly body: string }): void;
}

/** Names listed in one notification; the rest are counted. */
const NAMES_SHOWN = 3;

/**
 * Watches the token list as main sees it (after each list and each job): keeps the badge at the number of
 * tokens needing re-authorisation, and notifies once per token when it first needs it in this run, so a
 * list polled every 30 s does not notify again and again.
 */
export class AttentionMonitor {
  private notified = new Set<string>();
  private lastCount: number | null = null;

  constructor(private readonly signals: AttentionSignals) {}

  observe(views: readonly TokenView[]): void {
    const needing = views.filter((v) => v.status === 'reauth');
    const fresh = needing.filter((v) => !this.notified.has(v.id));
    // A token re-authorised (or deleted) since may need it again later: it is forgotten here.
    this.notified = new Set(needing.map((v) => v.id));
    try {
      if (this.lastCount !== needing.length) this.signals.setBadgeCount(needing.length);
      this.lastCount = needing.length;
      if (fresh.length === 0) return;
      const names = fresh.map((v) => consoleUserName(v.userName) ?? v.id);
      const shown = names.slice(0, NAMES_SHOWN).join(', ');
      const more = names.length > NAMES_SHOWN ? ` and ${names.length - NAMES_SHOWN} more` : '';
      this.signals.notify({
        title:
          fresh.length === 1
            ? 'A token needs re-authorisation'
            : `${fresh.length} tokens need re-authorisation`,
        body: `Zoho no longer accepts the refresh token of ${shown}${more}. Open TokenDesk and use Re-authorise.`,
      });
    } catch (error) {
      // A notification that cannot be shown changes nothing about the tokens.
      log.warn('could not show the attention signals', {
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  }

  /** The store locked: nothing is known any more, so the badge goes. */
  reset(): void {
    this.notified.clear();
    if (this.lastCount !== 0 && this.lastCount !== null) {
      try {
        this.signals.setBadgeCount(0);
      } catch {
        // As above.
      }
    }
    this.lastCount = null;
  }
}

/** Where the edge gives none (plain Node, the e2e harness): signals go nowhere. */
export const noAttentionSignals: AttentionSignals = { setBadgeCount: () => {}, notify: () => {} };
