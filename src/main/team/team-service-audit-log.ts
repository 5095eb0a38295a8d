import type { AuditEntry, AuditFilter } from '../../shared/ipc/views';
import type { AuditLog, AuditRecord } from '../audit/audit-log';
import { SessionAuditLog } from '../audit/session-audit-log';
import { type Clock, systemClock } from '../common/clock';
import { createLogger } from '../log';
import type { TeamAuditLog } from './team-audit-log';

const log = createLogger('team.audit');

/**
 * The console services' AuditLog (synchronous by design: the local one is SQLite in-process) over the
 * team store's audit table. Each record is kept in memory for this process's own list and written to
 * `team_audit`, attributed to this member, in the order recorded. A write that fails is logged as a
 * failed side-write; it never turns the action it describes into a failure (DESIGN "Failure rules").
 * `flush` waits for every write so far (tests, and before close).
 */
export class TeamServiceAuditLog implements AuditLog {
  private readonly local: SessionAuditLog;
  private pending: Promise<void> = Promise.resolve();
  private failures = 0;

  constructor(
    private readonly team: TeamAuditLog,
    clock: Clock = systemClock,
  ) {
    this.local = new SessionAuditLog(clock);
  }

  record(entry: AuditRecord): AuditEntry {
    // The token use cases word removals for the local store ("deleted from this computer").
    const worded = { ...entry, detail: entry.detail.replaceAll('from this computer', 'from the team store') };
    const row = this.local.record(worded);
    this.pending = this.pending.then(async () => {
      try {
        await this.team.record(worded);
      } catch (error) {
        this.failures += 1;
        log.error('Audit row not written to the team store', {
          action: entry.action,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    });
    return row;
  }

  list(filter?: AuditFilter): AuditEntry[] {
    return this.local.list(filter);
  }

  exportCsv(filter?: AuditFilter): { csv: string; count: number } {
    return this.local.exportCsv(filter);
  }

  /** Resolves once every record so far reached the team store (or failed); returns the failure count. */
  async flush(): Promise<number> {
    await this.pending;
    return this.failures;
  }
}
