import type Database from 'better-sqlite3';
import { type CachedEntry, DecryptedRowCache, handOut } from './decrypted-row-cache';
import type { OAuthToken } from './oauth-token';
import {
  decodeListing,
  decodeRow,
  type ListedValues,
  parseScopes,
  secretsOf,
  tokenOfSnapshot,
} from './row-codec';
import type { RowCrypto, RowSecrets } from './row-crypto';
import {
  type MadeSnapshot,
  makeSnapshot,
  RowSnapshots,
  SNAPSHOT_GROUP_ROWS,
  type SnapshotGroup,
} from './row-snapshots';
import { SqliteListingReader } from './sqlite-listing-reader';
import {
  BLIND_INDEX_COLUMNS,
  SELECT_ALL,
  SELECT_ALL_IDS,
  SELECT_ALL_RANGE_FOR_SNAPSHOT,
  SELECT_BY_ID,
  selectIdByBlindIndexSql,
  selectIdByUserSql,
} from './sqlite-queries';
import {
  listedValuesOf,
  type RawSnapshotSourceRow,
  type RawTokenRow,
  type SqliteTokenRow,
  tokenRowFromRaw,
} from './sqlite-raw-rows';

export type { SqliteTokenRow } from './sqlite-raw-rows';

import { type LookupStep, stepMatches } from './token-matching';
import { type ListedEntry, type ReadonlyTokenEntry, type TokenEntry, TokenStoreError } from './token-store';

/** Up to this many cache misses in a list are read by id; more, and one pass over the table is cheaper. */
const FEW_MISSES = 256;
/** Parsed `scopes` columns by their JSON text: most rows share a handful of scope sets. */
const SCOPES_MEMO_LIMIT = 256;
/** Client ids, redirect URLs and API domains: a store has few distinct ones, shared by many rows. */
const SHARED_TEXT_LIMIT = 1024;

/** Returned by a lookup whose two statements saw different states (another connection committed between). */
const RACED = Symbol('raced');

type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>;

/**
 * The token rows of one SQLite connection as the store reads them: lookups and whole-table reads through
 * the decrypted-row cache (decrypted-row-cache.ts), rows decoded by the shared codec (row-codec.ts).
 *
 * Lookups by user or token value first find the lowest matching id (a covering index search), then take
 * that row from the cache or read it by id: a cached row costs no blob read. Outside a transaction those
 * are two statements; a lookup whose row no longer answers it (another connection committed in between)
 * is run again in one read snapshot.
 */
export class SqliteRowReader {
  readonly cache: DecryptedRowCache;
  private readonly scopesMemo = new Map<string, readonly string[]>();
  private readonly sharedText = new Map<string, string>();
  private readonly selectById: Statement<[number], SqliteTokenRow>;
  /** Indexed by a bitmask of which identity parts the token gives: 1 client id, 2 data center, 4 environment. */
  private readonly selectIdByUser: Statement<string[], number | null>[] = [];
  private readonly selectIdByBlindIndex: Record<
    'accessToken' | 'grantToken' | 'refreshToken',
    Statement<[Buffer], number | null>
  >;
  private readonly selectAll: Statement<[], SqliteTokenRow>;
  private readonly selectAllRaw: Statement<[], RawTokenRow>;
  private readonly selectAllIds: Statement<[], number>;
  private readonly selectRangeForSnapshot: Statement<[number, number], RawSnapshotSourceRow>;
  private readonly snapshots: RowSnapshots;
  private readonly readTransaction: <T>(read: () => T) => T;
  private readonly listing: SqliteListingReader;

