import { describe, expect, it } from 'vitest';
import type { AuditLog, AuditRecord } from './audit-log';
import { AuditTrail } from './audit-trail';
import { SessionAuditLog } from './session-audit-log';

/** A log whose writes fail while `full` is set, with SQLite's own error code. */
function flakyLog(now: () => number): { log: AuditLog; setFull(full: boolean): void } {
  const inner = new SessionAuditLog({ now });
  let full = false;
  const log: AuditLog = {
    record(entry: AuditRecord) {
      if (full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return inner.record(entry);
    },
    list: (filter) => inner.list(filter),
    exportCsv: (filter) => inner.exportCsv(filter),
  };
  return { log, setFull: (f) => (full = f) };
}

describe('AuditTrail', () => {
  it('never throws: a failed write is queued, said in words, and written first, with its own time, later', () => {
    let now = 1_000;
    const { log, setFull } = flakyLog(() => now);
    const trail = new AuditTrail(log, () => now);
    setFull(true);
    const problem = trail.record({ action: 'delete', outcome: 'success', detail: 'first' });
    expect(problem).toMatch(/^the audit entry could not be written: disk full/);
    now = 2_000;
    expect(trail.record({ action: 'delete', outcome: 'success', detail: 'second' })).toMatch(/disk full/);
    expect(trail.queued).toBe(2);
    expect(log.list()).toEqual([]);

    setFull(false);
    now = 3_000;
    expect(trail.record({ action: 'revoke', outcome: 'success', detail: 'third' })).toBeNull();
    expect(trail.queued).toBe(0);
    // Newest first, each at the time it happened.
    expect(log.list().map((e) => [e.detail, e.at])).toEqual([
      ['third', 3_000],
      ['second', 2_000],
      ['first', 1_000],
    ]);
  });
});
