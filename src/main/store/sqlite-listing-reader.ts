import type Database from 'better-sqlite3';
import type { DecryptedRowCache } from './decrypted-row-cache';
import { ListingSeals, SEAL_GROUP_ROWS, sealGroupOf, sealMatches } from './listing-seals';
import { decodeListing, type ListedValues, listedEntry } from './row-codec';
import type { RowCrypto } from './row-crypto';
import {
  SELECT_ALL_IDS,
  SELECT_LISTED_FOR_SEALS,
  SELECT_LISTING,
  SELECT_LISTING_RANGE,
} from './sqlite-queries';
import type { RawListingRow, RawSealedRow } from './sqlite-raw-rows';
import { type ListedEntry, TokenStoreError } from './token-store';

type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>;

/** How many of a listing row's first columns a list shows (ListedValues). */
const LISTED_COLUMN_COUNT = 15;

/**
 * The console's list of one SQLite connection (docs/storage.md "Listing without secrets"): every row
 * without its secrets, checked without opening an envelope: by the listed-row memo of the decrypted-row
 * cache when warm, by listing seal or listing MAC when cold (listing-seals.ts).
 */
export class SqliteListingReader {
  private readonly selectAllIds: Statement<[], number>;
  private readonly selectListing: Statement<[], RawListingRow>;
  private readonly selectListingRange: Statement<[number, number], RawListingRow>;
  private readonly selectListedForSeals: Statement<[], RawSealedRow>;
  private readonly seals: ListingSeals;

  constructor(
    private readonly db: Database.Database,
    private readonly cache: DecryptedRowCache,
    /** Parsed scopes, shared between rows with the same column text. */
    private readonly scopesOf: (json: string) => readonly string[],
  ) {
    this.selectAllIds = db.prepare<[], number>(SELECT_ALL_IDS).pluck(true);
    this.selectListing = db.prepare<[], RawListingRow>(SELECT_LISTING).raw(true);
    this.selectListingRange = db.prepare<[number, number], RawListingRow>(SELECT_LISTING_RANGE).raw(true);
    this.selectListedForSeals = db.prepare<[], RawSealedRow>(SELECT_LISTED_FOR_SEALS).raw(true);
    this.seals = new ListingSeals(db);
  }

  /**
   * Every row without its secrets, in id order, each checked by its listing MAC or its group's listing
   * seal (listing-seals.ts), all in one read snapshot; no envelope opened. Seals made on the way are
   * stored after the read.
   */
  list(crypto: RowCrypto, readTransaction: <T>(read: () => T) => T): ListedEntry[] {
    // Inside a caller's transaction (uncommitted writes), read through the memo but do not fill it.
    const fill = !this.db.inTransaction;
    let fresh: ReadonlyMap<number, Buffer> = new Map();
    let dataVersion = 0;
    const entries = readTransaction(() => {
      this.cache.syncWithOtherConnections();
      if (this.cache.listedSize === 0) {
        const cold = this.listBySeals(crypto, fill);
        fresh = cold.fresh;
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
    if (fill) this.seals.store(fresh, dataVersion);
    return entries;
  }

  /**
   * Every listed row, group by group: a group whose stored seal matches is taken as is; any other is
   * checked row by row, and sealed (`fresh`, for the caller to store) when all of its rows pass.
   */
  private listBySeals(
    crypto: RowCrypto,
    fill: boolean,
  ): { entries: ListedEntry[]; fresh: Map<number, Buffer>; dataVersion: number } {
    let rows: RawSealedRow[];
    try {
      rows = this.selectListedForSeals.all();
    } catch (error) {
      // SQLite's JSON refuses a BLOB where a listed column should hold text or a number: such a row was
      // edited outside the store. Check every row by its own listing MAC, which marks it unreadable.
      if ((error as { code?: string }).code !== 'SQLITE_ERROR') throw error;
      const all = this.selectListing.all();
      return {
        entries: all.map((row) => this.checkListed(row, crypto, fill)),
        fresh: new Map(),
        dataVersion: 0,
      };
    }
    const { seals, dataVersion } = this.seals.read();
    const hasher = crypto.listingSealHasher();
    const entries: ListedEntry[] = new Array(rows.length);
    const fresh = new Map<number, Buffer>();
    let start = 0;
    while (start < rows.length) {
      const group = sealGroupOf(rows[start]![0]);
      let end = start;
      for (; end < rows.length && sealGroupOf(rows[end]![0]) === group; end++) hasher.add(rows[end]![15]);
      const seal = hasher.seal(group);
      if (sealMatches(seals.get(group), seal)) {
        for (let i = start; i < end; i++) {
          const row = rows[i]!;
          const entry = listedEntry(row, this.scopesOf);
          if (entry.ok) this.cache.rememberListed(row[0], entry, fill);
          entries[i] = entry;
        }
      } else {
        // Same snapshot as the sealed read: the same rows, now with their envelopes and listing MACs.
        const checked = this.selectListingRange.all(group * SEAL_GROUP_ROWS, (group + 1) * SEAL_GROUP_ROWS);
        if (checked.length !== end - start)
          throw new TokenStoreError('STORAGE', 'Token rows changed during a read.');
        let allReadable = true;
        for (let i = start; i < end; i++) {
          entries[i] = this.checkListed(checked[i - start]!, crypto, fill);
          allReadable &&= entries[i]!.ok;
        }
        if (allReadable) fresh.set(group, seal);
      }
      start = end;
    }
    return { entries, fresh, dataVersion };
  }

  /** One listed row checked by its own listing MAC (and remembered when readable and `fill`). */
  private checkListed(raw: RawListingRow, crypto: RowCrypto, fill: boolean): ListedEntry {
    const values = raw.slice(0, LISTED_COLUMN_COUNT) as unknown as ListedValues;
    const entry = decodeListing(values, raw[15], raw[16], crypto, this.scopesOf);
    if (entry.ok) this.cache.rememberListed(raw[0], entry, fill);
    return entry;
  }
}
