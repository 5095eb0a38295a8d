import type { LockReason } from '../../shared/ipc/views';
import type { AuditRecord } from '../audit/audit-log';
import { recordOnOwnConnection, type SqliteAuditLog } from '../audit/sqlite-audit-log';
import type { Clock } from '../common/clock';
import { errorCodeOf } from '../errors';
import { createLogger } from '../log';
import { inspectStoreFile } from './store-files';
import { describeFsError } from './store-lifecycle-errors';

const log = createLogger('app.store');

/**
 * Where the store lifecycle's audit rows go: into the open store's log, or, while locked, through a
 * short-lived connection to the file (failed unlocks are audited too: docs/store-lifecycle.md).
 */
export class StoreAuditWriter {
  constructor(
    private readonly dbPath: string,
    private readonly clock: Clock,
    /** The open store's audit log; null while locked. */
    private readonly openLog: () => SqliteAuditLog | null,
  ) {}

  /**
   * Writes an audit row now: into the open store, or (locked) through a short-lived connection. Throws
   * when the row cannot be written; `tryRecord` is the variant for rows beside a main operation.
   */
  record(entry: AuditRecord): void {
    const open = this.openLog();
    if (open) open.record(entry);
    else this.recordWhileLocked(entry);
  }

  /** An audit row beside a main operation: its failure is reported, never turned into the operation's. */
  tryRecord(entry: AuditRecord): string | null {
    try {
      this.record(entry);
      return null;
    } catch (error) {
      log.warn('could not write an audit row', { action: entry.action, errorCode: errorCodeOf(error) });
      return `The audit entry could not be written: ${describeFsError(error)}.`;
    }
  }

  /**
   * Never throws: a failed audit write (e.g. an unreadable file) must not hide the error being audited.
   * Writes only into a real store: a husk or a missing file gets no table, so it never starts to look
   * like a store.
   */
  recordWhileLocked(entry: AuditRecord): void {
    if (inspectStoreFile(this.dbPath).kind !== 'store') return;
    try {
      // Never waits on the main thread for another program's lock (docs/storage.md).
      recordOnOwnConnection(this.dbPath, this.clock, entry);
    } catch (error) {
      log.warn('could not write an audit row while locked', {
        action: entry.action,
        errorCode: errorCodeOf(error),
      });
    }
  }
}

const LOCK_DETAIL: Record<LockReason, string> = {
  manual: 'Locked by the user.',
  idle: 'Locked after no activity for the auto-lock time.',
  system: 'Locked because the computer went to sleep or its screen was locked.',
};

/** The lock's audit row: why the store was locked. */
export function lockAuditDetail(reason: LockReason): string {
  return LOCK_DETAIL[reason];
}
