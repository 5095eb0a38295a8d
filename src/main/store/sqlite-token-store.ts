import type Database from 'better-sqlite3';
import { createLogger } from '../log';
import { type BusyRetryPolicy, type DatabaseState, retryWhileBusy } from './database-busy';
import { DEFAULT_CACHE_ROWS } from './decrypted-row-cache';
import { busyStateOf, type ConnectionBusyState } from './deferred-writes';
import type { KeyProtector } from './key-protector';
import type { OAuthToken } from './oauth-token';
import { type ListingColumns, listingColumns, plainColumns, type SealedSecrets, sealRow } from './row-codec';
import { type RowBinding, RowCrypto, type RowSecrets } from './row-crypto';
import {
  DELETE_ALL,
  DELETE_ROW,
  INSERT_ROW,
  SELECT_LAST_ID,
  UPDATE_ROW,
  UPSERT_META,
} from './sqlite-queries';
import { type AsideReseal, fillListingColumns, type RotateResult } from './sqlite-rekey';
import { SqliteRowReader } from './sqlite-row-reader';
import {
  asStorageError,
  META_LAST_BACKUP_AT,
  openStoreFile,
  readLastBackupAt,
  readWrappedKey,
} from './sqlite-store-file';
import { StoreKeys } from './sqlite-store-keys';
import { storedToken } from './stored-text';
import { fillFound, isWellFormedId, matchSteps, planSave, runSteps } from './token-matching';
import {
  type ListableTokenStore,
  type ListedEntry,
  type ReadonlyTokenEntry,
  type TokenEntry,
  TokenStoreError,
} from './token-store';

export { DEFAULT_CACHE_ROWS } from './decrypted-row-cache';
export type { AsideReseal, RotateResult } from './sqlite-rekey';
export { META_PROTECTOR_KIND, META_WRAPPED_KEY } from './sqlite-store-file';

const log = createLogger('store.sqlite');

export interface SqliteTokenStoreOptions {
  /** Database file; created on first open. */
  readonly path: string;
  /** Wraps the data key: PassphraseKeyProtector, or safeStorage at the Electron edge. */
  readonly protector: KeyProtector;
  /**
   * Most rows kept decrypted in memory (decrypted-row-cache.ts). Default DEFAULT_CACHE_ROWS; 0 turns the
   * cache off, so every read decrypts.
   */
  readonly cacheRows?: number;
  /** How long a busy database (held by another program) is waited for, asynchronously; database-busy.ts. */
  readonly busyRetry?: BusyRetryPolicy;
}

/** The parameters of INSERT_ROW / UPDATE_ROW. */
type WriteParams = ReturnType<typeof plainColumns> & SealedSecrets & ListingColumns & { readonly id: number };

type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>;

/**
 * The TokenStore on an encrypted SQLite file (docs/architecture.md "Secrets", docs/storage.md): a row's
 * secrets sealed together as one AES-256-GCM envelope bound to the row (row-codec.ts, row-crypto.ts),
 * found by HMAC blind index, the data key wrapped by a KeyProtector. Reads go through the decrypted-row
 * cache (sqlite-row-reader.ts, decrypted-row-cache.ts).
 * better-sqlite3 is synchronous, so each method does its work in one go (inside one transaction where it
 * writes); the async signatures are the SDK's contract.
 */
export class SqliteTokenStore implements ListableTokenStore {
  /** The data key, its protectors and the re-key: zeroed on close (sqlite-store-keys.ts). */
  private readonly keys: StoreKeys;
  private closed = false;
  private readonly reader: SqliteRowReader;
  private readonly selectLastId: Statement<[], { seq: number }>;
  private readonly insertRow: Statement<[WriteParams]>;
  private readonly updateRow: Statement<[WriteParams]>;
  private readonly deleteRow: Statement<[number]>;
  private readonly deleteAll: Statement<[]>;
  private readonly upsertMeta: Statement<[string, string]>;
  /** `saveRow` in an immediate transaction: the lookup and the write under one write lock. */
  private readonly saveTransaction: Database.Transaction<(token: OAuthToken) => string>;
  /** Many `saveRow`s, each a savepoint inside one transaction: one commit (one fsync) for all. */
  private readonly saveBatchTransaction: Database.Transaction<(tokens: readonly OAuthToken[]) => string[]>;
  /** Tables beside `tokens` whose envelopes must follow a re-key (see `sealAside`). */
  private readonly asideResealers: ((reseal: AsideReseal) => void)[] = [];
  private readonly busy: ConnectionBusyState;