  /** `crypto` is asked for the current keys at every read (a re-key replaces them). */
  constructor(
    private readonly db: Database.Database,
    cacheRows: number,
    private readonly crypto: () => RowCrypto,
  ) {
    this.cache = new DecryptedRowCache(db, cacheRows);
    // Every statement is prepared here, once: re-preparing per call would dominate lookup time.
    this.selectById = db.prepare(SELECT_BY_ID);
    for (let mask = 0; mask < 16; mask++) {
      this.selectIdByUser.push(db.prepare<string[], number | null>(selectIdByUserSql(mask)).pluck(true));
    }
    const byIndex = (column: (typeof BLIND_INDEX_COLUMNS)[keyof typeof BLIND_INDEX_COLUMNS]) =>
      db.prepare<[Buffer], number | null>(selectIdByBlindIndexSql(column)).pluck(true);
    this.selectIdByBlindIndex = {
      accessToken: byIndex(BLIND_INDEX_COLUMNS.accessToken),
      grantToken: byIndex(BLIND_INDEX_COLUMNS.grantToken),
      refreshToken: byIndex(BLIND_INDEX_COLUMNS.refreshToken),
    };
    this.selectAll = db.prepare(SELECT_ALL);
    this.selectAllRaw = db.prepare<[], RawTokenRow>(SELECT_ALL).raw(true);
    this.selectAllIds = db.prepare<[], number>(SELECT_ALL_IDS).pluck(true);
    this.selectRangeForSnapshot = db
      .prepare<[number, number], RawSnapshotSourceRow>(SELECT_ALL_RANGE_FOR_SNAPSHOT)
      .raw(true);
    this.snapshots = new RowSnapshots(db);
    // Deferred: one snapshot for the id pass and the row pass of a list, no write lock taken.
    const read = db.transaction((body: () => unknown) => body());
    this.readTransaction = <T>(body: () => T) => read(body) as T;
    this.listing = new SqliteListingReader(db, this.cache, this.snapshots, (json) => this.parseScopes(json));
  }

  /** The lowest-id row answering `step`, or null. Throws the row's error when it is unreadable. */
  lookup(step: LookupStep): OAuthToken | null {
    const found = this.lookupOnce(step);
    if (found !== RACED) return found;
    // One snapshot for the id search and the row read. Inside a caller's transaction (a save) the first
    // try already had one; RACED there only means a cached row edited behind SQLite's back: not found.
    const again = this.db.inTransaction ? RACED : this.readTransaction(() => this.lookupOnce(step));
    return again === RACED ? null : again;
  }

