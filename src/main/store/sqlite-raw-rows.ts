import type { ListingRow } from './row-codec';

/**
 * Token rows as better-sqlite3 returns them in raw (array) mode, which builds arrays far faster than
 * named objects, and the one function that names their columns. Every read statement starts with the
 * same thirteen plain columns (sqlite-queries.ts), so one mapping serves them all, and every row object
 * has the same shape (one hidden class for the engine).
 */

/** The thirteen plain columns every read starts with, in the order of the `tokens` table. */
type RawPlainColumns = [
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
];

/** A row of SELECT_ALL / SELECT_BY_ID: the plain columns and the envelope. */
export type RawTokenRow = [...RawPlainColumns, Buffer | null];
/** The plain columns and the two masked previews: what a list shows (and a listing MAC covers). */
type RawListedColumns = [...RawPlainColumns, string | null, string | null];
/** A row of SELECT_LISTING: the listed columns, the envelope and the listing MAC. */
export type RawListingRow = [...RawListedColumns, Buffer | null, Buffer | null];
/** A row of SELECT_LISTED_FOR_SEALS: the listed columns, then the bytes its listing seal covers. */
export type RawSealedRow = [...RawListedColumns, Buffer];

/**
 * Named rows are ListingRows (the codec's names); previews and listing MAC are null where the statement
 * did not read them.
 */

/** A row of SELECT_ALL or SELECT_BY_ID, named. */
export function tokenRowFromRaw(r: RawTokenRow): ListingRow {
  return named(r, r[13], null, null, null);
}

/** A row of SELECT_LISTING, named. */
export function listingRowFromRaw(r: RawListingRow): ListingRow {
  return named(r, r[15], r[13], r[14], r[16]);
}

/** A row of SELECT_LISTED_FOR_SEALS, named; its envelope is covered by its group's seal, not read. */
export function sealedRowFromRaw(r: RawSealedRow): ListingRow {
  return named(r, null, r[13], r[14], null);
}

function named(
  r: readonly [...RawPlainColumns, ...unknown[]],
  secretsEnc: Buffer | null,
  accessPreview: string | null,
  refreshPreview: string | null,
  listMac: Buffer | null,
): ListingRow {
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
    access_token_preview: accessPreview,
    refresh_token_preview: refreshPreview,
    secrets_enc: secretsEnc,
    list_mac: listMac,
  };
}
