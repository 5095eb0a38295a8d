import {
  type AuditAction,
  type AuditEntry,
  type AuditFilter,
  type AuditOutcome,
  OWN_STORE_SOURCE,
} from '../../shared/ipc/views';
import { toCsv } from '../common/csv';
import { redactSecrets } from '../log';
import { consoleUserName } from '../tokens/user-name';

/** What a caller records; time and id are assigned by the log. `detail` is plain words, never a secret. */
export interface AuditRecord {
  readonly action: AuditAction;
  /** `partial` when some but not all of what was asked happened (docs/failure-outcomes.md). */
  readonly outcome: AuditOutcome;
  readonly detail: string;
  readonly tokenId?: string | null;
  readonly userName?: string | null;
  /** The token source acted on (its display name); absent or null: the store this log belongs to. */
  readonly source?: string | null;
  /** When it happened (epoch ms); default: when it is written. A queued entry keeps its own time. */
  readonly at?: number;
}

/**
 * The audit trail (docs/architecture.md "Token rules": every grant, refresh, revoke, delete, clear, test, copy,
 * import, export and failed unlock writes a row). Listing is newest first.
 */
export interface AuditLog {
  record(entry: AuditRecord): AuditEntry;
  list(filter?: AuditFilter): AuditEntry[];
  /** The matching rows as CSV; the export itself is recorded as an `export` row. */
  exportCsv(filter?: AuditFilter): { csv: string; count: number };
}

export const DEFAULT_AUDIT_LIMIT = 1_000;
const CSV_HEADER = ['id', 'time', 'action', 'source', 'token_id', 'user', 'outcome', 'detail'] as const;

/**
 * Defence in depth: even if a caller slips, no token-shaped value reaches a row. The user is recorded as
 * a person reads it: the email, also for a row the SDK named `<email>:<org id>` (user-name.ts), so the
 * log, its text filter and its CSV name the same person the token table shows.
 */
export function sanitiseRecord(entry: AuditRecord): Required<Omit<AuditRecord, 'at'>> {
  return {
    action: entry.action,
    outcome: entry.outcome,
    detail: redactSecrets(entry.detail),
    tokenId: entry.tokenId ?? null,
    userName: consoleUserName(entry.userName ?? null),
    source: entry.source == null ? null : redactSecrets(entry.source),
  };
}

function auditCsv(entries: readonly AuditEntry[]): string {
  return toCsv(
    CSV_HEADER,
    entries.map((e) => [
      e.id,
      new Date(e.at).toISOString(),
      e.action,
      e.source,
      e.tokenId,
      e.userName,
      e.outcome,
      e.detail,
    ]),
  );
}

function describeFilter(filter: AuditFilter): string {
  const parts = Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length === 0 ? 'no filter' : parts.join(', ');
}

/** Whether a row is of the filter's source (OWN_STORE_SOURCE: the rows whose source is null). */
export function matchesAuditSource(source: string | null, filter: string | undefined): boolean {
  if (filter === undefined) return true;
  return filter === OWN_STORE_SOURCE ? source === null : source === filter;
}

/** Shared by both implementations: export = list + CSV + an `export` row. */
export function exportWith(log: AuditLog, filter: AuditFilter): { csv: string; count: number } {
  const entries = log.list({ ...filter, limit: filter.limit ?? 10_000 });
  const csv = auditCsv(entries);
  log.record({
    action: 'export',
    outcome: 'success',
    detail: `Exported ${entries.length} audit rows as CSV (${describeFilter(filter)}).`,
  });
  return { csv, count: entries.length };
}
