import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { META_EXTRA_PROTECTOR_KIND } from '../store/extra-protector';
import { META_PROTECTOR_KIND, META_WRAPPED_KEY, type SqliteTokenStore } from '../store/sqlite-token-store';

export type ProtectorChoice = 'keychain' | 'passphrase';

/**
 * What sits where the token store should be, read without changing anything. A store is a file that holds
 * a wrapped data key: a file without one (0 bytes, or tables from a set-up that failed halfway) is a
 * `husk`, never a store, so nothing ever "unlocks" it with whatever passphrase was typed.
 */
export type StoreOnDisk =
  | { readonly kind: 'absent' }
  | { readonly kind: 'husk'; readonly bytes: number }
  /**
   * `protector` from the file's own meta row (null for a kind this build does not know); `alsoPassphrase`
   * when a keychain store also opens with a passphrase (its second protector, src/main/store).
   */
  | { readonly kind: 'store'; readonly protector: ProtectorChoice | null; readonly alsoPassphrase: boolean }
  /** Not readable as SQLite (damaged, or not a database): opening it reports the real error. */
  | { readonly kind: 'unreadable' };

/** The files SQLite keeps beside a database in WAL mode (and the rollback journal of older modes). */
const COMPANIONS = ['-wal', '-shm', '-journal'] as const;

export function inspectStoreFile(path: string): StoreOnDisk {
  if (!existsSync(path)) return { kind: 'absent' };
  const bytes = statSync(path).size;
  // A 0-byte file with a WAL beside it may still hold a store (its pages not yet copied back): let SQLite
  // read both. A lone 0-byte file has nothing to read.
  if (bytes === 0 && !existsSync(`${path}-wal`)) return { kind: 'husk', bytes };
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    if (!hasMeta) return { kind: 'husk', bytes };
    const select = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    if (select.get(META_WRAPPED_KEY) === undefined) return { kind: 'husk', bytes };
    return {
      kind: 'store',
      protector: protectorOfKind(select.get(META_PROTECTOR_KIND)?.value),
      alsoPassphrase: select.get(META_EXTRA_PROTECTOR_KIND)?.value === 'passphrase',
    };
  } catch {
    return { kind: 'unreadable' };
  } finally {
    db?.close();
  }
}

function protectorOfKind(kind: string | undefined): ProtectorChoice | null {
  if (kind === 'passphrase') return 'passphrase';
  if (kind === 'safeStorage') return 'keychain';
  return null;
}

/** Removes a database and its companion files (a set-up's temporary store that failed). */
export function removeDatabaseFiles(path: string): void {
  for (const file of [path, ...COMPANIONS.map((suffix) => `${path}${suffix}`)]) {
    rmSync(file, { force: true });
  }
}

/**
 * Moves what is left at `path` (a husk and any companion files) out of the way before a new store takes
 * the name, keeping anything with bytes in it under `<name>.set-aside-<stamp>`: nothing is destroyed
 * that someone might still want to look at. Returns the new name of the main file, if it was kept.
 */
export function setAsideDatabaseFiles(path: string, stamp: number): string | null {
  let kept: string | null = null;
  for (const suffix of ['', ...COMPANIONS]) {
    const file = `${path}${suffix}`;
    if (!existsSync(file)) continue;
    if (statSync(file).size === 0) {
      rmSync(file, { force: true });
      continue;
    }
    const aside = `${path}.set-aside-${stamp}${suffix}`;
    renameSync(file, aside);
    if (suffix === '') kept = aside;
  }
  return kept;
}

/** The temporary name a new store is created under; renamed to `path` only once it is complete. */
export function setupFileName(path: string, nonce: string): string {
  return `${path}.setup-${nonce}`;
}

/** Removes temporary stores left by a set-up that crashed (never a real store: those have `path`'s name). */
export function removeStaleSetupFiles(path: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.setup-`;
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix)) rmSync(join(dir, name), { force: true });
  }
}

/**
 * Creates the store under a temporary name, checkpoints it into its main file and renames it into place:
 * the store's name only ever holds a complete store. On any failure the temporary files are removed.
 */
export async function createStoreFile(
  dbPath: string,
  createAt: (path: string) => Promise<SqliteTokenStore>,
): Promise<void> {
  const temp = setupFileName(dbPath, randomBytes(6).toString('hex'));
  try {
    const created = await createAt(temp);
    try {
      created.database.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      created.close();
    }
    renameSync(temp, dbPath);
  } catch (error) {
    removeDatabaseFiles(temp);
    throw error;
  }
  // The checkpoint emptied the WAL; drop whatever companion files the temporary name still has.
  removeDatabaseFiles(temp);
}
