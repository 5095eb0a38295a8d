import type { OAuthToken } from '../store/oauth-token';
import { decodeRow as decodeStoredRow, plainColumns, type StoredTokenRow, sealRow } from '../store/row-codec';
import type { RowCrypto } from '../store/row-crypto';
import type { TokenEntry } from '../store/token-store';

/**
 * A `team_tokens` row to and from an OAuthToken: the local store's row format and codec
 * (store/row-codec.ts), so an envelope is bound to exactly the same columns in PostgreSQL as in SQLite.
 * This module only adapts PostgreSQL's types: bigint columns come back as strings (they may exceed 2^53;
 * the shared codec turns times into numbers, ids stay strings), and text cannot hold U+0000.
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
export interface TeamTokenRow extends StoredTokenRow {
  readonly id: string;
  readonly key_version: number;
}

export const ROW_COLUMNS =
  'id, user_name, client_id, data_center, environment, expiry_time, redirect_url, api_domain, scopes, created_at, updated_at, last_refreshed_at, last_error, secrets_enc, key_version';

/** The parameters of INSERT_ROW / UPDATE_ROW, in column order. */
export function encodeRow(token: OAuthToken, id: string, crypto: RowCrypto, keyVersion: number): unknown[] {
  const plain = plainColumns(token);
  // Every write re-seals the envelope with the bound columns written beside it.
  const sealed = sealRow(token, id, crypto);
  return [
    id,
    toPgText(plain.user_name),
    toPgText(plain.client_id),
    toPgText(plain.data_center),
    toPgText(plain.environment),
    toPgText(plain.expiry_time),
    toPgText(plain.redirect_url),
    toPgText(plain.api_domain),
    // JSON escapes U+0000 itself.
    plain.scopes,
    plain.created_at,
    plain.updated_at,
    plain.last_refreshed_at,
    toPgText(plain.last_error),
    sealed.secrets_enc,
    keyVersion,
    sealed.refresh_token_bidx,
    sealed.access_token_bidx,
    sealed.grant_token_bidx,
  ];
}

const WRITE_COLUMNS = `${ROW_COLUMNS}, refresh_token_bidx, access_token_bidx, grant_token_bidx`;
export const INSERT_ROW = `INSERT INTO team_tokens (${WRITE_COLUMNS}) VALUES (${Array.from({ length: 18 }, (_, i) => `$${i + 1}`).join(', ')})`;
export const UPDATE_ROW = `UPDATE team_tokens SET (${WRITE_COLUMNS.replace('id, ', '')}) = (${Array.from({ length: 17 }, (_, i) => `$${i + 2}`).join(', ')}) WHERE id = $1`;

/** The row decoded and authenticated (store/row-codec.ts), or an "unreadable" entry. */
export function decodeRow(stored: TeamTokenRow, crypto: RowCrypto): TokenEntry {
  return decodeStoredRow(unescapeRow(stored), crypto);
}
