import type BetterSqlite3 from 'better-sqlite3';
import Database from 'better-sqlite3';
import {
  type AuditEntry,
  AuditEntrySchema,
  type AuditFilter,
  OWN_STORE_SOURCE,
} from '../../shared/ipc/views';
import { type Clock, systemClock } from '../common/clock';
import { BUSY_TIMEOUT_PRAGMA } from '../store/database-busy';
import { busyStateOf, type DeferredWrites } from '../store/deferred-writes';
import { storedText } from '../store/stored-text';
import {
  type AuditLog,
  type AuditRecord,
  DEFAULT_AUDIT_LIMIT,
  exportWith,
  sanitiseRecord,
} from './audit-log';
import { ensureAuditTable } from './sqlite-audit-schema';

interface AuditRow {
  id: number;
  at: number;
  action: string;
  token_id: string | null;
  user_name: string | null;
  outcome: string;
  detail: string;
  source: string | null;
}

/** The row's text as SQLite keeps it (well formed, NFC), so what `record` returns is what `list` reads. */
function storedRecord<
  R extends { readonly detail: string; readonly userName: string | null; readonly source: string | null },
>(row: R): R {
  return {
    ...row,
    detail: storedText(row.detail),
    userName: row.userName === null ? null : storedText(row.userName),
    source: row.source === null ? null : storedText(row.source),
  };
}

/** LIKE with the user's text taken literally (`%` and `_` escaped). */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The audit log as a table in the token store's SQLite file, so one file holds everything. Rows carry no
 * secret, so they are not encrypted (and stay readable while the store is locked, for a later export).
 * `record` never waits for a database held by another program: the row is kept and written when the lock
 * is free, and the entry it returns then has id 0 (the id SQLite gives it is not known yet).
 */
export class SqliteAuditLog implements AuditLog {
  private readonly insert: BetterSqlite3.Statement;
  private readonly deferred: DeferredWrites;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly clock: Clock = systemClock,
  ) {
    ensureAuditTable(db);
    this.deferred = busyStateOf(db).deferred;
    this.insert = db.prepare(
      'INSERT INTO audit_log (at, action, token_id, user_name, outcome, detail, source) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  record(entry: AuditRecord): AuditEntry {
    const row = storedRecord(sanitiseRecord(entry));
    const at = entry.at ?? this.clock.now();
    let id = 0;
    // While another program holds the database, the row waits (with the time it happened) and is written
    // as soon as the lock is free (deferred-writes.ts): the operation it records already happened.
    this.deferred.run(() => {
      id = Number(
        this.insert.run(at, row.action, row.tokenId, row.userName, row.outcome, row.detail, row.source)
          .lastInsertRowid,
      );
    }, 'audit row');
    return { id, at, ...row };
  }

  list(filter: AuditFilter = {}): AuditEntry[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.action !== undefined) {
      where.push('action = ?');
      params.push(filter.action);
    }
    if (filter.outcome !== undefined) {
      where.push('outcome = ?');
      params.push(filter.outcome);
    }
    if (filter.source === OWN_STORE_SOURCE) {
      where.push('source IS NULL');
    } else if (filter.source !== undefined) {
      where.push('source = ?');
      params.push(storedText(filter.source));
    }
    if (filter.tokenId !== undefined) {
      where.push('token_id = ?');
      params.push(filter.tokenId);
    }
    if (filter.since !== undefined) {
      where.push('at >= ?');
      params.push(filter.since);
    }
    if (filter.text !== undefined && filter.text !== '') {
      where.push("(detail LIKE ? ESCAPE '\\' OR user_name LIKE ? ESCAPE '\\')");
      const pattern = likePattern(storedText(filter.text));
      params.push(pattern, pattern);
    }
    const sql = `SELECT id, at, action, token_id, user_name, outcome, detail, source FROM audit_log${
      where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''
    } ORDER BY at DESC, id DESC LIMIT ?`;
    params.push(filter.limit ?? DEFAULT_AUDIT_LIMIT);
    const rows = this.db.prepare(sql).all(...params) as AuditRow[];
    return rows.map((r) =>
      AuditEntrySchema.parse({
        id: r.id,
        at: r.at,
        action: r.action,
        tokenId: r.token_id,
        userName: r.user_name,
        outcome: r.outcome,
        detail: r.detail,
        source: r.source,
      }),
    );
  }

  exportCsv(filter: AuditFilter = {}): { csv: string; count: number } {
    return exportWith(this, filter);
  }
}

/**
 * One audit row through a connection of its own (the store is locked, so it has none open), without
 * waiting on the main thread: when another program holds the database, the row waits in the connection's
 * queue (deferred-writes.ts) and the connection closes once it is written.
 */
export function recordOnOwnConnection(path: string, clock: Clock, entry: AuditRecord): void {
  // Only into a file that exists: a missing store must not start to look like one.
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma(BUSY_TIMEOUT_PRAGMA);
    new SqliteAuditLog(db, clock).record(entry);
  } catch (error) {
    db.close();
    throw error;
  }
  const { deferred } = busyStateOf(db);
  if (deferred.pending === 0) {
    db.close();
    return;
  }
  const stop = deferred.onChange(() => {
    if (deferred.pending > 0) return;
    stop();
    db.close();
  });
}
