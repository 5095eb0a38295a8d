import { z } from 'zod';
import {
  DATA_CENTER_IDS,
  type DataCenterId,
  ENVIRONMENTS,
  type ZohoEnvironment,
} from '../../shared/datacenters';
import { maskSecret } from '../common/mask';
import type { OAuthToken } from './oauth-token';
import {
  type BoundColumns,
  bindingOfColumns,
  type RowCrypto,
  RowIntegrityError,
  type RowSecrets,
} from './row-crypto';
import { type ListedEntry, type TokenEntry, TokenStoreError } from './token-store';

/**
 * A token row to and from an OAuthToken: the one row format of the SQLite store and the PostgreSQL team
 * store (docs/storage.md "The row format"). Each store only adapts its driver's column types to this
 * (PostgreSQL gives bigints as strings and cannot hold U+0000 in text: team-row-codec.ts).
 */

/** The columns read back (every column but the blind indexes, which are only compared in SQL). */
export interface StoredTokenRow extends BoundColumns {
  readonly id: number | string;
  readonly scopes: string | null;
  readonly created_at: number | string;
  readonly updated_at: number | string;
  readonly last_refreshed_at: number | string | null;
  readonly last_error: string | null;
  /** The row's envelope (row-crypto.ts); NULL only for a row an old migration could not convert. */
  readonly secrets_enc: Buffer | null;
}

/** What a save writes for the secrets: the envelope and the blind indexes. */
export interface SealedSecrets {
  readonly secrets_enc: Buffer;
  readonly refresh_token_bidx: Buffer | null;
  readonly access_token_bidx: Buffer | null;
  readonly grant_token_bidx: Buffer | null;
}

/** The plain columns of a save, as written. */
export interface PlainColumns extends BoundColumns {
  readonly scopes: string | null;
  readonly created_at: number;
  readonly updated_at: number;
  readonly last_refreshed_at: number | null;
  readonly last_error: string | null;
}

/**
 * The envelope and blind indexes of `token` as row `id`. Every save re-seals the envelope, so the bound
 * columns (RowBinding) always match what is written with them; an envelope is written even when every
 * secret is null.
 */
export function sealRow(token: OAuthToken, id: string, crypto: RowCrypto): SealedSecrets {
  const index = (field: 'refreshToken' | 'accessToken' | 'grantToken', value: string | null) =>
    value === null || value === '' ? null : crypto.blindIndex(field, value);
  return {
    secrets_enc: crypto.seal({ ...token, id }, token),
    refresh_token_bidx: index('refreshToken', token.refreshToken),
    access_token_bidx: index('accessToken', token.accessToken),
    grant_token_bidx: index('grantToken', token.grantToken),
  };
}

/** The plain columns of `token` as a save writes them (times default to now). */
export function plainColumns(token: OAuthToken, now = Date.now()): PlainColumns {
  return {
    user_name: token.userName,
    client_id: token.clientId,
    data_center: token.dataCenter,
    environment: token.environment,
    expiry_time: token.expiryTime,
    redirect_url: token.redirectUrl,
    api_domain: token.apiDomain,
    scopes: token.scopes === null ? null : JSON.stringify(token.scopes),
    created_at: token.createdAt ?? now,
    updated_at: token.updatedAt ?? now,
    last_refreshed_at: token.lastRefreshedAt,
    last_error: token.lastError,
  };
}

/**
 * What a list reads instead of the envelope (docs/storage.md "Listing without secrets"): the masked
 * previews the console shows (exactly `maskSecret`'s output, so the file reveals no more than the
 * window does) and the listing MAC over them, the plain columns and the envelope as stored.
 */
export interface ListingColumns {
  readonly access_token_preview: string | null;
  readonly refresh_token_preview: string | null;
  readonly list_mac: Buffer;
}

/**
 * The columns a list shows, in the order the listing MAC covers them (and SELECT_LISTING returns them):
 * id, the twelve plain columns of PlainColumns in table order, then the access and refresh previews.
 */
export type ListedValues = readonly [
  number,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number,
  number,
  number | null,
  string | null,
  string | null,
  string | null,
];

/** The text the listing MAC covers: every column a list reads, JSON (null apart from "", unambiguous). */
function listingText(values: ListedValues): string {
  return JSON.stringify(values);
}

