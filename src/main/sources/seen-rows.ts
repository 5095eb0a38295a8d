import { firstIndexOfId, type SdkRow } from './sdk-row';

/**
 * The row as a store last read or wrote it, by id: what its next conditional write expects to find. A
 * whole-table read is kept as the id-ordered list it came in, not copied into a map: listing 10,000 rows
 * then costs nothing here, and the rows read or written after it sit in a small map on top.
 */
export class SeenRows {
  private listed: readonly SdkRow[] = [];
  /** Since the last list: a row read or written, or null for one forgotten (deleted, or found changed). */
  private readonly since = new Map<string, SdkRow | null>();

  get(id: string): SdkRow | undefined {
    if (this.since.has(id)) return this.since.get(id) ?? undefined;
    const rows = this.listed;
    const at = firstIndexOfId(rows, id);
    return rows[at]?.id === id ? rows[at] : undefined;
  }

  /**
   * The remembered row with the lowest id in text order (MySQL's key order for decimal ids) for which
   * `test` holds, or undefined. A scan of what is remembered, no query.
   */
  firstInTextOrder(test: (row: SdkRow) => boolean): SdkRow | undefined {
    let first: SdkRow | undefined;
    for (const row of this.listed) {
      // A row read or written since the list is considered below, as it is now.
      if ((first === undefined || row.id! < first.id!) && test(row) && !this.since.has(row.id!)) first = row;
    }
    for (const row of this.since.values()) {
      if (row !== null && (first === undefined || row.id! < first.id!) && test(row)) first = row;
    }
    return first;
  }

  set(id: string, row: SdkRow): void {
    this.since.set(id, row);
  }

  delete(id: string): void {
    this.since.set(id, null);
  }

  /**
   * A whole read (rows in id order) replaces everything seen before it: a row it lacks was gone at that
   * moment, so an older copy could only make a later write expect what is no longer there.
   */
  replaceAll(rows: readonly SdkRow[]): void {
    this.listed = rows;
    this.since.clear();
  }

  clear(): void {
    this.replaceAll([]);
  }
}
