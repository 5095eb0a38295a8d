import { errorCodeOf } from '../errors';
import { createLogger } from '../log';
import { describeWriteFailure } from '../tokens/write-failure';
import type { AuditLog, AuditRecord } from './audit-log';

const log = createLogger('service.audit');

/** Entries kept for a later write at most; past it the oldest goes (and the log says so). */
export const AUDIT_QUEUE_LIMIT = 1_000;

/**
 * The audit log as the services write it: a side-write. A failed write (disk full, database busy)
 * never throws into the operation that is being recorded, because that operation already happened
 * (docs/failure-outcomes.md); it is queued, written again before the next entry, and reported to the
 * caller as words it can pass to the user ("the audit entry could not be written: disk full").
 * Queued entries carry their original time, so the log stays in the order things happened.
 */
export class AuditTrail {
  private readonly queue: (AuditRecord & { readonly at: number })[] = [];

  constructor(
    readonly log: AuditLog,
    private readonly now: () => number,
  ) {}

  /** Writes `entry` (after any queued ones); null on success, else what went wrong, in words. */
  record(entry: AuditRecord): string | null {
    const blocked = this.flush();
    if (blocked === null) {
      try {
        this.log.record(entry);
        return null;
      } catch (error) {
        return this.enqueue(entry, error);
      }
    }
    return this.enqueue(entry, blocked);
  }

  /** Entries still waiting to be written. */
  get queued(): number {
    return this.queue.length;
  }

  /** Writes what is queued, oldest first; stops at the first failure and returns its error (else null). */
  flush(): unknown {
    while (this.queue.length > 0) {
      try {
        this.log.record(this.queue[0]!);
      } catch (error) {
        return error ?? new Error('audit write failed');
      }
      this.queue.shift();
    }
    return null;
  }

  private enqueue(record: AuditRecord, error: unknown): string {
    const entry = { ...record, at: record.at ?? this.now() };
    if (this.queue.length >= AUDIT_QUEUE_LIMIT) {
      this.queue.shift();
      log.warn('Audit queue full: the oldest unwritten entry was dropped');
    }
    this.queue.push(entry);
    log.warn('Audit entry not written; queued', { errorCode: errorCodeOf(error), queued: this.queue.length });
    return `the audit entry could not be written: ${describeWriteFailure(error)} (it is kept and written once the database accepts it)`;
  }
}
