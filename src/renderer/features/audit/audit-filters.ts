import type { AuditAction, AuditFilter } from '../../../shared/ipc/views';
import { isoLocalDate } from '../../lib/format';

export type SinceChoice = 'any' | '1h' | '24h' | '7d' | '30d';
export type OutcomeChoice = 'all' | 'success' | 'partial' | 'failure';
/** `all`, OWN_STORE_SOURCE (this computer's store) or a source's display name. */
export type SourceChoice = 'all' | (string & {});
export type ActionChoice = AuditAction | 'all';

export interface AuditFilterDraft {
  readonly action: ActionChoice;
  readonly outcome: OutcomeChoice;
  /** Absent: every source. */
  readonly source?: SourceChoice;
  readonly text: string;
  readonly since: SinceChoice;
  /** When the "since" choice was made, so the window does not slide (and the query key stays stable). */
  readonly sinceFrom: number;
}

const SINCE_MS: Readonly<Record<Exclude<SinceChoice, 'any'>, number>> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export const AUDIT_LIMIT = 10_000;

/** The IPC filter for a draft: blank and "all" choices are left out, text is trimmed. */
export function toAuditFilter(d: AuditFilterDraft): AuditFilter {
  const text = d.text.trim();
  return {
    ...(d.action !== 'all' ? { action: d.action } : {}),
    ...(d.outcome !== 'all' ? { outcome: d.outcome } : {}),
    ...(d.source !== undefined && d.source !== 'all' ? { source: d.source } : {}),
    ...(text !== '' ? { text: text.slice(0, 200) } : {}),
    ...(d.since !== 'any' ? { since: d.sinceFrom - SINCE_MS[d.since] } : {}),
    limit: AUDIT_LIMIT,
  };
}

/** `tokendesk-audit-2026-11-26.csv`: dated so repeated exports sort and do not overwrite each other's meaning. */
export function auditCsvFilename(now: number): string {
  return `tokendesk-audit-${isoLocalDate(now)}.csv`;
}

export const ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  grant: 'Sign-in',
  refresh: 'Refresh',
  revoke: 'Revoke',
  delete: 'Delete',
  clear: 'Clear all',
  test: 'Test call',
  copy: 'Copy token',
  import: 'Import',
  export: 'Export',
  unlock_failed: 'Failed unlock',
  unlock: 'Unlock',
  passphrase_changed: 'Passphrase changed',
  settings: 'Settings',
  backup: 'Backup',
  restore: 'Restore',
  lock: 'Lock',
  label: 'Name or label',
};
