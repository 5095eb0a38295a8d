import type { OAuthToken } from '../store/oauth-token';
import type { AccountResolver } from './account-from-api-domain';
import { apiDomainOf } from './account-from-api-domain';

/**
 * One row of the official SDK's token table or file: the ten columns in the SDK's order (FileStore
 * header `id,user_mail,...`, DBStore table `oauthtoken`). Every value is plaintext; empty means null.
 */
export const SDK_COLUMNS = [
  'id',
  'user_name',
  'client_id',
  'client_secret',
  'refresh_token',
  'access_token',
  'grant_token',
  'expiry_time',
  'redirect_url',
  'api_domain',
] as const;

export type SdkColumn = (typeof SDK_COLUMNS)[number];
export type SdkRow = { readonly [K in SdkColumn]: string | null };
/** The columns a write sets (the id is the row's key). */
export const SDK_VALUE_COLUMNS = SDK_COLUMNS.filter((c) => c !== 'id') as Exclude<SdkColumn, 'id'>[];

/** TokenDesk-only facts about a row that its format cannot hold; kept for the life of the store object. */
export interface RowSideFacts {
  readonly lastError: string | null;
  readonly lastRefreshedAt: number | null;
}

/** A new token object per call (never shared): one literal, since a list builds 10,000 of them. */
export function rowToToken(row: SdkRow, resolve: AccountResolver, facts?: RowSideFacts): OAuthToken {
  const account = resolve(row.api_domain);
  return {
    id: row.id,
    userName: row.user_name,
    clientId: row.client_id,
    clientSecret: row.client_secret,
    refreshToken: row.refresh_token,
    accessToken: row.access_token,
    grantToken: row.grant_token,
    expiryTime: row.expiry_time,
    redirectUrl: row.redirect_url,
    apiDomain: row.api_domain,
    dataCenter: account?.dataCenter ?? null,
    environment: account?.environment ?? null,
    scopes: null,
    createdAt: null,
    updatedAt: null,
    lastRefreshedAt: facts?.lastRefreshedAt ?? null,
    lastError: facts?.lastError ?? null,
  };
}

export function tokenToRow(token: OAuthToken, id: string | null): SdkRow {
  return {
    id,
    user_name: token.userName,
    client_id: token.clientId,
    client_secret: token.clientSecret,
    refresh_token: token.refreshToken,
    access_token: token.accessToken,
    grant_token: token.grantToken,
    expiry_time: token.expiryTime,
    redirect_url: token.redirectUrl,
    // Without an API domain the row would lose its data center: write the one it implies.
    api_domain: token.apiDomain ?? apiDomainOf(token.dataCenter, token.environment),
  };
}

export function sameRow(a: SdkRow, b: SdkRow): boolean {
  return SDK_COLUMNS.every((c) => a[c] === b[c]);
}

/** An empty string is null, as the SDK reads it. */
export function nullIfEmpty(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

/** The first index in id-ordered `rows` whose id is not below `id` (binary search). */
export function firstIndexOfId(rows: readonly SdkRow[], id: string): number {
  const n = Number(id);
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (Number(rows[mid]!.id) < n) low = mid + 1;
    else high = mid;
  }
  return low;
}
