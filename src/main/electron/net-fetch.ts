import type { Session } from 'electron';
import type { FetchLike } from '../zoho';

/**
 * Zoho calls through Chromium's network stack (`net.fetch`) instead of Node's `fetch`: it follows the
 * system's proxy settings (PAC, WPAD, authenticating proxies) and trusts the OS certificate store, which
 * a corporate network with a TLS-inspecting proxy needs. Tests and the e2e harness keep Node's `fetch`
 * behind the same `FetchLike`.
 *
 * `session` is an in-memory partition of its own (src/main/index.ts), not the window's: token responses
 * never reach a disk cache and no cookie is kept between calls. `credentials: 'omit'` and
 * `cache: 'no-store'` say the same per request. A redirect answered to `redirect: 'manual'` fails the
 * request in Electron (Node's fetch hands back the 3xx instead); either way it is never followed.
 */
export function netFetch(session: Pick<Session, 'fetch'>): FetchLike {
  return (url, init) => {
    // `cache` is missing from the RequestInit type Electron declares, but its Request (Node's) honours it.
    const request = { ...init, credentials: 'omit' as const, cache: 'no-store' as const };
    return session.fetch(url.href, request);
  };
}