  /**
   * Every row, in id order, all in one read snapshot. Cold (nothing cached), group by group from the row
   * snapshots (row-snapshots.ts), any group without a matching one read and decrypted row by row (and
   * snapshotted after the read). Warm, rows in the cache cost a map lookup (and a copy when `copy`); the
   * rest are read and decrypted (by id when few, else in one pass over the table).
   * With `copy`, every token is the caller's own; without, tokens may be shared and frozen.
   */
  readAll(copy: boolean): readonly ReadonlyTokenEntry[] {
    // A caller's open transaction may hold uncommitted writes: read through the cache, do not fill it.
    const fill = !this.db.inTransaction;
    const decode = (row: SqliteTokenRow) => this.decodeEntry(row, fill, copy);
    let made: ReadonlyMap<number, MadeSnapshot> = new Map();
    let dataVersion = 0;
    const all = this.readTransaction((): readonly ReadonlyTokenEntry[] => {
      this.cache.syncWithOtherConnections();
      if (this.cache.size === 0) {
        const cold = this.readAllBySnapshots(fill, copy);
        made = cold.made;
        dataVersion = cold.dataVersion;
        if (fill) this.cache.rememberWholeTable(cold.entries.map((e) => Number(e.ok ? e.token.id : e.id)));
        return cold.entries;
      }
      // Every row cached and unchanged since the last whole read: no query, no lookup.
      const whole = this.cache.wholeTable;
      if (whole) return copy ? whole.map((e) => ({ ok: true, token: handOut(e.token) })) : whole;
      const ids = this.selectAllIds.all();
      const entries: ReadonlyTokenEntry[] = new Array(ids.length);
      const missing: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        const cached = this.cache.get(ids[i]!);
        if (cached) entries[i] = copy ? { ok: true, token: handOut(cached.token) } : cached;
        else missing.push(i);
      }
      if (missing.length === 0) {
        if (fill) this.cache.rememberWholeTable(ids);
        return entries;
      }
      if (missing.length <= FEW_MISSES) {
        for (const i of missing) {
          const row = this.selectById.get(ids[i]!);
          // Same snapshot as the id pass, so the row is there; checked all the same.
          if (!row) throw new TokenStoreError('STORAGE', 'A token row vanished during a read.');
          entries[i] = decode(row);
        }
        if (fill) this.cache.rememberWholeTable(ids);
        return entries;
      }
      const rows = this.selectAllRaw.all();
      if (rows.length !== ids.length)
        throw new TokenStoreError('STORAGE', 'Token rows changed during a read.');
      for (const i of missing) entries[i] = decode(tokenRowFromRaw(rows[i]!));
      if (fill) this.cache.rememberWholeTable(ids);
      return entries;
    });
    if (fill) this.snapshots.store(made, dataVersion);
    return all;
  }

  /** Every row, group by group: from the group's row snapshot where it matches, else row by row. */
  private readAllBySnapshots(
    fill: boolean,
    copy: boolean,
  ): { entries: ReadonlyTokenEntry[]; made: Map<number, MadeSnapshot>; dataVersion: number } {
    const crypto = this.crypto();
    const { groups, dataVersion } = this.snapshots.read(crypto.snapshots(), true);
    const entries: ReadonlyTokenEntry[] = [];
    const made = new Map<number, MadeSnapshot>();
    const scopesOf = (json: string) => this.parseScopes(json);
    const share = (text: string | null) => this.share(text);
    for (const group of groups) {
      const { listed, secrets } = group;
      if (listed && secrets) {
        for (let i = 0; i < listed.length; i++) {
          const entry = tokenOfSnapshot(listed[i]!, secrets[i]!, scopesOf, share);
          entries.push(entry.ok ? this.keep(listed[i]![0], entry.token, fill, copy) : entry);
        }
        continue;
      }
      const snapshot = this.readGroupRows(group, crypto, fill, copy, entries);
      if (snapshot) made.set(group.group, snapshot);
    }
    return { entries, made, dataVersion };
  }

  /**
   * The rows of one group decrypted one by one into `entries`; a snapshot of the group when every row
   * opened and (unless the group's listing snapshot already matches) passed its listing MAC.
   */
  private readGroupRows(
    group: SnapshotGroup,
    crypto: RowCrypto,
    fill: boolean,
    copy: boolean,
    entries: ReadonlyTokenEntry[],
  ): MadeSnapshot | null {
    const from = group.group * SNAPSHOT_GROUP_ROWS;
    const rows = this.selectRangeForSnapshot.all(from, from + SNAPSHOT_GROUP_ROWS);
    let snapshotable = rows.length > 0;
    const listed: ListedValues[] = [];
    const secrets: RowSecrets[] = [];
    for (const raw of rows) {
      const entry = this.decode(tokenRowFromRaw(raw));
      if (!entry.ok) {
        snapshotable = false;
        entries.push(entry);
        continue;
      }
      entries.push(this.keep(raw[0], entry.token, fill, copy));
      if (!snapshotable) continue;
      const values = listedValuesOf(raw);
      // A listing snapshot holds only rows the list itself would pass (their listing MAC matches).
      if (!group.listed && !decodeListing(values, raw[13], raw[16], crypto).ok) snapshotable = false;
      listed.push(values);
      secrets.push(secretsOf(entry.token));
    }
    return snapshotable ? makeSnapshot(crypto.snapshots(), group, listed, secrets) : null;
  }

  /** Every row without its secrets (sqlite-listing-reader.ts), in one read snapshot of this connection. */
  listWithoutSecrets(): ListedEntry[] {
    return this.listing.list(this.crypto(), this.readTransaction);
  }

  /** Every row as stored, for a re-key inside the caller's write transaction (no cache involved). */
  storedRows(): SqliteTokenRow[] {
    return this.selectAll.all();
  }

  /** The row decoded under the current key, its scopes array shared and frozen (see decodeEntry). */
  decode(row: SqliteTokenRow): TokenEntry {
    return decodeRow(
      row,
      this.crypto(),
      (json) => this.parseScopes(json),
      (text) => this.share(text),
    );
  }

  /** Empties the cache and the memos (close, re-key). */
  clear(): void {
    this.cache.clear();
    this.scopesMemo.clear();
    this.sharedText.clear();
  }

  /**
   * The lowest-id row answering `step`, from the cache or read and decrypted; RACED when the row read no
   * longer answers the step (changed or deleted after the id search by another connection).
   */
  private lookupOnce(step: LookupStep): OAuthToken | null | typeof RACED {
    let id: number | null;
    switch (step.by) {
      case 'id':
        id = Number(step.id);
        break;
      case 'user': {
        const e = step.userName;
        const params = step.match === 'exact' ? [e] : [`${e}:0`, `${e};`, e];
        let mask = step.match === 'exact' ? 0 : 8;
        if (step.clientId !== null) {
          mask |= 1;
          params.push(step.clientId);
        }
        if (step.dataCenter !== null) {
          mask |= 2;
          params.push(step.dataCenter);
        }
        if (step.environment !== null) {
          mask |= 4;
          params.push(step.environment);
        }
        id = this.selectIdByUser[mask]!.get(...params) ?? null;
        break;
      }
      default:
        id = this.selectIdByBlindIndex[step.by].get(this.crypto().blindIndex(step.by, step.value)) ?? null;
    }
    if (id === null) return null;
    // After the id search: a commit it saw from another connection drops the cache before we use it.
    this.cache.syncWithOtherConnections();
    let token: OAuthToken;
    const cached = this.cache.get(id);
    if (cached) {
      token = handOut(cached.token);
    } else {
      const row = this.selectById.get(id);
      if (!row) return step.by === 'id' ? null : RACED;
      const entry = this.decodeEntry(row, !this.db.inTransaction, true) as TokenEntry;
      if (!entry.ok) throw entry.error;
      token = entry.token;
    }
    return stepMatches(step, token) ? token : RACED;
  }

  /**
   * Decrypts and authenticates the envelope of `row`; a success is cached when `fill`. With `copy` the
   * token is the caller's own, else the frozen (possibly cached) one.
   */
  private decodeEntry(row: SqliteTokenRow, fill: boolean, copy: boolean): ReadonlyTokenEntry {
    const entry = this.decode(row);
    return entry.ok ? this.keep(row.id, entry.token, fill, copy) : entry;
  }

  /** A readable row's token cached (when `fill`), and handed out as a copy (when `copy`) or frozen. */
  private keep(id: number, token: OAuthToken, fill: boolean, copy: boolean): ReadonlyTokenEntry {
    const frozen: CachedEntry = this.cache.remember(id, token, fill);
    return copy ? { ok: true, token: handOut(frozen.token) } : frozen;
  }

  /** One string instance per distinct value, so cached rows do not each keep a copy (none is secret). */
  private share(text: string | null): string | null {
    if (text === null) return null;
    const known = this.sharedText.get(text);
    if (known !== undefined) return known;
    if (this.sharedText.size >= SHARED_TEXT_LIMIT) this.sharedText.clear();
    this.sharedText.set(text, text);
    return text;
  }

  private parseScopes(json: string): readonly string[] {
    let scopes = this.scopesMemo.get(json);
    if (scopes === undefined) {
      scopes = Object.freeze(parseScopes(json));
      if (this.scopesMemo.size >= SCOPES_MEMO_LIMIT) this.scopesMemo.clear();
      this.scopesMemo.set(json, scopes);
    }
    return scopes;
  }
}