  private constructor(
    private readonly db: Database.Database,
    protector: KeyProtector,
    crypto: RowCrypto,
    cacheRows: number,
    private readonly busyRetry: BusyRetryPolicy | undefined,
  ) {
    this.busy = busyStateOf(db);
    this.reader = new SqliteRowReader(db, cacheRows, () => this.keys.crypto);
    this.keys = new StoreKeys(
      {
        db,
        reader: this.reader,
        asideResealers: this.asideResealers,
        busyRetry,
        write: (operation) => this.write(operation),
        assertOpen: () => this.assertOpen(),
      },
      protector,
      crypto,
    );
    // Every statement is prepared here, once: re-preparing per call would dominate write time.
    this.selectLastId = db.prepare(SELECT_LAST_ID);
    this.insertRow = db.prepare(INSERT_ROW);
    this.updateRow = db.prepare(UPDATE_ROW);
    this.deleteRow = db.prepare(DELETE_ROW);
    this.deleteAll = db.prepare(DELETE_ALL);
    this.upsertMeta = db.prepare(UPSERT_META);
    this.saveTransaction = db.transaction((token: OAuthToken) => this.saveRow(token));
    this.saveBatchTransaction = db.transaction((tokens: readonly OAuthToken[]) =>
      tokens.map((token) => this.saveTransaction(token)),
    );
  }