/** The listing columns of a row about to be written with `plain` and the envelope `sealed`. */
export function listingColumns(
  id: number,
  token: Pick<OAuthToken, 'accessToken' | 'refreshToken'>,
  plain: PlainColumns,
  sealed: Buffer,
  crypto: RowCrypto,
): ListingColumns {
  const access = maskSecret(token.accessToken);
  const refresh = maskSecret(token.refreshToken);
  const values: ListedValues = [
    id,
    plain.user_name,
    plain.client_id,
    plain.data_center,
    plain.environment,
    plain.expiry_time,
    plain.redirect_url,
    plain.api_domain,
    plain.scopes,
    plain.created_at,
    plain.updated_at,
    plain.last_refreshed_at,
    plain.last_error,
    access,
    refresh,
  ];
  return {
    access_token_preview: access,
    refresh_token_preview: refresh,
    list_mac: crypto.listingMac(listingText(values), sealed),
  };
}

/**
 * A listed row checked against its listing MAC: the token without secrets, or "unreadable" when any
 * column it shows, its previews or any byte of its envelope was changed outside the store (or it was written
 * under another key, or before the listing columns existed and could not be filled).
 */
export function decodeListing(
  values: ListedValues,
  envelope: Buffer | null,
  mac: Buffer | null,
  crypto: RowCrypto,
  scopesOf: (json: string) => readonly string[] = parseScopes,
): ListedEntry {
  if (!crypto.listingMacMatches(listingText(values), envelope, mac)) {
    return unreadableListed(values, new RowIntegrityError(String(values[0])));
  }
  return listedEntry(values, scopesOf);
}

/**
 * A listed row already authenticated (by its listing MAC, or its group's row snapshot) as the token
 * without secrets; a column that does not parse still makes it unreadable. Reads the first fifteen
 * values only, so a statement's row with more columns after them can be passed as it is.
 */
export function listedEntry(
  values: ListedValues | readonly [...ListedValues, ...unknown[]],
  scopesOf: (json: string) => readonly string[],
): ListedEntry {
  try {
    return {
      ok: true,
      token: {
        id: String(values[0]),
        userName: values[1],
        clientId: values[2],
        dataCenter: parseDataCenter(values[3]),
        environment: parseEnvironment(values[4]),
        expiryTime: values[5],
        apiDomain: values[7],
        scopes: values[8] === null ? null : scopesOf(values[8]),
        createdAt: values[9],
        updatedAt: values[10],
        lastRefreshedAt: values[11],
        lastError: values[12],
        accessTokenPreview: values[13],
        refreshTokenPreview: values[14],
      },
    };
  } catch (cause) {
    if (!isRowFormatFailure(cause)) throw cause;
    return unreadableListed(values, cause);
  }
}

function unreadableListed(values: readonly [...ListedValues, ...unknown[]], cause: unknown) {
  const [id, user_name, client_id, data_center, environment] = values;
  return unreadableRow({ id, user_name, client_id, data_center, environment }, cause);
}

const ScopesSchema = z.array(z.string());

/** A `scopes` column parsed (and checked): a JSON array of strings. */
export function parseScopes(json: string): readonly string[] {
  return ScopesSchema.parse(JSON.parse(json));
}

/**
 * The row decoded and authenticated, or an "unreadable" entry naming what is still known about it.
 * `scopesOf` lets a store share one parsed array between rows with the same scopes, and `shared` one
 * string between rows with the same client id, redirect URL or API domain (memory of a cached row).
 */
