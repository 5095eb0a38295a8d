/**
 * Helpers for tests that drive the simulator over real HTTP (used by sim/*.test.ts and the client tests).
 */
import type { DataCenterId } from '../src/shared/datacenters';
import { driveConsent } from './consent-driver';
import { DEFAULT_REDIRECT_URI, DEMO_CLIENT, DEMO_USERS } from './demo-data';
import type { ZohoSimulator } from './simulator';

export const US_USER = DEMO_USERS.find((u) => u.dataCenter === 'US')!;
export const EU_USER = DEMO_USERS.find((u) => u.dataCenter === 'EU')!;
const ALL_SCOPES = 'ZohoCRM.users.READ,ZohoCRM.org.READ,ZohoCRM.modules.ALL';
/** Zoho token shape (docs/zoho.md): `1000.<32 hex>.<32 hex>`. */
export const ZOHO_TOKEN_SHAPE = /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/;

export function authorizationUrl(
  sim: ZohoSimulator,
  fields: Partial<Record<string, string>> & { at?: DataCenterId } = {},
): string {
  const { at = 'US', ...overrides } = fields;
  const url = new URL('/oauth/v2/auth', sim.dataCenter(at).accountsUrl);
  const params: Record<string, string | undefined> = {
    client_id: DEMO_CLIENT.clientId,
    response_type: 'code',
    redirect_uri: DEFAULT_REDIRECT_URI,
    scope: ALL_SCOPES,
    access_type: 'offline',
    prompt: 'consent',
    state: 'st-123',
    ...overrides,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export interface Callback {
  readonly code: string;
  readonly location: string;
  readonly accountsServer: string;
  readonly state: string | null;
}

/** Consent as `userEmail` and return the callback's fields; throws if there was no code. */
export async function grantCode(
  sim: ZohoSimulator,
  options: { userEmail?: string; at?: DataCenterId; fields?: Record<string, string> } = {},
): Promise<Callback> {
  const { redirectedTo } = await driveConsent(
    authorizationUrl(sim, { at: options.at ?? 'US', ...options.fields }),
    { userEmail: options.userEmail ?? US_USER.email },
  );
  const code = redirectedTo?.searchParams.get('code');
  if (!redirectedTo || !code)
    throw new Error(`no code in callback: ${redirectedTo?.search ?? 'no redirect'}`);
  return {
    code,
    location: redirectedTo.searchParams.get('location') ?? '',
    accountsServer: redirectedTo.searchParams.get('accounts-server') ?? '',
    state: redirectedTo.searchParams.get('state'),
  };
}

export type BodyEncoding = 'urlencoded' | 'multipart' | 'query';

/** POST to the token endpoint with the given encoding; returns status and parsed JSON. */
export async function postToken(
  accountsUrl: string,
  fields: Record<string, string>,
  encoding: BodyEncoding = 'urlencoded',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL('/oauth/v2/token', accountsUrl);
  let body: URLSearchParams | FormData | undefined;
  if (encoding === 'query') {
    for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
  } else if (encoding === 'multipart') {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    body = form;
  } else {
    body = new URLSearchParams(fields);
  }
  const res = await fetch(url, { method: 'POST', ...(body ? { body } : {}) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A code exchange for the demo client at `dc` (default: where the code says). */
export function exchange(sim: ZohoSimulator, cb: Callback, dc?: DataCenterId, encoding?: BodyEncoding) {
  const accountsUrl = dc ? sim.dataCenter(dc).accountsUrl : cb.accountsServer;
  return postToken(
    accountsUrl,
    {
      grant_type: 'authorization_code',
      client_id: DEMO_CLIENT.clientId,
      client_secret: DEMO_CLIENT.clientSecret,
      redirect_uri: DEFAULT_REDIRECT_URI,
      code: cb.code,
    },
    encoding,
  );
}

export function refreshAt(accountsUrl: string, refreshToken: string) {
  return postToken(accountsUrl, {
    grant_type: 'refresh_token',
    client_id: DEMO_CLIENT.clientId,
    client_secret: DEMO_CLIENT.clientSecret,
    refresh_token: refreshToken,
  });
}

export async function crmGet(apiDomain: string, path: string, accessToken: string) {
  const res = await fetch(new URL(path, apiDomain), {
    headers: { Authorization: `Zoho-oauthtoken ${accessToken}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
