import type { AuditEntry, AuditFilter } from '../../shared/ipc/views';
import { type Clock, systemClock } from '../common/clock';
import {
  type AuditLog,
  type AuditRecord,
  DEFAULT_AUDIT_LIMIT,
  exportWith,
  matchesAuditSource,
  sanitiseRecord,
} from './audit-log';

/**
 * The rows this process recorded, kept in memory while it runs: where there is no store to write them
 * into (the CLI with no local store yet) and as the team console's own list beside its team-store
 * writes (TeamServiceAuditLog). Nothing here survives the process; an audit that must is a store's.
 */
export class SessionAuditLog implements AuditLog {
  private readonly rows: AuditEntry[] = [];

  constructor(private readonly clock: Clock = systemClock) {}

  record(entry: AuditRecord): AuditEntry {
    const row: AuditEntry = {
      id: this.rows.length + 1,
      at: entry.at ?? this.clock.now(),
      ...sanitiseRecord(entry),
    };
    this.rows.push(row);
    return row;
  }

  list(filter: AuditFilter = {}): AuditEntry[] {
    const text = filter.text?.toLowerCase();
    return this.rows
      .filter(
        (r) =>
          (filter.action === undefined || r.action === filter.action) &&
          (filter.outcome === undefined || r.outcome === filter.outcome) &&
          matchesAuditSource(r.source, filter.source) &&
          (filter.tokenId === undefined || r.tokenId === filter.tokenId) &&
          (filter.since === undefined || r.at >= filter.since) &&
          (text === undefined ||
            r.detail.toLowerCase().includes(text) ||
            (r.userName ?? '').toLowerCase().includes(text)),
      )
      .sort((a, b) => b.at - a.at || b.id - a.id)
      .slice(0, filter.limit ?? DEFAULT_AUDIT_LIMIT);
  }

  exportCsv(filter: AuditFilter = {}): { csv: string; count: number } {
    return exportWith(this, filter);
  }
}
