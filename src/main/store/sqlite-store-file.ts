import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createLogger } from '../log';
import {
  BUSY_TIMEOUT_PRAGMA,
  type BusyRetryPolicy,
  DatabaseBusyError,
  retryWhileBusy,
} from './database-busy';
import { busyStateOf } from './deferred-writes';
import { readExtraWrappedKey } from './extra-protector';
import { type KeyProtector, KeyProtectorError } from './key-protector';
import { generateDataKey } from './row-crypto';
import { INSERT_META, SELECT_META } from './sqlite-queries';
import { migrate, migrateAfterUnlock } from './sqlite-schema';
import { TokenStoreError } from './token-store';

const log = createLogger('store.sqlite');

/** Meta keys, exported for the app's read-only look at a store file before it opens it (store-files.ts). */
export const META_WRAPPED_KEY = 'wrapped_data_key';
export const META_PROTECTOR_KIND = 'protector_kind';
export const META_LAST_BACKUP_AT = 'last_backup_at';

/** An open, migrated store file and its unwrapped data key (the caller owns both). */
export interface OpenedStoreFile {
  readonly db: Database.Database;
  readonly dataKey: Buffer;
}

/**
 * Opens (creating on first use) the database at `path` with the store's pragmas, migrates it, and
 * unwraps (or, for a new file, creates and stores) its data key. The steps that need the key run after
 * it is verified, so a wrong passphrase changes nothing. Errors come out as TokenStoreError
 * ('WRONG_PASSPHRASE', 'LOCKED', 'STORAGE'); the connection is closed and the protector destroyed then.
 * `fillListing` is the part of a migration that needs the key (sqlite-schema.ts, v4); it returns how many
 * rows it filled.
 */
export async function openStoreFile(
  path: string,
  protector: KeyProtector,
  busyRetry: BusyRetryPolicy | undefined,
  fillListing: (db: Database.Database, dataKey: Buffer) => number,
): Promise<OpenedStoreFile> {
  restrictToOwner(path);
  // timeout 0 from the start (better-sqlite3's default is 5 s): not even the first pragma waits.
  const db = new Database(path, { timeout: 0 });
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
    const retry = { policy: busyRetry, monitor: busyStateOf(db).monitor, writes: true };
    await retryWhileBusy(() => migrate(db), retry);
    const dataKey = await loadOrCreateDataKey(db, protector, retry);
    try {
      // The steps that wait for a verified key, so a wrong passphrase changes nothing (sqlite-schema.ts).
      await retryWhileBusy(() => migrateAfterUnlock(db, () => fillListing(db, dataKey)), retry);
    } catch (error) {
      dataKey.fill(0);
      throw error;
    }
    return { db, dataKey };
  } catch (error) {
    db.close();
    // The protector was handed to the store (KeyProtector.destroy): with no store, drop its secret now.
    protector.destroy?.();
    throw toOpenError(error);
  }
}

/**
 * secure_delete zeroes freed pages of the database file, not WAL frames: until a checkpoint, the WAL
 * still holds the pages as they were before the re-key (the old wrapped key, the old envelopes), which
 * anyone with the old passphrase could open. A TRUNCATE checkpoint copies the new pages into the file
 * and empties the WAL. It cannot finish while another connection reads an older snapshot; then the
 * frames stay until the next checkpoint, and a warning says so.
 */
export async function checkpointAfterRekey(
  db: Database.Database,
  busyRetry: BusyRetryPolicy | undefined,
): Promise<void> {
  try {
    await retryWhileBusy(
      () => {
        const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        // With busy_timeout 0 SQLite reports a blocked checkpoint instead of waiting: retry it from a timer.
        if (row && row.busy !== 0)
          throw Object.assign(new Error('checkpoint blocked'), { code: 'SQLITE_BUSY' });
      },
      { policy: busyRetry },
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

/** The data key as stored (wrapped) and its protector's kind: what a backup file carries. */
export function readWrappedKey(db: Database.Database): { readonly wrapped: string; readonly kind: string } {
  const select = db.prepare<[string], { value: string }>(SELECT_META);
  const wrapped = select.get(META_WRAPPED_KEY)?.value;
  const kind = select.get(META_PROTECTOR_KIND)?.value;
  if (wrapped === undefined || kind === undefined) {
    throw new TokenStoreError('STORAGE', 'The token store has no wrapped data key.');
  }
  return { wrapped, kind };
}

/** When the last backup of the store was written (epoch ms), or null. */
export function readLastBackupAt(db: Database.Database): number | null {
  const value = db.prepare<[string], { value: string }>(SELECT_META).get(META_LAST_BACKUP_AT)?.value;
  const at = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(at) ? at : null;
}

/** Runs a synchronous store operation; SQLite failures become TokenStoreError('STORAGE'). */
export function asStorageError<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof TokenStoreError) throw error;
    if (error instanceof Database.SqliteError) {
      // SQLite's messages name tables and constraints, never bound values, so they carry no secret.
      throw new TokenStoreError('STORAGE', `Token database error: ${error.message}`, { cause: error });
    }
    throw error;
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
  if (existing.kind === protector.kind) return protector.unwrap(existing.wrapped);
  // A store may also open with a second protector of another kind (extra-protector.ts).
  const extra = readExtraWrappedKey(db);
  if (extra !== null && extra.kind === protector.kind) return protector.unwrap(extra.wrapped);
  const kinds = extra === null ? `"${existing.kind}"` : `"${existing.kind}" or "${extra.kind}"`;
  throw new TokenStoreError(
    'LOCKED',
    `This token store's key is protected by ${kinds}, not "${protector.kind}"; unlock it with that.`,
  );
}

function toOpenError(error: unknown): unknown {
  if (error instanceof KeyProtectorError) {
    return new TokenStoreError(
      error.code === 'WRONG_PASSPHRASE' ? 'WRONG_PASSPHRASE' : 'LOCKED',
      error.message,
      { cause: error },
    );
  }
  if (error instanceof Database.SqliteError) {
    return new TokenStoreError('STORAGE', `Cannot open the token database: ${error.message}`, {
      cause: error,
    });
  }
  return error;
}
