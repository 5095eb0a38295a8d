import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ensureAuditTable } from '../audit/sqlite-audit-schema';
import { isBusyError } from '../store/database-busy';
import { BackupError } from './backup-errors';

/** How long a restore waits, in all, for another program to let go of the database's write lock. */
const REPLACE_BUSY_MS = 10_000;

/**
 * The snapshot as one self-contained file: the online backup copies the source's pages, header included,
 * so the copy says "WAL"; switching it to a rollback journal folds everything into the file itself.
 */
export function singleFileSnapshot(path: string): Buffer {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = DELETE');
    if (db.pragma('quick_check', { simple: true }) !== 'ok') {
      throw new BackupError('BACKUP_IO', 'The snapshot of the database failed its integrity check.');
    }
  } finally {
    db.close();
  }
  return readFileSync(path);
}

/**
 * The audit trail records what happened (at Zoho too) and is not rolled back with the tokens: the current
 * store's audit rows newer than the backup's newest are copied into the candidate before it replaces the
 * store. Returns how many.
 */
interface AuditRowCopy {
  at: number;
  action: string;
  token_id: string | null;
  user_name: string | null;
  outcome: string;
  detail: string;
  source: string | null;
}

export function carryAuditOver(live: Database.Database, candidate: string): number {
  const target = new Database(candidate);
  try {
    const hasTable = (db: Database.Database) =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() !==
      undefined;
    if (!hasTable(live) || !hasTable(target)) return 0;
    // A backup made before the audit log had a source and a `partial` outcome takes the live rows only
    // once its table has the same shape (sqlite-audit-schema.ts).
    ensureAuditTable(target);
    const newest = target.prepare<[], number | null>('SELECT max(at) FROM audit_log').pluck().get() ?? -1;
    // From the newest time on (rows of the same millisecond may be on either side of the snapshot),
    // skipping rows the backup already has.
    const rows = live
      .prepare<[number], AuditRowCopy>(
        'SELECT at, action, token_id, user_name, outcome, detail, source FROM audit_log WHERE at >= ? ORDER BY id',
      )
      .all(newest);
    const present = target.prepare<[number, string, string], number>(
      'SELECT count(*) FROM audit_log WHERE at = ? AND action = ? AND detail = ?',
    );
    const insert = target.prepare<[AuditRowCopy]>(
      'INSERT INTO audit_log (at, action, token_id, user_name, outcome, detail, source) VALUES (@at, @action, @token_id, @user_name, @outcome, @detail, @source)',
    );
    let carried = 0;
    target.transaction(() => {
      for (const row of rows) {
        if (row.at === newest && (present.pluck().get(row.at, row.action, row.detail) ?? 0) > 0) continue;
        insert.run(row);
        carried++;
      }
    })();
    return carried;
  } finally {
    target.close();
  }
}

/**
 * Copies the checked candidate into the live database file through SQLite's backup API: one write
 * transaction on the destination, so it is atomic for every connection (another program's too), and a
 * crash part way leaves the old contents. Waits (asynchronously, bounded) for another program's lock.
 */
export async function replaceContents(candidate: string, dbPath: string): Promise<void> {
  const source = new Database(candidate, { readonly: true });
  const started = Date.now();
  try {
    for (let delay = 10; ; delay = Math.min(delay * 2, 500)) {
      try {
        await source.backup(dbPath);
        return;
      } catch (error) {
        if (!isBusyError(error) || Date.now() - started > REPLACE_BUSY_MS) throw error;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  } finally {
    source.close();
  }
}
