import { isAscii } from 'node:buffer';
import type { ListedValues } from './row-codec';
import type { RowSecrets } from './row-crypto';

/**
 * The two parts of a row snapshot (row-snapshots.ts, docs/storage.md "Row snapshots") as bytes: the
 * group's listed values, and the group's secrets (sealed by snapshot-crypto.ts). Both are JSON, which V8
 * parses far faster than anything written by hand here; the listed values keep each repeated text (client
 * id, data center, environment, redirect URL, API domain, scopes) once per group in a table, so the bytes
 * are smaller and the rows decoded from them share those strings.
 */

/** Bumping this makes every stored snapshot fail to decode: they are simply made again. */
const LISTING_FORMAT = 1;
/** Columns of ListedValues whose values repeat across rows (by index). */
const SHARED_COLUMNS = [2, 3, 4, 6, 7, 8] as const;
const LISTED_VALUE_COUNT = 15;
const SECRET_COUNT = 4;

/** Bytes that are not a snapshot this build wrote (caught by the caller: the group is checked per row). */
export class SnapshotFormatError extends Error {
  constructor(what: string) {
    super(`A row snapshot's ${what} does not decode.`);
    this.name = 'SnapshotFormatError';
  }
}

/** The listed values of a group's rows, in id order, as bytes. */
export function encodeGroupListing(rows: readonly ListedValues[]): Buffer {
  const table: unknown[] = [];
  const indexOf = new Map<unknown, number>();
  const encoded = rows.map((row) => {
    const out: unknown[] = [...row];
    for (const column of SHARED_COLUMNS) {
      const value = row[column];
      if (value === null) continue;
      let index = indexOf.get(value);
      if (index === undefined) {
        index = table.length;
        table.push(value);
        indexOf.set(value, index);
      }
      out[column] = index;
    }
    return out;
  });
  return Buffer.from(JSON.stringify([LISTING_FORMAT, table, encoded]), 'utf8');
}

/** Inverse of encodeGroupListing. Checks the shape only: the bytes were authenticated before this. */
export function decodeGroupListing(bytes: Buffer): ListedValues[] {
  const parsed = parseJson(bytes, 'listing') as unknown;
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== LISTING_FORMAT ||
    !Array.isArray(parsed[1]) ||
    !Array.isArray(parsed[2])
  )
    throw new SnapshotFormatError('listing');
  const table = parsed[1] as unknown[];
  const rows = parsed[2] as unknown[][];
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== LISTED_VALUE_COUNT) throw new SnapshotFormatError('listing');
    for (const column of SHARED_COLUMNS) {
      const index = row[column];
      if (index === null) continue;
      if (typeof index !== 'number' || !(index in table)) throw new SnapshotFormatError('listing');
      row[column] = table[index];
    }
  }
  return rows as unknown as ListedValues[];
}

/** The secrets of a group's rows, in id order, as bytes (to be sealed, then zeroed by the caller). */
export function encodeGroupSecrets(rows: readonly RowSecrets[]): Buffer {
  const values = rows.map((s) => [s.clientSecret, s.refreshToken, s.accessToken, s.grantToken]);
  return Buffer.from(JSON.stringify(values), 'utf8');
}

/** A row's secrets as a snapshot holds them: client secret, refresh, access and grant token. */
export type SecretValues = readonly [string | null, string | null, string | null, string | null];

/** Inverse of encodeGroupSecrets, for a group of `count` rows (kept as tuples: no object per row). */
export function decodeGroupSecrets(bytes: Buffer, count: number): SecretValues[] {
  const parsed = parseJson(bytes, 'secrets') as unknown;
  if (!Array.isArray(parsed) || parsed.length !== count) throw new SnapshotFormatError('secrets');
  for (const row of parsed) {
    if (!Array.isArray(row) || row.length !== SECRET_COUNT) throw new SnapshotFormatError('secrets');
  }
  return parsed as SecretValues[];
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    // ASCII decodes byte for byte, several times faster than the UTF-8 decoder; anything else takes it.
    return JSON.parse(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'));
  } catch {
    throw new SnapshotFormatError(what);
  }
}
