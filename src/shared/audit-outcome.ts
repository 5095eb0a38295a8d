/**
 * The audit log stores two outcomes (success, failure) in the local and the team stores alike. A row that
 * did part of what was asked (deleted, but Zoho did not revoke) is a failure whose detail opens with
 * "Partly done:" (or "Clear all, partly done:"); the console shows it as such instead of a bare "Failed".
 */
export type AuditOutcomeShown = 'success' | 'partly-done' | 'failure';

const PARTLY_DONE = /^(Clear all, )?partly done:/i;

export function auditOutcomeShown(entry: {
  readonly outcome: 'success' | 'failure';
  readonly detail: string;
}): AuditOutcomeShown {
  if (entry.outcome === 'success') return 'success';
  return PARTLY_DONE.test(entry.detail) ? 'partly-done' : 'failure';
}
