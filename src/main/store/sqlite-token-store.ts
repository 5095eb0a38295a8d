import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { z } from 'zod';
import {
  DATA_CENTER_IDS,
  type DataCenterId,
  ENVIRONMENTS,
  type ZohoEnvironment,
} from '../../shared/datacenters';
import { createLogger } from '../log';
import {
  BUSY_TIMEOUT_PRAGMA,
  type BusyRetryPolicy,
  DatabaseBusyError,
  type DatabaseState,
  retryWhileBusy,
} from './database-busy';
import { busyStateOf, type ConnectionBusyState } from './deferred-writes';
import { type KeyProtector, KeyProtectorError } from './key-protector';
import type { OAuthToken } from './oauth-token';
import {
  type BoundColumns,
  bindingOfColumns,
  deriveSubkey,
  generateDataKey,
  type RowBinding,
  RowCrypto,
  RowIntegrityError,
  type RowSecrets,
} from './row-crypto';
import {
  BLIND_INDEX_COLUMNS,
  CACHE_TRIGGERS,
  DATA_VERSION,
  DELETE_ALL,
  DELETE_ROW,
  INSERT_META,
  INSERT_ROW,
  ROW_CHANGED_FUNCTION,
  SELECT_ALL,
  SELECT_ALL_IDS,
  SELECT_BY_ID,
  SELECT_LAST_ID,
  SELECT_META,
  selectIdByBlindIndexSql,
  selectIdByUserSql,
  UPDATE_ROW,
  UPDATE_SECRETS,
  UPSERT_META,
} from './sqlite-queries';
import { migrate, migrateAfterUnlock } from './sqlite-schema';
import { storedToken } from './stored-text';
import {
  fillFound,
  isWellFormedId,
  type LookupStep,
  matchSteps,
  planSave,
  runSteps,
  stepMatches,
} from './token-matching';
import {
  type ListableTokenStore,
  type ReadonlyTokenEntry,
  type TokenEntry,
  TokenStoreError,
} from './token-store';

const log = createLogger('store.sqlite');

export interface SqliteTokenStoreOptions {
  /** Database file; created on first open. */
  readonly path: string;
  /** Wraps the data key: PassphraseKeyProtector, or safeStorage at the Electron edge. */
  readonly protector: KeyProtector;
  /**
   * Most rows kept decrypted in memory (see "Decrypted-row cache" on the class). Default
   * DEFAULT_CACHE_ROWS; 0 turns the cache off, so every read decrypts.
   */
  readonly cacheRows?: number;
  /** How long a busy database (held by another program) is waited for, asynchronously; database-busy.ts. */
  readonly busyRetry?: BusyRetryPolicy;
}

/** Enough for the 10,000-token list target with room to spare: roughly 1 KB of heap per cached row. */
export const DEFAULT_CACHE_ROWS = 25_000;
/** Up to this many cache misses in a list are read by id; more, and one pass over the table is cheaper. */
const FEW_MISSES = 256;

export interface RotateResult {
  /** Rows now sealed under the new data key. */
  readonly reencrypted: number;
  /** Rows that were already unreadable; left as they were (still unreadable, never silently "repaired"). */
  readonly unreadableIds: readonly string[];
}

/** The plain columns of a token row, written and read back as they are. */
interface PlainColumns extends BoundColumns {
  scopes: string | null;
  created_at: number;
  updated_at: number;
  last_refreshed_at: number | null;
  last_error: string | null;
}

/** Columns read back; blind indexes are only ever compared inside SQLite. */
interface TokenRow extends PlainColumns {
  id: number;
  /** The row's envelope (row-crypto.ts); NULL only for a row the v2 migration could not convert. */
  secrets_enc: Buffer | null;
}

interface SecretParams {
  id: number;
  secrets_enc: Buffer;
  refresh_token_bidx: Buffer | null;
  access_token_bidx: Buffer | null;
  grant_token_bidx: Buffer | null;
}

interface WriteParams extends SecretParams, PlainColumns {}

/** Meta keys, exported for the app's read-only look at a store file before it opens it (store-files.ts). */
export const META_WRAPPED_KEY = 'wrapped_data_key';
export const META_PROTECTOR_KIND = 'protector_kind';
const META_LAST_BACKUP_AT = 'last_backup_at';

const ScopesSchema = z.array(z.string());

type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>;

/** Re-seals one envelope kept outside `tokens` from the old data key to the new one. */
export type AsideReseal = (binding: RowBinding, sealed: Buffer | null) => Buffer;

