import type { LookupStep } from '../store/token-matching';
import type { TokenStoreError } from '../store/token-store';
import type { SdkColumn, SdkRow } from './sdk-row';

/** A row the backend could not read (a malformed CSV line, a row with a non-decimal id): shown, never touched. */
export interface UnreadableRow {
  readonly id: string | null;
  readonly userName: string | null;
  readonly error: TokenStoreError;
}

export interface RowSnapshot {
  /** Readable rows, in id order. */
  readonly rows: readonly SdkRow[];
  readonly unreadable: readonly UnreadableRow[];
}

/**
 * Where SDK-layout rows live (a CSV file, an SQLite table, a MySQL table). `SdkLayoutStore` holds the
 * TokenStore rules once; a backend only reads and writes rows, and every write is conditional, so a row
 * the integration changed since TokenDesk read it is never overwritten.
 */
export interface SdkRowBackend {
  /** Every row, read afresh (or from a cache that is checked against the source on every call). */
  snapshot(): Promise<RowSnapshot>;
  /**
   * The first readable row for which `answers` holds, among the rows that may answer `step`, or null.
   * "First" is the backend's match order (docs/sources.md "Which row a lookup finds"): id order for the
   * file and SQLite, primary-key order on MySQL, where the SDK's DBStore reads `... LIMIT 1` in that order.
   */
  firstMatch(step: LookupStep, answers: (row: SdkRow) => boolean): Promise<SdkRow | null>;
  /** Inserts with a fresh id above both the stored ids and `floor`; returns the id. */
  insert(row: SdkRow, floor: number): Promise<string>;
  /** Writes `next` over row `expected.id` only if the row still equals `expected`; false if it changed. */
  replace(expected: SdkRow, next: SdkRow): Promise<boolean>;
  /**
   * Writes `next` over row `expected.id` in one statement, only if that row still equals `expected` and is
   * still the first row in the backend's match order that may answer `step` (no row before it does).
   * False when either does not hold, or the backend cannot tell in one statement: nothing was written,
   * and the caller reads and plans again. Optional.
   */
  replaceFirstMatch?(step: LookupStep, expected: SdkRow, next: SdkRow): Promise<boolean>;
  /**
   * Removes the row; with `expectedRefreshToken` only while the row still holds that refresh token.
   * Returns false when the row is there but holds another refresh token; true otherwise (also when gone).
   */
  remove(id: string, expectedRefreshToken?: string | null): Promise<boolean>;
  removeAll(): Promise<void>;
  /** The longest value a column takes (a MySQL `varchar(255)`), in characters; a column absent: no limit. */
  readonly maxLengths?: Readonly<Partial<Record<SdkColumn, number>>>;
  /** Throws INVALID_TOKEN for a value the format cannot hold (a line break in a CSV file). */
  check?(row: SdkRow): void;
  close(): Promise<void>;
}