  /**
   * Opens (creating on first use) the store at `path`. The first open makes a random data key and stores
   * it wrapped by `protector`; later opens unwrap it. Throws TokenStoreError 'WRONG_PASSPHRASE' (message
   * says "wrong passphrase") or 'LOCKED' when the key cannot be unwrapped.
   */
  static async open(options: SqliteTokenStoreOptions): Promise<SqliteTokenStore> {
    const { db, dataKey } = await openStoreFile(
      options.path,
      options.protector,
      options.busyRetry,
      fillListingColumns,
    );
    try {
      return new SqliteTokenStore(
        db,
        options.protector,
        new RowCrypto(dataKey),
        options.cacheRows ?? DEFAULT_CACHE_ROWS,
        options.busyRetry,
      );
    } catch (error) {
      db.close();
      options.protector.destroy?.();
      throw error;
    } finally {
      // RowCrypto keeps its own copy.
      dataKey.fill(0);
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
    return this.keys.crypto.seal(binding, secrets);
  }

  /** Opens what `sealAside` sealed; throws RowIntegrityError for a moved, edited or foreign envelope. */
  openAside(binding: RowBinding, sealed: Buffer | null): RowSecrets {
    this.assertOpen();
    return this.keys.crypto.open(binding, sealed);
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
    return readWrappedKey(this.db);
  }

  /** A subkey of the data key for one purpose other than rows (HKDF; row-crypto.ts). The caller zeroes it. */
  deriveKey(purpose: 'backup-file'): Buffer {
    this.assertOpen();
    return this.keys.crypto.deriveKey(purpose);
  }

  /** When the last backup of this store was written (epoch ms), or null. */
  lastBackupAt(): number | null {
    this.assertOpen();
    return readLastBackupAt(this.db);
  }

  async recordBackup(at: number): Promise<void> {
    await this.write(() => this.upsertMeta.run(META_LAST_BACKUP_AT, String(at)));
  }

  /** Rows now held decrypted in memory (tests and benchmarks; never more than `cacheRows`). */
  get cachedRowCount(): number {
    return this.reader.cache.size;
  }

  async findToken(token: OAuthToken): Promise<OAuthToken | null> {
    // Looked up by the values as they would be stored (stored-text.ts), so what was saved is found again.
    const wanted = storedToken(token);
    return this.read(() => {
      const found = runSteps(matchSteps(wanted), (step) => this.reader.lookup(step));
      return found ? fillFound(found, wanted) : null;
    });
  }

  async findTokenById(id: string): Promise<OAuthToken | null> {
    return this.read(() => (isWellFormedId(id) ? this.reader.lookup({ by: 'id', id }) : null));
  }

  async saveToken(token: OAuthToken): Promise<void> {
    // The one place text is fixed before it is bound, sealed and indexed: the row's envelope is then
    // bound to exactly what SQLite stores (stored-text.ts).
    const stored = storedToken(token);
    const id = await this.write(() => this.saveTransaction.immediate(stored));
    // A token getTokens handed out is frozen and keeps its id: it can be saved back as it is.
    if (token.id !== id) token.id = id;
  }

  /**
   * saveToken for many tokens in one transaction (an import of thousands: one commit instead of one fsync
   * per token). All or nothing: after an error none of them is saved. Each token gets its id.
   */
  async saveTokens(tokens: readonly OAuthToken[]): Promise<void> {
    // Text as stored (stored-text.ts), and a wait for another program's lock as for one save.
    const stored = tokens.map(storedToken);
    const ids = await this.write(() => this.saveBatchTransaction.immediate(stored));
    tokens.forEach((token, i) => {
      token.id = ids[i] ?? null;
    });
  }

  async deleteToken(id: string): Promise<void> {
    await this.write(() => {
      if (!isWellFormedId(id)) return;
      this.deleteRow.run(Number(id));
      this.reader.cache.forget(Number(id)); // the delete trigger did it already; explicit all the same
    });
  }

  /**
   * Every readable token, as the decrypted-row cache's frozen tokens (no copy: a whole-store read of a
   * large store would spend most of its time copying). Copy one before changing it.
   */
  async getTokens(): Promise<readonly Readonly<OAuthToken>[]> {
    const entries = await this.read(() => this.reader.readAll(false));
    const unchanged = this.reader.cache.tokensOfWholeTable(entries);
    if (unchanged) return unchanged;
    const tokens: Readonly<OAuthToken>[] = [];
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
      this.reader.cache.clear();
    });
  }

  async listEntries(): Promise<TokenEntry[]> {
    return this.read(() => this.reader.readAll(true) as TokenEntry[]);
  }

  /**
   * Every row without its secrets, checked by its listing MAC instead of decrypted (docs/storage.md
   * "Listing without secrets"): what the console lists.
   */
  async listWithoutSecrets(): Promise<readonly ListedEntry[]> {
    return this.read(() => this.reader.listWithoutSecrets());
  }

  /** listEntries without the copies: cached rows come back as the cache's own frozen entries. */
  async readEntries(): Promise<readonly ReadonlyTokenEntry[]> {
    return this.read(() => this.reader.readAll(false));
  }

  /**
   * Protects the store with another KeyProtector (e.g. a new passphrase), under a fresh data key
   * (sqlite-store-keys.ts). A store with a second protector needs it handed over too (`extra`).
   */
  changeProtector(
    next: KeyProtector,
    options: { readonly extra?: KeyProtector } = {},
  ): Promise<RotateResult> {
    return this.keys.changeProtector(next, options);
  }

  /** A fresh data key under the same protector(s), every row re-sealed (sqlite-store-keys.ts). */
  rotateDataKey(options: { readonly extra?: KeyProtector } = {}): Promise<RotateResult> {
    return this.keys.rotateDataKey(options);
  }

  /** The kinds of protector that open this store: the first, and the second when one was added. */
  protectorKinds(): { readonly primary: string; readonly extra: string | null } {
    return this.keys.protectorKinds();
  }

  /** Lets a second protector of another kind open the store too (sqlite-store-keys.ts). */
  addExtraProtector(extra: KeyProtector): Promise<void> {
    return this.keys.addExtraProtector(extra);
  }

  /** Removes the second protector under a fresh data key wrapped by `primary` alone. */
  removeExtraProtector(primary: KeyProtector): Promise<RotateResult> {
    return this.keys.removeExtraProtector(primary);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Audit rows and notes still waiting for another program's lock get one last try.
    this.busy.close();
    this.reader.clear();
    this.db.close();
    this.keys.destroy();
  }

  /**
   * One save, inside the caller's transaction (`saveTransaction` makes it immediate, so two processes
   * saving the same identity cannot both decide "insert"): the matching rules decide update or insert.
   */
  private saveRow(token: OAuthToken): string {
    const plan = planSave(token, (step) => this.reader.lookup(step), Date.now());
    if (plan.kind === 'update') {
      this.updateRow.run(this.encode(plan.token, Number(plan.token.id)));
      return plan.token.id!;
    }
    // The id must be known before encrypting (it is in the AAD). sqlite_sequence holds the largest id
    // ever used, so ids only grow, even after deletes; INSERT with an explicit id keeps it up to date.
    const id = (this.selectLastId.get()?.seq ?? 0) + 1;
    this.insertRow.run(this.encode(plan.token, id));
    return String(id);
  }

  private encode(token: OAuthToken, id: number): WriteParams {
    const plain = plainColumns(token);
    const crypto = this.keys.crypto;
    const sealed = sealRow(token, String(id), crypto);
    return { id, ...plain, ...sealed, ...listingColumns(id, token, plain, sealed.secrets_enc, crypto) };
  }

  private assertOpen(): void {
    if (this.closed) throw new TokenStoreError('STORAGE', 'The token store is closed.');
  }

  /** A read, tried again (asynchronously) in the rare case SQLite answers busy to a reader in WAL mode. */
  private read<T>(operation: () => T): Promise<T> {
    return this.attempt(operation, false);
  }

  /**
   * A write (one statement or one transaction: it either commits or changes nothing), tried again while
   * another program holds the write lock, then DatabaseBusyError (database-busy.ts).
   */
  private write<T>(operation: () => T): Promise<T> {
    return this.attempt(operation, true);
  }

  private attempt<T>(operation: () => T, writes: boolean): Promise<T> {
    const run = () => {
      this.assertOpen();
      return asStorageError(operation);
    };
    return retryWhileBusy(run, { policy: this.busyRetry, monitor: this.busy.monitor, writes });
  }
}