/** A readable row as the cache keeps it: entry and token frozen, so it can be shared read-only. */
type CachedEntry = Readonly<{ ok: true; token: Readonly<OAuthToken> }>;

/** A row of SELECT_ALL in raw (array) mode: better-sqlite3 builds arrays far faster than named objects. */
type RawTokenRow = [
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
  Buffer | null,
];

function fromRaw(r: RawTokenRow): TokenRow {
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

/** The caller's own copy of a cached row: it may change any field (or the scopes array) freely. */
function handOut(cached: Readonly<OAuthToken>): OAuthToken {
  return { ...cached, scopes: cached.scopes === null ? null : [...cached.scopes] };
}

/** Returned by a lookup whose two statements saw different states (another connection committed between). */
const RACED = Symbol('raced');

/** Parsed `scopes` columns by their JSON text: most rows share a handful of scope sets. */
const SCOPES_MEMO_LIMIT = 256;

/**
 * The TokenStore on an encrypted SQLite file (docs/architecture.md "Secrets"): a row's secrets sealed together as one
 * AES-256-GCM envelope bound to the row (row-crypto.ts), found by HMAC blind index, the data key wrapped
 * by a KeyProtector.
 * better-sqlite3 is synchronous, so each method does its work in one go (inside one transaction where it
 * writes); the async signatures are the SDK's contract.
 *
 * Decrypted-row cache. A row read successfully (its envelope authenticated by AES-GCM against its row id
 * and bound columns, under the current data key) is kept decoded in memory, keyed by row id, so a
 * repeated list or lookup skips the decryption (and the blob reads) of rows that have not changed.
 * Invalidation is driven by SQLite itself, never by the store remembering to do it:
 * - TEMP triggers on this connection (CACHE_TRIGGERS) drop a row's entry on every INSERT, UPDATE or
 *   DELETE of it made through this connection, by this store or by anything else sharing the connection.
 * - `PRAGMA data_version`, checked before every read while the cache holds rows, changes when another
 *   connection (another process, the sqlite3 shell) commits to the file; the whole cache is then dropped.
 * - delete, deleteTokens, rotateDataKey, changeProtector and close also drop entries explicitly.
 * Guarantee: every read decrypts and authenticates again any row changed through SQLite since it was
 * cached, so a row tampered after it was cached shows as unreadable on the very next read, and an
 * unreadable row is never cached. Only bytes of the file edited behind SQLite's back (not through any
 * SQLite connection) can go unnoticed, until the row changes or the store is reopened: SQLite's own page
 * cache has the same limit. What the cache returns was authenticated as that row's envelope under the
 * current key, so it can be stale in that case, never forged. Only reads outside a caller's transaction
 * fill the cache (an uncommitted write could roll back), it holds at most `cacheRows` rows, it lives in
 * the main process only, and close() empties it (JS strings cannot be zeroed; they become garbage).
 *
 * Lookups by user or token value first find the lowest matching id (a covering index search), then take
 * that row from the cache or read it by id: a cached row costs no blob read. Outside a transaction those
 * are two statements; a lookup whose row no longer answers it (another connection committed in between)
 * is run again in one read snapshot.
 */
export class SqliteTokenStore implements ListableTokenStore {
  private crypto: RowCrypto;
  private closed = false;
  /** Decoded rows by id, frozen: copied for listEntries/getTokens/lookups, shared by readEntries. */
  private readonly cache = new Map<number, CachedEntry>();
  private readonly cacheLimit: number;
  private seenDataVersion: number;
  private readonly scopesMemo = new Map<string, readonly string[]>();

  private readonly selectById: Statement<[number], TokenRow>;
  /** Indexed by a bitmask of which identity parts the token gives: 1 client id, 2 data center, 4 environment. */
  private readonly selectIdByUser: Statement<string[], number | null>[];
  private readonly selectIdByBlindIndex: Record<
    'accessToken' | 'grantToken' | 'refreshToken',
    Statement<[Buffer], number | null>
  >;
  private readonly selectAll: Statement<[], TokenRow>;
  private readonly selectAllRaw: Statement<[], RawTokenRow>;
  private readonly selectAllIds: Statement<[], number>;
  private readonly selectDataVersion: Statement<[], number>;
  private readonly readTransaction: <T>(read: () => T) => T;
  private readonly selectLastId: Statement<[], { seq: number }>;
  private readonly insertRow: Statement<[WriteParams]>;
  private readonly updateRow: Statement<[WriteParams]>;
  private readonly updateSecrets: Statement<[SecretParams]>;
  private readonly deleteRow: Statement<[number]>;
  private readonly deleteAll: Statement<[]>;
  private readonly upsertMeta: Statement<[string, string]>;
  private readonly saveTransaction: (token: OAuthToken) => string;
  /** Tables beside `tokens` whose envelopes must follow a re-key (see `sealAside`). */
  private readonly asideResealers: ((reseal: AsideReseal) => void)[] = [];
  private readonly saveBatchTransaction: (tokens: readonly OAuthToken[]) => string[];
  private readonly busy: ConnectionBusyState;

  private constructor(
    private readonly db: Database.Database,
    private protector: KeyProtector,
    private dataKey: Buffer,
    cacheRows: number,
    private readonly busyRetry: BusyRetryPolicy | undefined,
  ) {
    this.crypto = new RowCrypto(dataKey);
    this.busy = busyStateOf(db);
    this.cacheLimit = Math.max(0, Math.floor(cacheRows));
    // Registered before the triggers that call it; both belong to this connection only.
    db.function(ROW_CHANGED_FUNCTION, { deterministic: false }, (id: unknown) => {
      this.cache.delete(Number(id));
      return null;
    });
    db.exec(CACHE_TRIGGERS);
    // Every statement is prepared here, once: re-preparing per call would dominate lookup time.
    this.selectById = db.prepare(SELECT_BY_ID);
    this.selectIdByUser = [];
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
    this.selectDataVersion = db.prepare<[], number>(DATA_VERSION).pluck(true);
    this.seenDataVersion = this.selectDataVersion.get() ?? 0;
    // Deferred: one snapshot for the id pass and the row pass of a list, no write lock taken.
    const read = db.transaction((body: () => unknown) => body());
    this.readTransaction = <T>(body: () => T) => read(body) as T;
    this.selectLastId = db.prepare(SELECT_LAST_ID);
    this.insertRow = db.prepare(INSERT_ROW);
    this.updateRow = db.prepare(UPDATE_ROW);
    this.updateSecrets = db.prepare(UPDATE_SECRETS);
    this.deleteRow = db.prepare(DELETE_ROW);
    this.deleteAll = db.prepare(DELETE_ALL);
    this.upsertMeta = db.prepare(UPSERT_META);

    // Immediate: the lookup and the write happen under one write lock, so two processes saving the same
    // identity cannot both decide "insert".
    const save = db.transaction((token: OAuthToken): string => {
      const plan = planSave(token, (step) => this.lookup(step), Date.now());
      if (plan.kind === 'update') {
        this.updateRow.run(this.encode(plan.token, Number(plan.token.id), this.crypto));
        return plan.token.id!;
      }
      // The id must be known before encrypting (it is in the AAD). sqlite_sequence holds the largest id
      // ever used, so ids only grow, even after deletes; INSERT with an explicit id keeps it up to date.
      const id = (this.selectLastId.get()?.seq ?? 0) + 1;
      this.insertRow.run(this.encode(plan.token, id, this.crypto));
      return String(id);
    });
    this.saveTransaction = (token) => save.immediate(token);
    // Each save runs as a savepoint inside the batch's one transaction: one commit (one fsync) for all.
    const saveBatch = db.transaction((tokens: readonly OAuthToken[]): string[] => tokens.map((t) => save(t)));
    this.saveBatchTransaction = (tokens) => saveBatch.immediate(tokens);
  }

  /**
   * Opens (creating on first use) the store at `path`. The first open makes a random data key and stores
   * it wrapped by `protector`; later opens unwrap it. Throws TokenStoreError 'WRONG_PASSPHRASE' (message
   * says "wrong passphrase") or 'LOCKED' when the key cannot be unwrapped.
   */
  static async open(options: SqliteTokenStoreOptions): Promise<SqliteTokenStore> {
    restrictToOwner(options.path);
    // timeout 0 from the start (better-sqlite3's default is 5 s): not even the first pragma waits.
    const db = new Database(options.path, { timeout: 0 });
    try {
      db.pragma('journal_mode = WAL');
      // Zero freed pages, so an old ciphertext (or another module's deleted row) does not linger.
      db.pragma('secure_delete = ON');
      // WAL frames are never zeroed, only overwritten when the WAL restarts from the top. With a limit
      // of 0, the first commit after a restart truncates the file to the frames it wrote, so older frames
      // (old ciphertexts) do not linger in the file's tail (https://sqlite.org/pragma.html#pragma_journal_size_limit).
      db.pragma('journal_size_limit = 0');
      // A save that returned must survive a crash: fsync the WAL on every commit.
      db.pragma('synchronous = FULL');
      // Never wait inside SQLite on the calling (main) thread; busy statements are retried from timers.
      db.pragma(BUSY_TIMEOUT_PRAGMA);
      const retry = { policy: options.busyRetry, monitor: busyStateOf(db).monitor, writes: true };
      await retryWhileBusy(() => migrate(db), retry);
      const dataKey = await loadOrCreateDataKey(db, options.protector, retry);
      try {
        // The steps that wait for a verified key, so a wrong passphrase changes nothing (sqlite-schema.ts).
        await retryWhileBusy(() => migrateAfterUnlock(db), retry);
      } catch (error) {
        dataKey.fill(0);
        throw error;
      }
      return new SqliteTokenStore(
        db,
        options.protector,
        dataKey,
        options.cacheRows ?? DEFAULT_CACHE_ROWS,
        options.busyRetry,
      );
    } catch (error) {
      db.close();
      // The protector was handed to the store (KeyProtector.destroy): with no store, drop its secret now.
      options.protector.destroy?.();
      throw toOpenError(error);
    }
  }

  /** The underlying connection, for modules that keep their own tables in the same file (the audit log). */
  get database(): Database.Database {
    return this.db;
  }

  /**
   * Seals secrets that another table of this file keeps (a refresh token waiting to be revoked) with
   * the rows' envelope crypto, so they are protected like a token row. `binding.id` must not look like a
   * token row id (a decimal), so no envelope can pass for another's.
   */
  sealAside(binding: RowBinding, secrets: RowSecrets): Buffer {
    this.assertOpen();
    return this.crypto.seal(binding, secrets);
  }

  /** Opens what `sealAside` sealed; throws RowIntegrityError for a moved, edited or foreign envelope. */
  openAside(binding: RowBinding, sealed: Buffer | null): RowSecrets {
    this.assertOpen();
    return this.crypto.open(binding, sealed);
  }

  /**
   * `reseal` runs inside the re-key transaction with a function that moves one envelope to the new key:
   * such a table changes keys together with the token rows, or not at all.
   */
  onRekey(reseal: (move: AsideReseal) => void): void {
    this.asideResealers.push(reseal);
  }

  /** Whether another program holds the database, and how many side-writes wait for it (database-busy.ts). */
  databaseState(): DatabaseState {
    return this.closed ? { busy: false, pendingWrites: 0 } : this.busy.state();
  }

  /** Called when the database turns busy or free, or the number of waiting side-writes changes. */
  onDatabaseStateChange(listener: () => void): () => void {
    const offBusy = this.busy.monitor.onChange(() => listener());
    const offPending = this.busy.deferred.onChange(listener);
    return () => {
      offBusy();
      offPending();
    };
  }

  /**
   * The data key as stored (wrapped) and its protector's kind: what a backup file carries, so the backup
   * opens with the same passphrase (or keychain) as this store (src/main/backup).
   */
  wrappedDataKey(): { readonly wrapped: string; readonly kind: string } {
    this.assertOpen();
    const select = this.db.prepare<[string], { value: string }>(SELECT_META);
    const wrapped = select.get(META_WRAPPED_KEY)?.value;
    const kind = select.get(META_PROTECTOR_KIND)?.value;
    if (wrapped === undefined || kind === undefined) {
      throw new TokenStoreError('STORAGE', 'The token store has no wrapped data key.');
    }
    return { wrapped, kind };
  }

  /** A subkey of the data key for one purpose other than rows (HKDF; row-crypto.ts). The caller zeroes it. */
  deriveKey(purpose: 'backup-file'): Buffer {
    this.assertOpen();
    return deriveSubkey(this.dataKey, purpose);
  }

  /** When the last backup of this store was written (epoch ms), or null. */
  lastBackupAt(): number | null {
    this.assertOpen();
    const value = this.db.prepare<[string], { value: string }>(SELECT_META).get(META_LAST_BACKUP_AT)?.value;
    const at = value === undefined ? Number.NaN : Number(value);
    return Number.isFinite(at) ? at : null;
  }

  async recordBackup(at: number): Promise<void> {
    await this.write(() => this.upsertMeta.run(META_LAST_BACKUP_AT, String(at)));
  }

  /** Rows now held decrypted in memory (tests and benchmarks; never more than `cacheRows`). */
  get cachedRowCount(): number {
    return this.cache.size;
  }

  async findToken(token: OAuthToken): Promise<OAuthToken | null> {
    // Looked up by the values as they would be stored (stored-text.ts), so what was saved is found again.
    const wanted = storedToken(token);
    return this.read(() => {
      const found = runSteps(matchSteps(wanted), (step) => this.lookup(step));
      return found ? fillFound(found, wanted) : null;
    });
  }

  async findTokenById(id: string): Promise<OAuthToken | null> {
    return this.read(() => (isWellFormedId(id) ? this.lookup({ by: 'id', id }) : null));
  }

  async saveToken(token: OAuthToken): Promise<void> {
    // The one place text is fixed before it is bound, sealed and indexed: the row's envelope is then
    // bound to exactly what SQLite stores (stored-text.ts).
    const stored = storedToken(token);
    const id = await this.write(() => this.saveTransaction(stored));
    token.id = id;
  }

  /**
   * saveToken for many tokens in one transaction (an import of thousands: one commit instead of one fsync
   * per token). All or nothing: after an error none of them is saved. Each token gets its id.
   */
  async saveTokens(tokens: readonly OAuthToken[]): Promise<void> {
    // Text as stored (stored-text.ts), and a wait for another program's lock as for one save.
    const stored = tokens.map(storedToken);
    const ids = await this.write(() => this.saveBatchTransaction(stored));
    tokens.forEach((token, i) => {
      token.id = ids[i] ?? null;
    });
  }

  async deleteToken(id: string): Promise<void> {
    await this.write(() => {
      if (!isWellFormedId(id)) return;
      this.deleteRow.run(Number(id));
      this.cache.delete(Number(id)); // the delete trigger did it already; explicit all the same
    });
  }

  async getTokens(): Promise<OAuthToken[]> {
    const entries = await this.read(() => this.readAll(true) as TokenEntry[]);
    const tokens: OAuthToken[] = [];
    const unreadable: string[] = [];
    for (const entry of entries) {
      if (entry.ok) tokens.push(entry.token);
      else unreadable.push(entry.id);
    }
    if (unreadable.length > 0) log.warn('Skipped unreadable token rows', { ids: unreadable });
    return tokens;
  }

  async deleteTokens(): Promise<void> {
    await this.write(() => {
      this.deleteAll.run();
      this.cache.clear();
    });
  }

  async listEntries(): Promise<TokenEntry[]> {
    return this.read(() => this.readAll(true) as TokenEntry[]);
  }

  /** listEntries without the copies: cached rows come back as the cache's own frozen entries. */
  async readEntries(): Promise<readonly ReadonlyTokenEntry[]> {
    return this.read(() => this.readAll(false));
  }

  /**
   * Protects the store with another KeyProtector (e.g. a new passphrase), under a fresh data key (see
   * `rekey`). Only rewrapping the old key would leave it opening the current file for anyone holding an
   * old copy of the wrapped key and the old passphrase, which is why a passphrase usually gets changed.
   */
  async changeProtector(next: KeyProtector): Promise<RotateResult> {
    const result = await this.rekey(next);
    log.info('Protector changed', { protector: next.kind });
    return result;
  }

  /** A fresh data key under the same protector (see `rekey`). */
  async rotateDataKey(): Promise<RotateResult> {
    const result = await this.rekey(this.protector);
    log.info('Data key rotated', { rows: result.reencrypted, unreadable: result.unreadableIds.length });
    return result;
  }

  /**
   * A fresh data key wrapped by `protector`, and every readable row re-sealed under it, all in one
   * transaction, so a crash part way leaves the old key, old protector and old rows in place. Unreadable
   * rows cannot be re-sealed and stay unreadable. Assumes this is the only open connection that writes
   * tokens (the app is single-instance).
   */
  private async rekey(protector: KeyProtector): Promise<RotateResult> {
    this.assertOpen();
    const newKey = generateDataKey();
    const next = new RowCrypto(newKey);
    let result: RotateResult;
    try {
      const wrapped = await protector.wrap(newKey);
      result = await this.write(() =>
        this.db
          .transaction((): RotateResult => {
            // Decrypt with the key current at commit time: a save may have landed during the await above.
            const rows = this.selectAll.all();
            const unreadableIds: string[] = [];
            let reencrypted = 0;
            for (const row of rows) {
              const entry = this.decodeRow(row);
              if (!entry.ok) {
                unreadableIds.push(entry.id);
                continue;
              }
              this.updateSecrets.run(this.encodeSecrets(entry.token, row.id, next));
              reencrypted++;
            }
            const move: AsideReseal = (binding, sealed) =>
              next.seal(binding, this.crypto.open(binding, sealed));
            for (const reseal of this.asideResealers) reseal(move);
            this.upsertMeta.run(META_WRAPPED_KEY, wrapped);
            this.upsertMeta.run(META_PROTECTOR_KIND, protector.kind);
            return { reencrypted, unreadableIds };
          })
          .immediate(),
      );
    } catch (error) {
      next.destroy();
      newKey.fill(0);
      // A new protector (a new passphrase) that never took over is dropped like one the store stops using.
      if (protector !== this.protector) protector.destroy?.();
      throw error;
    }
    // Entries were authenticated under the old key: never serve them under the new one.
    this.cache.clear();
    this.crypto.destroy();
    this.dataKey.fill(0);
    this.crypto = next;
    this.dataKey = newKey;
    // The old protector (an old passphrase) is no longer needed: drop what it holds.
    if (protector !== this.protector) this.protector.destroy?.();
    this.protector = protector;
    await this.checkpointAfterRekey();
    return result;
  }

  /**
   * secure_delete zeroes freed pages of the database file, not WAL frames: until a checkpoint, the WAL
   * still holds the pages as they were before the re-key (the old wrapped key, the old envelopes), which
   * anyone with the old passphrase could open. A TRUNCATE checkpoint copies the new pages into the file
   * and empties the WAL. It cannot finish while another connection reads an older snapshot; then the
   * frames stay until the next checkpoint, and a warning says so.
   */
  private async checkpointAfterRekey(): Promise<void> {
    try {
      await retryWhileBusy(
        () => {
          const [row] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
          // With busy_timeout 0 SQLite reports a blocked checkpoint instead of waiting: retry it from a timer.
          if (row && row.busy !== 0)
            throw Object.assign(new Error('checkpoint blocked'), { code: 'SQLITE_BUSY' });
        },
        { policy: this.busyRetry },
      );
    } catch (error) {
      if (error instanceof DatabaseBusyError) {
        log.warn('WAL not emptied after re-key: another connection is reading');
        return;
      }
      log.warn('WAL checkpoint after re-key failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Audit rows and notes still waiting for another program's lock get one last try.
    this.busy.close();
    this.cache.clear();
    this.scopesMemo.clear();
    this.db.close();
    this.crypto.destroy();
    this.dataKey.fill(0);
    this.protector.destroy?.();
  }

  private lookup(step: LookupStep): OAuthToken | null {
    const found = this.lookupOnce(step);
    if (found !== RACED) return found;
    // One snapshot for the id search and the row read. Inside a caller's transaction (a save) the first
    // try already had one; RACED there only means a cached row edited behind SQLite's back: not found.
    const again = this.db.inTransaction ? RACED : this.readTransaction(() => this.lookupOnce(step));
    return again === RACED ? null : again;
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
        id = this.selectIdByBlindIndex[step.by].get(this.crypto.blindIndex(step.by, step.value)) ?? null;
    }
    if (id === null) return null;
    // After the id search: a commit it saw from another connection drops the cache before we use it.
    this.syncWithOtherConnections();
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
   * Every row, in id order. Rows in the cache cost a map lookup (and a copy when `copy`); the rest are
   * read and decrypted (by id when few, else in one pass over the table), all in one read snapshot.
   * With `copy`, every token is the caller's own; without, tokens may be shared and frozen.
   */
  private readAll(copy: boolean): ReadonlyTokenEntry[] {
    // A caller's open transaction may hold uncommitted writes: read through the cache, do not fill it.
    const fill = !this.db.inTransaction;
    const decode = (row: TokenRow) => this.decodeEntry(row, fill, copy);
    return this.readTransaction(() => {
      this.syncWithOtherConnections();
      if (this.cache.size === 0) return this.selectAllRaw.all().map((r) => decode(fromRaw(r)));
      const ids = this.selectAllIds.all();
      const entries: ReadonlyTokenEntry[] = new Array(ids.length);
      const missing: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        const cached = this.cache.get(ids[i]!);
        if (cached) entries[i] = copy ? { ok: true, token: handOut(cached.token) } : cached;
        else missing.push(i);
      }
      if (missing.length === 0) return entries;
      if (missing.length <= FEW_MISSES) {
        for (const i of missing) {
          const row = this.selectById.get(ids[i]!);
          // Same snapshot as the id pass, so the row is there; checked all the same.
          if (!row) throw new TokenStoreError('STORAGE', 'A token row vanished during a read.');
          entries[i] = decode(row);
        }
        return entries;
      }
      const rows = this.selectAllRaw.all();
      if (rows.length !== ids.length)
        throw new TokenStoreError('STORAGE', 'Token rows changed during a read.');
      for (const i of missing) entries[i] = decode(fromRaw(rows[i]!));
      return entries;
    });
  }

  /**
   * Drops every entry when another connection has committed since the last read (any table: coarse).
   * Skipped while the cache is empty: nothing to drop, and a commit missed meanwhile only costs one
   * needless clear at the next check, never a stale row.
   */
  private syncWithOtherConnections(): void {
    if (this.cache.size === 0) return;
    const version = this.selectDataVersion.get() ?? 0;
    if (version !== this.seenDataVersion) {
      this.seenDataVersion = version;
      this.cache.clear();
    }
  }

  /**
   * Decrypts and authenticates the envelope of `row`; a success is cached when `fill`. With
   * `copy` the token is the caller's own, else the frozen (possibly cached) one.
   */
  private decodeEntry(row: TokenRow, fill: boolean, copy: boolean): ReadonlyTokenEntry {
    const entry = this.decodeRow(row);
    if (!entry.ok) return entry;
    const frozen: CachedEntry = Object.freeze({ ok: true, token: Object.freeze(entry.token) });
    if (fill && this.cacheLimit > 0 && this.cache.size < this.cacheLimit) this.cache.set(row.id, frozen);
    return copy ? { ok: true, token: handOut(frozen.token) } : frozen;
  }

  private parseScopes(json: string): readonly string[] {
    let scopes = this.scopesMemo.get(json);
    if (scopes === undefined) {
      scopes = Object.freeze(ScopesSchema.parse(JSON.parse(json)));
      if (this.scopesMemo.size >= SCOPES_MEMO_LIMIT) this.scopesMemo.clear();
      this.scopesMemo.set(json, scopes);
    }
    return scopes;
  }

  /** The row decoded, its scopes array shared and frozen: for the store's own use (see decodeEntry). */
  private decodeRow(row: TokenRow): TokenEntry {
    const id = String(row.id);
    try {
      // Bound to the columns as stored: an edited identity, expiry, redirect URL or api_domain, an
      // envelope from another row, or none at all, fails authentication here.
      const secrets = this.crypto.open(bindingOfColumns(id, row), row.secrets_enc);
      const token: OAuthToken = {
        id,
        userName: row.user_name,
        clientId: row.client_id,
        clientSecret: secrets.clientSecret,
        refreshToken: secrets.refreshToken,
        accessToken: secrets.accessToken,
        grantToken: secrets.grantToken,
        expiryTime: row.expiry_time,
        redirectUrl: row.redirect_url,
        apiDomain: row.api_domain,
        dataCenter: parseDataCenter(row.data_center),
        environment: parseEnvironment(row.environment),
        // Frozen and shared between rows: decodeEntry hands callers their own copy.
        scopes: row.scopes === null ? null : this.parseScopes(row.scopes),
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        lastRefreshedAt: row.last_refreshed_at,
        lastError: row.last_error,
      };
      return { ok: true, token };
    } catch (cause) {
      // Only integrity and format failures make a row unreadable; anything else is a real fault.
      if (
        !(cause instanceof RowIntegrityError || cause instanceof z.ZodError || cause instanceof SyntaxError)
      ) {
        throw cause;
      }
      return {
        ok: false,
        id,
        userName: row.user_name,
        clientId: row.client_id,
        dataCenter: row.data_center,
        environment: row.environment,
        error: new TokenStoreError(
          'UNREADABLE_ROW',
          `Token row ${id} failed its integrity check: its secrets, or the user, client, data center or API domain they belong to, were modified outside TokenDesk, or it was sealed with another key, so it cannot be read. Delete it and authorise again.`,
          id,
          { cause },
        ),
      };
    }
  }

  private encode(token: OAuthToken, id: number, crypto: RowCrypto): WriteParams {
    return {
      ...this.encodeSecrets(token, id, crypto),
      user_name: token.userName,
      client_id: token.clientId,
      data_center: token.dataCenter,
      environment: token.environment,
      expiry_time: token.expiryTime,
      redirect_url: token.redirectUrl,
      api_domain: token.apiDomain,
      scopes: token.scopes === null ? null : JSON.stringify(token.scopes),
      created_at: token.createdAt ?? Date.now(),
      updated_at: token.updatedAt ?? Date.now(),
      last_refreshed_at: token.lastRefreshedAt,
      last_error: token.lastError,
    };
  }

  private encodeSecrets(token: OAuthToken, id: number, crypto: RowCrypto): SecretParams {
    // Every save re-seals the envelope, so the bound columns (RowBinding) always match what is written
    // with them; an envelope is written even when every secret is null.
    const index = (field: 'refreshToken' | 'accessToken' | 'grantToken', value: string | null) =>
      value === null || value === '' ? null : crypto.blindIndex(field, value);
    return {
      id,
      secrets_enc: crypto.seal({ ...token, id: String(id) }, token),
      refresh_token_bidx: index('refreshToken', token.refreshToken),
      access_token_bidx: index('accessToken', token.accessToken),
      grant_token_bidx: index('grantToken', token.grantToken),
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new TokenStoreError('STORAGE', 'The token store is closed.');
  }

  /** A read, tried again (asynchronously) in the rare case SQLite answers busy to a reader in WAL mode. */
  private read<T>(operation: () => T): Promise<T> {
    return retryWhileBusy(() => this.guard(operation), {
      policy: this.busyRetry,
      monitor: this.busy.monitor,
    });
  }

  /**
   * A write (one statement or one transaction: it either commits or changes nothing), tried again while
   * another program holds the write lock, then DatabaseBusyError (database-busy.ts).
   */
  private write<T>(operation: () => T): Promise<T> {
    return retryWhileBusy(() => this.guard(operation), {
      policy: this.busyRetry,
      monitor: this.busy.monitor,
      writes: true,
    });
  }

  /** Runs a synchronous store operation; SQLite failures become TokenStoreError('STORAGE'). */
  private guard<T>(operation: () => T): T {
    this.assertOpen();
    try {
      return operation();
    } catch (error) {
      if (error instanceof TokenStoreError) throw error;
      if (error instanceof Database.SqliteError) {
        // SQLite's messages name tables and constraints, never bound values, so they carry no secret.
        throw new TokenStoreError('STORAGE', `Token database error: ${error.message}`, undefined, {
          cause: error,
        });
      }
      throw error;
    }
  }
}

/**
 * On POSIX, the database file is created (or narrowed) to owner read/write (0600) before SQLite opens it:
 * SQLite gives the -wal and -shm files it creates the database file's mode, so they follow. Secrets are
 * encrypted anyway; this keeps other local users from reading who is connected, or copying the file to
 * attack the passphrase offline. Windows ACLs on the user's profile already do this.
 */
function restrictToOwner(path: string): void {
  if (process.platform === 'win32' || path === '' || path === ':memory:') return;
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
}

async function loadOrCreateDataKey(
  db: Database.Database,
  protector: KeyProtector,
  retry: Parameters<typeof retryWhileBusy>[1],
): Promise<Buffer> {
  const select = db.prepare<[string], { value: string }>(SELECT_META);
  const readWrapped = () => {
    const wrapped = select.get(META_WRAPPED_KEY)?.value;
    const kind = select.get(META_PROTECTOR_KIND)?.value;
    return wrapped === undefined ? null : { wrapped, kind: kind ?? '' };
  };
  let existing = readWrapped();
  if (existing === null) {
    const dataKey = generateDataKey();
    try {
      // Wrapping is async (scrypt, safeStorage), so it cannot run inside the transaction; the transaction
      // re-checks, and if another process created a key meanwhile, that one wins and ours is dropped.
      const wrapped = await protector.wrap(dataKey);
      const insert = db.prepare<[string, string]>(INSERT_META);
      const create = db.transaction(() => {
        const raced = readWrapped();
        if (raced !== null) return raced;
        insert.run(META_WRAPPED_KEY, wrapped);
        insert.run(META_PROTECTOR_KIND, protector.kind);
        return null;
      });
      existing = await retryWhileBusy(() => create.immediate(), retry);
    } catch (error) {
      dataKey.fill(0);
      throw error;
    }
    if (existing === null) return dataKey;
    dataKey.fill(0);
  }
  if (existing.kind !== protector.kind) {
    throw new TokenStoreError(
      'LOCKED',
      `This token store's key is protected by "${existing.kind}", not "${protector.kind}"; unlock it with that.`,
    );
  }
  return protector.unwrap(existing.wrapped);
}

function toOpenError(error: unknown): unknown {
  if (error instanceof KeyProtectorError) {
    return new TokenStoreError(
      error.code === 'WRONG_PASSPHRASE' ? 'WRONG_PASSPHRASE' : 'LOCKED',
      error.message,
      undefined,
      { cause: error },
    );
  }
  if (error instanceof Database.SqliteError) {
    return new TokenStoreError('STORAGE', `Cannot open the token database: ${error.message}`, undefined, {
      cause: error,
    });
  }
  return error;
}

function parseDataCenter(value: string | null): DataCenterId | null {
  if (value === null) return null;
  if ((DATA_CENTER_IDS as readonly string[]).includes(value)) return value as DataCenterId;
  throw new SyntaxError('unknown data center');
}

function parseEnvironment(value: string | null): ZohoEnvironment | null {
  if (value === null) return null;
  if ((ENVIRONMENTS as readonly string[]).includes(value)) return value as ZohoEnvironment;
  throw new SyntaxError('unknown environment');
}
