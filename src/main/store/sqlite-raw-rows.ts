import type { ListedValues, StoredTokenRow } from './row-codec';

/**
 * Token rows as better-sqlite3 returns them in raw (array) mode, which builds arrays far faster than
 * named objects. Every read statement starts with the same thirteen plain columns (sqlite-queries.ts): a
 * decrypting read names them (`tokenRowFromRaw`), a list reads its first fifteen values as they are
 * (row-codec.ts `ListedValues`).
 */

/** A token row as SELECT_ALL / SELECT_BY_ID return it. */
export interface SqliteTokenRow extends StoredTokenRow {
  readonly id: number;
  readonly created_at: number;
  readonly updated_at: number;
  readonly last_refreshed_at: number | null;
}

/** The thirteen plain columns every read starts with: the listed values without the two previews. */
type RawPlainColumns = ListedValues extends readonly [...infer Plain, string | null, string | null]
  ? Plain
  : never;

/** A row of SELECT_ALL / SELECT_BY_ID: the plain columns and the envelope. */
export type RawTokenRow = [...RawPlainColumns, Buffer | null];
/** A row of SELECT_LISTING: the listed columns, the envelope and the listing MAC. */
export type RawListingRow = [...ListedValues, Buffer | null, Buffer | null];
/** A row of SELECT_ALL_RANGE_FOR_SNAPSHOT: a RawTokenRow, then the two previews and the listing MAC. */
export type RawSnapshotSourceRow = [...RawTokenRow, string | null, string | null, Buffer | null];

/** The listed values of a RawSnapshotSourceRow (its plain columns, then the previews). */
export function listedValuesOf(r: RawSnapshotSourceRow): ListedValues {
  return [r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[14], r[15]];
}

/** A row of SELECT_ALL or SELECT_BY_ID, named as the codec reads it. */
export function tokenRowFromRaw(r: RawTokenRow | RawSnapshotSourceRow): SqliteTokenRow {
  return {
    id: r[0],
    user_name: r[1],
    client_id: r[2],
    data_center: r[3],
    environment: r[4],
    expiry_time: r[5],
    redirect_url: r[6],
    api_domain: r[7],
    scopes: r[8],
    created_at: r[9],
    updated_at: r[10],
    last_refreshed_at: r[11],
    last_error: r[12],
    secrets_enc: r[13],
  };
}
