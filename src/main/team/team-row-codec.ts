import { z } from 'zod';
import {
  DATA_CENTER_IDS,
  type DataCenterId,
  ENVIRONMENTS,
  type ZohoEnvironment,
} from '../../shared/datacenters';
import type { OAuthToken } from '../store/oauth-token';
import { type BoundColumns, bindingOfColumns, type RowCrypto, RowIntegrityError } from '../store/row-crypto';
import { type TokenEntry, TokenStoreError } from '../store/token-store';

/**
 * A `team_tokens` row to and from an OAuthToken: the local store's row format (row-crypto.ts), so an
 * envelope is bound to exactly the same columns in PostgreSQL as in SQLite. PostgreSQL returns bigint
 * columns as strings (they may exceed 2^53); ids stay strings, times become numbers.
 */

/**
 * PostgreSQL `text` cannot hold U+0000, which a token's fields may contain (the store round-trips any
 * string). Plain columns are stored through this reversible escape: U+0001 marks an escape, U+0001 U+0001
 * is U+0001 and U+0001 U+0002 is U+0000. A string with neither character (every real value) is stored as
 * it is, so the columns stay readable and comparable in SQL.
 */
const NUL = '\u0000';
const ESC = '\u0001';

export function toPgText(value: string | null): string | null {
  if (value === null || (!value.includes(NUL) && !value.includes(ESC))) return value;
  let out = '';
  for (const c of value) out += c === ESC ? ESC + ESC : c === NUL ? `${ESC}\u0002` : c;
  return out;
}

export function fromPgText(value: string | null): string | null {
  if (value === null || !value.includes(ESC)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== ESC) {
      out += c;
      continue;
    }
    i += 1;
    out += value[i] === ESC ? ESC : NUL;
  }
  return out;
}

/** The row with its plain text columns unescaped (see toPgText). */
function unescapeRow(row: TeamTokenRow): TeamTokenRow {
  return {
    ...row,
    user_name: fromPgText(row.user_name),
    client_id: fromPgText(row.client_id),
    data_center: fromPgText(row.data_center),
    environment: fromPgText(row.environment),
    expiry_time: fromPgText(row.expiry_time),
    redirect_url: fromPgText(row.redirect_url),
    api_domain: fromPgText(row.api_domain),
    last_error: fromPgText(row.last_error),
  };
}

/** The columns read back (every column but the blind indexes, which are only compared in SQL). */
export interface TeamTokenRow extends BoundColumns {
  readonly id: string;
  readonly scopes: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly last_refreshed_at: string | null;
  readonly last_error: string | null;
  readonly secrets_enc: Buffer | null;
  readonly key_version: number;
}

export const ROW_COLUMNS =
  'id, user_name, client_id, data_center, environment, expiry_time, redirect_url, api_domain, scopes, created_at, updated_at, last_refreshed_at, last_error, secrets_enc, key_version';

/** The parameters of INSERT_ROW / UPDATE_ROW, in column order. */
export function encodeRow(token: OAuthToken, id: string, crypto: RowCrypto, keyVersion: number): unknown[] {
  const index = (field: 'refreshToken' | 'accessToken' | 'grantToken', value: string | null) =>
    value === null || value === '' ? null : crypto.blindIndex(field, value);
  const now = Date.now();
  return [
    id,
    toPgText(token.userName),
    toPgText(token.clientId),
    toPgText(token.dataCenter),
    toPgText(token.environment),
    toPgText(token.expiryTime),
    toPgText(token.redirectUrl),
    toPgText(token.apiDomain),
    // JSON escapes U+0000 itself.
    token.scopes === null ? null : JSON.stringify(token.scopes),
    token.createdAt ?? now,
    token.updatedAt ?? now,
    token.lastRefreshedAt,
    toPgText(token.lastError),
    // Every write re-seals the envelope with the bound columns written beside it.
    crypto.seal({ ...token, id }, token),
    keyVersion,
    index('refreshToken', token.refreshToken),
    index('accessToken', token.accessToken),
    index('grantToken', token.grantToken),
  ];
}

const WRITE_COLUMNS = `${ROW_COLUMNS}, refresh_token_bidx, access_token_bidx, grant_token_bidx`;
export const INSERT_ROW = `INSERT INTO team_tokens (${WRITE_COLUMNS}) VALUES (${Array.from({ length: 18 }, (_, i) => `$${i + 1}`).join(', ')})`;
export const UPDATE_ROW = `UPDATE team_tokens SET (${WRITE_COLUMNS.replace('id, ', '')}) = (${Array.from({ length: 17 }, (_, i) => `$${i + 2}`).join(', ')}) WHERE id = $1`;

const ScopesSchema = z.array(z.string());

/** The row decoded and authenticated, or an "unreadable" entry naming what is still known about it. */
export function decodeRow(stored: TeamTokenRow, crypto: RowCrypto): TokenEntry {
  const row = unescapeRow(stored);
  const id = String(row.id);
  try {
    const secrets = crypto.open(bindingOfColumns(id, row), row.secrets_enc);
    const token: OAuthToken = {
      id,
      userName: row.user_name,
      clientId: row.client_id,
      clientSecret: secrets.clientSecret,
      refreshToken: secrets.refreshToken,
      accessToken: secrets.accessToken,
      grantToken: secrets.grantToken,
      expiryTime: row.expiry_time,
      redirectUrl: row.redirect_url,
      apiDomain: row.api_domain,
      dataCenter: parseDataCenter(row.data_center),
      environment: parseEnvironment(row.environment),
      scopes: row.scopes === null ? null : ScopesSchema.parse(JSON.parse(row.scopes)),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
      lastRefreshedAt: row.last_refreshed_at === null ? null : Number(row.last_refreshed_at),
      lastError: row.last_error,
    };
    return { ok: true, token };
  } catch (cause) {
    if (
      !(cause instanceof RowIntegrityError || cause instanceof z.ZodError || cause instanceof SyntaxError)
    ) {
      throw cause;
    }
    return unreadable(row, cause);
  }
}

export function unreadable(row: TeamTokenRow, cause: unknown): Extract<TokenEntry, { ok: false }> {
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
      id,
      { cause },
    ),
  };
}

function parseDataCenter(value: string | null): DataCenterId | null {
  if (value === null) return null;
  if ((DATA_CENTER_IDS as readonly string[]).includes(value)) return value as DataCenterId;
  throw new SyntaxError('unknown data center');
}

function parseEnvironment(value: string | null): ZohoEnvironment | null {
  if (value === null) return null;
  if ((ENVIRONMENTS as readonly string[]).includes(value)) return value as ZohoEnvironment;
  throw new SyntaxError('unknown environment');
}
