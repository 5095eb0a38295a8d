import { DATA_CENTERS } from '../../shared/datacenters';

/**
 * What TokenDesk may open in the system browser (docs/architecture.md "Electron security defaults"). The only
 * legitimate reason to leave the app is a Zoho consent page (RFC 8252 §4: the system browser, never an
 * embedded one), so only https Zoho accounts hosts pass, plus the simulator's own loopback origin while
 * demo mode runs. `shell.openExternal` hands URLs to the OS, which would also launch `file:`, `smb:` or
 * custom-scheme handlers: refusing everything else keeps a compromised renderer from doing that.
 */
export type ExternalUrlDecision =
  | { readonly allowed: true; readonly url: string }
  | { readonly allowed: false; readonly reason: string };

export interface ExternalUrlPolicy {
  /** Origins of the running simulator (one per data center), e.g. `http://127.0.0.1:53100`; empty outside demo mode. */
  readonly simulatorOrigins?: readonly string[];
}

const ZOHO_ACCOUNTS_HOSTS: ReadonlySet<string> = new Set(
  Object.values(DATA_CENTERS).map((dc) => new URL(dc.accountsServer).host),
);

export function decideExternalUrl(raw: unknown, policy: ExternalUrlPolicy = {}): ExternalUrlDecision {
  if (typeof raw !== 'string' || raw.length === 0) return refuse('it is not a URL');
  if (raw.length > 8192) return refuse('the URL is too long');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('it is not a valid URL');
  }
  if (url.username || url.password) return refuse('it carries a user name or password');

  const simulators = (policy.simulatorOrigins ?? []).map(loopbackOrigin).filter((o) => o !== undefined);
  if (simulators.includes(url.origin)) return { allowed: true, url: url.href };

  if (url.protocol !== 'https:')
    return refuse(`only https links open outside the app (this one is ${url.protocol})`);
  // `host` includes any explicit non-default port, so `accounts.zoho.com:8443` does not match.
  if (!ZOHO_ACCOUNTS_HOSTS.has(url.host)) return refuse(`${url.host} is not a Zoho accounts server`);
  return { allowed: true, url: url.href };
}

/** The simulator listens on the literal loopback IP (RFC 8252 §8.3); anything else is not the simulator. */
function loopbackOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.hostname === '127.0.0.1' && url.port !== ''
      ? url.origin
      : undefined;
  } catch {
    return undefined;
  }
}

function refuse(reason: string): ExternalUrlDecision {
  return { allowed: false, reason };
}