export function decodeRow(
  row: StoredTokenRow,
  crypto: RowCrypto,
  scopesOf: (json: string) => readonly string[] = parseScopes,
  shared: (text: string | null) => string | null = (text) => text,
): TokenEntry {
  const id = String(row.id);
  try {
    // Bound to the columns as stored: an edited identity, expiry, redirect URL or api_domain, an
    // envelope from another row, or none at all, fails authentication here.
    const secrets = crypto.open(bindingOfColumns(id, row), row.secrets_enc);
    const token: OAuthToken = {
      id,
      userName: row.user_name,
      clientId: shared(row.client_id),
      clientSecret: secrets.clientSecret,
      refreshToken: secrets.refreshToken,
      accessToken: secrets.accessToken,
      grantToken: secrets.grantToken,
      expiryTime: row.expiry_time,
      redirectUrl: shared(row.redirect_url),
      apiDomain: shared(row.api_domain),
      dataCenter: parseDataCenter(row.data_center),
      environment: parseEnvironment(row.environment),
      scopes: row.scopes === null ? null : (scopesOf(row.scopes) as string[]),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
      lastRefreshedAt: row.last_refreshed_at === null ? null : Number(row.last_refreshed_at),
      lastError: row.last_error,
    };
    return { ok: true, token };
  } catch (cause) {
    // Only integrity and format failures make a row unreadable; anything else is a real fault.
    if (!isRowFormatFailure(cause)) throw cause;
    return unreadableRow(row, cause);
  }
}

/**
 * A row from its group's row snapshot (row-snapshots.ts): the listed values and secrets a whole-store
 * read verified row by row when it made the snapshot; the same token decodeRow gives for that row.
 */
export function tokenOfSnapshot(
  values: ListedValues,
  secrets: readonly [string | null, string | null, string | null, string | null],
  scopesOf: (json: string) => readonly string[] = parseScopes,
  shared: (text: string | null) => string | null = (text) => text,
): TokenEntry {
  try {
    const token: OAuthToken = {
      id: String(values[0]),
      userName: values[1],
      clientId: shared(values[2]),
      clientSecret: secrets[0],
      refreshToken: secrets[1],
      accessToken: secrets[2],
      grantToken: secrets[3],
      expiryTime: values[5],
      redirectUrl: shared(values[6]),
      apiDomain: shared(values[7]),
      dataCenter: parseDataCenter(values[3]),
      environment: parseEnvironment(values[4]),
      scopes: values[8] === null ? null : (scopesOf(values[8]) as string[]),
      createdAt: values[9],
      updatedAt: values[10],
      lastRefreshedAt: values[11],
      lastError: values[12],
    };
    return { ok: true, token };
  } catch (cause) {
    if (!isRowFormatFailure(cause)) throw cause;
    return unreadableListed(values, cause);
  }
}

/** The four secrets of a decoded token (what a row snapshot seals for it). */
export function secretsOf(token: OAuthToken): RowSecrets {
  return {
    clientSecret: token.clientSecret,
    refreshToken: token.refreshToken,
    accessToken: token.accessToken,
    grantToken: token.grantToken,
  };
}

/** Failures that make one row unreadable (tampered, foreign key, malformed column), not the store. */
export function isRowFormatFailure(cause: unknown): boolean {
  return cause instanceof RowIntegrityError || cause instanceof z.ZodError || cause instanceof SyntaxError;
}

/** The entry of a row that failed its integrity check: what is still known about it, and why. */
export function unreadableRow(
  row: Pick<StoredTokenRow, 'id' | 'user_name' | 'client_id' | 'data_center' | 'environment'>,
  cause: unknown,
): Extract<TokenEntry, { ok: false }> {
  const id = String(row.id);
  return {
    ok: false,
    id,
    userName: row.user_name,
    clientId: row.client_id,
    dataCenter: row.data_center,
    environment: row.environment,
    error: new TokenStoreError(
      'UNREADABLE_ROW',
      `Token row ${id} failed its integrity check: its secrets, or the user, client, data center or API domain they belong to, were modified outside TokenDesk, or it was sealed with another key, so it cannot be read. Delete it and authorise again.`,
      { tokenId: id, cause },
    ),
  };
}

/** The data center named by a column, as the one shared constant (a cached row keeps no copy of its own). */
export function parseDataCenter(value: string | null): DataCenterId | null {
  if (value === null) return null;
  const known = DATA_CENTER_IDS[(DATA_CENTER_IDS as readonly string[]).indexOf(value)];
  if (known === undefined) throw new SyntaxError('unknown data center');
  return known;
}

/** The environment named by a column, as the one shared constant. */
export function parseEnvironment(value: string | null): ZohoEnvironment | null {
  if (value === null) return null;
  const known = ENVIRONMENTS[(ENVIRONMENTS as readonly string[]).indexOf(value)];
  if (known === undefined) throw new SyntaxError('unknown environment');
  return known;
}
