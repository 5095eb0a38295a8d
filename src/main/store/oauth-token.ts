import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';

/**
 * One stored OAuth token. The first ten fields are the official Zoho SDK's `OAuthToken` fields
 * (docs/zoho.md "Token fields"); the rest are what the console needs. Secrets live only in the main
 * process: the renderer gets a masked `TokenView` (src/shared), never this record.
 */
export interface OAuthToken {
  /** Store-assigned id (a decimal string, unique for the life of the store). */
  id: string | null;
  /** SDK `user_name`: the Zoho user's email, filled from CRM CurrentUser after a grant. */
  userName: string | null;
  clientId: string | null;
  clientSecret: string | null;
  refreshToken: string | null;
  accessToken: string | null;
  grantToken: string | null;
  /** Absolute epoch milliseconds as a decimal string, as the SDK stores it. */
  expiryTime: string | null;
  redirectUrl: string | null;
  apiDomain: string | null;

  // Console fields beyond the SDK's.
  dataCenter: DataCenterId | null;
  environment: ZohoEnvironment | null;
  /** Scopes granted, as Zoho names them (e.g. `ZohoCRM.users.READ`). */
  scopes: readonly string[] | null;
  /** Epoch ms. Set by the store. */
  createdAt: number | null;
  /** Epoch ms. Set by the store on every save. */
  updatedAt: number | null;
  /** Epoch ms of the last successful refresh. */
  lastRefreshedAt: number | null;
  /** Last failure in plain words (never a secret), or null after a success. */
  lastError: string | null;
}

/** A token with every field null: the starting point for a lookup or a new token. */
export function emptyToken(fields: Partial<OAuthToken> = {}): OAuthToken {
  return {
    id: null,
    userName: null,
    clientId: null,
    clientSecret: null,
    refreshToken: null,
    accessToken: null,
    grantToken: null,
    expiryTime: null,
    redirectUrl: null,
    apiDomain: null,
    dataCenter: null,
    environment: null,
    scopes: null,
    createdAt: null,
    updatedAt: null,
    lastRefreshedAt: null,
    lastError: null,
    ...fields,
  };
}

/** The SDK's rule (OAuthToken.getTokenExpiry): a token with under 5,000 ms left counts as expired. */
export const EXPIRY_MARGIN_MS = 5_000;

export function isAccessTokenExpired(
  token: Pick<OAuthToken, 'accessToken' | 'expiryTime'>,
  now = Date.now(),
) {
  if (!token.accessToken || !token.expiryTime) return true;
  const expiry = Number(token.expiryTime);
  return !Number.isFinite(expiry) || expiry - now < EXPIRY_MARGIN_MS;
}
