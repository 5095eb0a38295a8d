import type Database from 'better-sqlite3';
import type { OAuthToken } from './oauth-token';
import { CACHE_TRIGGERS, DATA_VERSION, ROW_CHANGED_FUNCTION } from './sqlite-queries';
import type { ListedEntry } from './token-store';

/**
 * The largest store the benchmarks cover, 100k rows, with room for what their writes add
 * (docs/storage.md "The decrypted-row cache"): about 0.9 KB of heap per cached row.
 */
export const DEFAULT_CACHE_ROWS = 128_000;

/** A listed row (no secret) whose listing MAC matched, frozen: see `rememberListed`. */
export type ListedOk = Extract<ListedEntry, { ok: true }>;

/** A readable row as the cache keeps it: entry and token frozen, so it can be shared read-only. */
export type CachedEntry = Readonly<{ ok: true; token: Readonly<OAuthToken> }>;

/** The caller's own copy of a cached row: it may change any field (or the scopes array) freely. */
export function handOut(cached: Readonly<OAuthToken>): OAuthToken {
  return { ...cached, scopes: cached.scopes === null ? null : [...cached.scopes] };
}

/**
 * Decrypted rows of one SQLite connection, keyed by row id (docs/storage.md "The decrypted-row cache").
 * A row read successfully (its envelope authenticated against its row id and bound columns, under the
 * current data key) is kept decoded, so a repeated read or lookup skips the decryption (and the blob
 * read) of rows that have not changed. Invalidation is driven by SQLite itself, never by the store
 * remembering to do it:
 * - TEMP triggers on this connection (CACHE_TRIGGERS) drop a row's entry on every INSERT, UPDATE or
 *   DELETE of it made through this connection, by the store or by anything else sharing the connection.
 * - `PRAGMA data_version`, checked before every read while the cache holds rows (`syncWithOtherConnections`),
 *   changes when another connection (another process, the sqlite3 shell) commits to the file; the whole
 *   cache is then dropped.
 * - The store also drops entries explicitly on delete, re-key and close.
 * Guarantee: every read decrypts and authenticates again any row changed through SQLite since it was
 * cached, so a row tampered after it was cached shows as unreadable on the very next read, and an
 * unreadable row is never cached. Only bytes of the file edited behind SQLite's back (not through any
 * SQLite connection) can go unnoticed until the row changes or the store is reopened: SQLite's own page
 * cache has the same limit. What the cache returns was authenticated as that row's envelope under the
 * current key, so it can be stale in that case, never forged. The store fills it only from reads outside
 * a caller's transaction (an uncommitted write could roll back); it holds at most `limit` rows and lives
 * in the main process only (JS strings cannot be zeroed: `clear` leaves them to the garbage collector).
 *
 * Beside the decrypted rows it keeps listed rows (no secret: previews, checked by their listing MAC), under
 * the same invalidation and limit, so a repeated list checks only rows changed since.
 */
export class DecryptedRowCache {
  private readonly rows = new Map<number, CachedEntry>();
  private readonly listed = new Map<number, ListedOk>();
  /**
   * Every row of the table in id order, as the cache's frozen entries, while all of them are readable and
   * cached and none has changed since (set by a whole-store read, dropped by anything that drops an
   * entry): a repeated whole-store read then needs no query and no lookup.
   */
  private whole: readonly CachedEntry[] | null = null;
  /** The tokens of `whole`, made on first use (getTokens' answer while nothing changes). */
  private wholeTokens: readonly Readonly<OAuthToken>[] | null = null;
  private readonly selectDataVersion: Database.Statement<[], number>;
  private seenDataVersion: number;
  private readonly limit: number;

  /** Registers the SQL function and TEMP triggers on `db` (this connection only); `limit` 0: no cache. */
  constructor(db: Database.Database, limit: number) {
    this.limit = Math.max(0, Math.floor(limit));
    // Registered before the triggers that call it.
    db.function(ROW_CHANGED_FUNCTION, { deterministic: false }, (id: unknown) => {
      this.forget(Number(id));
      return null;
    });
    db.exec(CACHE_TRIGGERS);
    this.selectDataVersion = db.prepare<[], number>(DATA_VERSION).pluck(true);
    this.seenDataVersion = this.selectDataVersion.get() ?? 0;
  }

  /** Rows now held (tests and benchmarks; never more than the limit). */
  get size(): number {
    return this.rows.size;
  }

  get(id: number): CachedEntry | undefined {
    return this.rows.get(id);
  }

  /** Freezes `token` and keeps it (while there is room); returns the frozen entry either way. */
  remember(id: number, token: OAuthToken, fill: boolean): CachedEntry {
    const frozen: CachedEntry = Object.freeze({ ok: true, token: Object.freeze(token) });
    if (fill && this.rows.size < this.limit) this.rows.set(id, frozen);
    return frozen;
  }

  /** Listed rows now held (tests). */
  get listedSize(): number {
    return this.listed.size;
  }

  getListed(id: number): ListedOk | undefined {
    return this.listed.get(id);
  }

  /** Keeps a listed row whose MAC matched (while there is room; only when `fill`). */
  rememberListed(id: number, entry: ListedOk, fill: boolean): void {
    if (fill && this.listed.size < this.limit) {
      Object.freeze(entry.token);
      this.listed.set(id, Object.freeze(entry));
    }
  }

  /**
   * Every row of the table in id order, when a whole-store read has cached them all and nothing changed
   * since (ask after `syncWithOtherConnections`); else null. Frozen: shared with every caller.
   */
  get wholeTable(): readonly CachedEntry[] | null {
    return this.whole;
  }

  /** Records that `ids` are all the table's rows (a whole-store read just read them), if each is cached. */
  rememberWholeTable(ids: readonly number[]): void {
    const entries: CachedEntry[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const entry = this.rows.get(ids[i]!);
      if (!entry) return;
      entries[i] = entry;
    }
    this.whole = Object.freeze(entries);
    this.wholeTokens = null;
  }

  /** The tokens of `entries` when they are the whole table as cached (one frozen array, made once). */
  tokensOfWholeTable(entries: readonly unknown[]): readonly Readonly<OAuthToken>[] | null {
    if (entries !== this.whole) return null;
    this.wholeTokens ??= Object.freeze(this.whole.map((entry) => entry.token));
    return this.wholeTokens;
  }

  forget(id: number): void {
    this.rows.delete(id);
    this.listed.delete(id);
    this.whole = null;
    this.wholeTokens = null;
  }

  clear(): void {
    this.rows.clear();
    this.listed.clear();
    this.whole = null;
    this.wholeTokens = null;
  }

  /**
   * Drops every entry when another connection has committed since the last check (any table: coarse).
   * Skipped while empty (no row, no whole table): nothing to drop, and a commit missed meanwhile only
   * costs one needless clear at the next check, never a stale row.
   */
  syncWithOtherConnections(): void {
    if (this.rows.size === 0 && this.listed.size === 0 && this.whole === null) return;
    const version = this.selectDataVersion.get() ?? 0;
    if (version !== this.seenDataVersion) {
      this.seenDataVersion = version;
      this.clear();
    }
  }
}
