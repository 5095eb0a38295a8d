import type Database from 'better-sqlite3';
import type { DecryptedRowCache } from './decrypted-row-cache';
import { decodeListing, type ListedValues, listedEntry } from './row-codec';
import type { RowCrypto } from './row-crypto';
import { type MadeSnapshot, makeSnapshot, type RowSnapshots, SNAPSHOT_GROUP_ROWS } from './row-snapshots';
import { SELECT_ALL_IDS, SELECT_LISTING, SELECT_LISTING_RANGE } from './sqlite-queries';
import type { RawListingRow } from './sqlite-raw-rows';
import { type ListedEntry, TokenStoreError } from './token-store';

type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>;

/** How many of a listing row's first columns a list shows (ListedValues). */
const LISTED_COLUMN_COUNT = 15;

/**
 * The console's list of one SQLite connection (docs/storage.md "Listing without secrets"): every row
 * without its secrets, checked without opening an envelope: by the listed-row memo of the decrypted-row
 * cache when warm, by row snapshot or listing MAC when cold (row-snapshots.ts).
 */
export class SqliteListingReader {
  private readonly selectAllIds: Statement<[], number>;
  private readonly selectListing: Statement<[], RawListingRow>;
  private readonly selectListingRange: Statement<[number, number], RawListingRow>;

  constructor(
    private readonly db: Database.Database,
    private readonly cache: DecryptedRowCache,
    private readonly snapshots: RowSnapshots,
    /** Parsed scopes, shared between rows with the same column text. */
    private readonly scopesOf: (json: string) => readonly string[],
  ) {
    this.selectAllIds = db.prepare<[], number>(SELECT_ALL_IDS).pluck(true);
    this.selectListing = db.prepare<[], RawListingRow>(SELECT_LISTING).raw(true);
    this.selectListingRange = db.prepare<[number, number], RawListingRow>(SELECT_LISTING_RANGE).raw(true);
  }

  /**
   * Every row without its secrets, in id order, each checked by its listing MAC or taken from its group's
   * row snapshot (row-snapshots.ts), all in one read snapshot; no envelope opened. Snapshots made on the
   * way are stored after the read.
   */
  list(crypto: RowCrypto, readTransaction: <T>(read: () => T) => T): ListedEntry[] {
    // Inside a caller's transaction (uncommitted writes), read through the memo but do not fill it.
    const fill = !this.db.inTransaction;
    let made: ReadonlyMap<number, MadeSnapshot> = new Map();
    let dataVersion = 0;
    const entries = readTransaction(() => {
      this.cache.syncWithOtherConnections();
      if (this.cache.listedSize === 0) {
        const cold = this.listBySnapshots(crypto, fill);
        made = cold.made;
        dataVersion = cold.dataVersion;
        return cold.entries;
      }
      // Rows listed (and checked) before and unchanged since come from the memo; the rest are checked.
      const ids = this.selectAllIds.all();
      const listed: ListedEntry[] = new Array(ids.length);
      let missing = 0;
      for (let i = 0; i < ids.length; i++) {
        const known = this.cache.getListed(ids[i]!);
        if (known) listed[i] = known;
        else missing++;
      }
      if (missing === 0) return listed;
      const rows = this.selectListing.all();
      if (rows.length !== ids.length)
        throw new TokenStoreError('STORAGE', 'Token rows changed during a read.');
      for (let i = 0; i < ids.length; i++) listed[i] ??= this.checkListed(rows[i]!, crypto, fill);
      return listed;
    });
    if (fill) this.snapshots.store(made, dataVersion);
    return entries;
  }

  /**
   * Every listed row, group by group: a group whose snapshot matches is taken from it; any other is
   * checked row by row, and snapshotted (`made`, for the caller to store) when all of its rows pass.
   */
  private listBySnapshots(
    crypto: RowCrypto,
    fill: boolean,
  ): { entries: ListedEntry[]; made: Map<number, MadeSnapshot>; dataVersion: number } {
    const { groups, dataVersion } = this.snapshots.read(crypto.snapshots(), false);
    const entries: ListedEntry[] = [];
    const made = new Map<number, MadeSnapshot>();
    for (const group of groups) {
      if (group.listed) {
        for (const values of group.listed) {
          const entry = listedEntry(values, this.scopesOf);
          if (entry.ok) this.cache.rememberListed(values[0], entry, fill);
          entries.push(entry);
        }
        continue;
      }
      // Same snapshot as the group read: the same rows, with their envelopes and listing MACs.
      const from = group.group * SNAPSHOT_GROUP_ROWS;
      const rows = this.selectListingRange.all(from, from + SNAPSHOT_GROUP_ROWS);
      let allReadable = rows.length > 0;
      for (const row of rows) {
        const entry = this.checkListed(row, crypto, fill);
        allReadable &&= entry.ok;
        entries.push(entry);
      }
      if (allReadable) {
        const listed = rows.map((row) => row.slice(0, LISTED_COLUMN_COUNT) as unknown as ListedValues);
        made.set(group.group, makeSnapshot(crypto.snapshots(), group, listed, null));
      }
    }
    return { entries, made, dataVersion };
  }

  /** One listed row checked by its own listing MAC (and remembered when readable and `fill`). */
  private checkListed(raw: RawListingRow, crypto: RowCrypto, fill: boolean): ListedEntry {
    const values = raw.slice(0, LISTED_COLUMN_COUNT) as unknown as ListedValues;
    const entry = decodeListing(values, raw[15], raw[16], crypto, this.scopesOf);
    if (entry.ok) this.cache.rememberListed(raw[0], entry, fill);
    return entry;
  }
}
