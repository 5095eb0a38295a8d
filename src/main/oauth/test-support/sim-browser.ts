import { DEMO_CLIENT } from '../../../../sim/demo-data';
import type { ZohoSimulator } from '../../../../sim/simulator';
import type { BrowserOpener } from '../browser-opener';

/** What the "browser" saw when it followed Zoho's redirect to the loopback server. */
export interface BrowserVisit {
  readonly callbackUrl: string;
  readonly status: number;
  readonly html: string;
}

export interface SimBrowserOptions {
  readonly decision?: 'accept' | 'deny';
  /** Which simulator user signs in (their home DC issues the code). */
  readonly email: string;
  /**
   * Callback URLs to visit instead of (or before) the real one: each gets the real callback URL and
   * returns the URL to request. Default: the real one, unchanged.
   */
  readonly callbacks?: readonly ((real: URL) => URL)[];
  /** Do nothing at all (a user who never finishes the consent page). */
  readonly idle?: boolean;
}

/**
 * A BrowserOpener for tests that acts like a person at the simulator's consent page: loads it, presses
 * Accept or Deny, and follows Zoho's redirect to the loopback server. It also registers the loopback
 * redirect URI on the demo client first, as an admin would in Zoho's API console.
 */
export class SimBrowser implements BrowserOpener {
  readonly visits: Promise<BrowserVisit>[] = [];
  openedUrls: string[] = [];
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly sim: ZohoSimulator,
    private readonly options: SimBrowserOptions,
  ) {}

  async open(url: string): Promise<void> {
    this.openedUrls.push(url);
    if (this.options.idle) return;
    this.done = this.consent(url);
  }

  /** Resolves once every planned callback has been requested and answered. */
  async finished(): Promise<BrowserVisit[]> {
    await this.done;
    return Promise.all(this.visits);
  }

  private async consent(authUrl: string): Promise<void> {
    const auth = new URL(authUrl);
    const redirectUri = auth.searchParams.get('redirect_uri') ?? '';
    this.sim.registerClient({ ...DEMO_CLIENT, redirectUris: [redirectUri] });
    const page = await fetch(auth);
    if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
    await page.text();
    const form = new URLSearchParams(auth.searchParams);
    form.set('decision', this.options.decision ?? 'accept');
    form.set('email', this.options.email);
    const approved = await fetch(new URL('/oauth/v2/auth/approve', auth.origin), {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    await approved.text();
    const location = approved.headers.get('location');
    if (approved.status !== 302 || !location) throw new Error(`approve answered ${approved.status}`);
    const real = new URL(location);
    for (const make of this.options.callbacks ?? [(u: URL) => u]) {
      const visit = visitCallback(make(new URL(real)));
      this.visits.push(visit);
      await visit;
    }
  }
}

export async function visitCallback(url: URL): Promise<BrowserVisit> {
  const res = await fetch(url, { redirect: 'manual' });
  return { callbackUrl: url.toString(), status: res.status, html: await res.text() };
}
