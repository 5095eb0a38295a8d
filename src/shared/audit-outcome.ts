import type { AuditOutcome } from './ipc/views';

/**
 * How the console shows an audit row's outcome. `partial` is stored since the audit log has three
 * outcomes; rows written before (local rows are migrated, the team store's append-only log keeps them)
 * are a failure whose detail opens with "Partly done:" (or "Clear all, partly done:"), shown the same.
 */
export type AuditOutcomeShown = 'success' | 'partly-done' | 'failure';

const LEGACY_PARTLY_DONE = /^(Clear all, )?partly done:/i;

export function auditOutcomeShown(entry: {
  readonly outcome: AuditOutcome;
  readonly detail: string;
}): AuditOutcomeShown {
  if (entry.outcome === 'success') return 'success';
  if (entry.outcome === 'partial') return 'partly-done';
  return LEGACY_PARTLY_DONE.test(entry.detail) ? 'partly-done' : 'failure';
}
