import type { ClearAllResult } from '../../../shared/ipc/views';

export interface ClearSummary {
  readonly revoked: number;
  /** Zoho answered "invalid token": access was already cut there. */
  readonly alreadyDead: number;
  readonly skipped: number;
  readonly failed: number;
  readonly deleted: number;
  /** Tokens kept because their revoke failed and the user did not ask to delete them anyway. */
  readonly kept: number;
}

export function summariseClear(result: ClearAllResult): ClearSummary {
  let revoked = 0;
  let alreadyDead = 0;
  let skipped = 0;
  for (const r of result.results) {
    if (r.revoke.state === 'revoked') revoked += 1;
    if (r.revoke.state === 'already-dead') alreadyDead += 1;
    if (r.revoke.state === 'skipped') skipped += 1;
  }
  return {
    revoked,
    alreadyDead,
    skipped,
    failed: result.revokeFailedCount,
    deleted: result.deletedCount,
    kept: result.results.length - result.deletedCount,
  };
}

/** Whole percent done, 0 when nothing is known yet. */
export function clearPercent(progress: { done: number; total: number } | null): number {
  if (!progress || progress.total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round((progress.done / progress.total) * 100)));
}

/**
 * What the Clear all dialog's live region says. Progress is said in 10% steps: main reports up to ten times
 * a second, and a screen reader reading every count would still be reading long after the clear finished
 * (the same text twice is not announced again).
 */
export function clearAnnouncement(
  running: boolean,
  progress: { done: number; total: number } | null,
  result: ClearAllResult | null,
): string {
  if (result) {
    const s = summariseClear(result);
    const parts = [
      `${s.deleted} deleted`,
      `${s.revoked} revoked at Zoho`,
      ...(s.alreadyDead > 0 ? [`${s.alreadyDead} already cut at Zoho`] : []),
      `${s.failed} revoke ${s.failed === 1 ? 'failed' : 'failures'}`,
      `${s.skipped} skipped`,
    ];
    if (s.kept > 0) parts.push(`${s.kept} kept because the revoke failed`);
    return `Clear all finished: ${parts.join(', ')}.`;
  }
  if (!running) return '';
  if (!progress) return 'Clearing tokens: starting.';
  // Rounded down: "50% done" only once half really is.
  const step = progress.total > 0 ? Math.min(100, Math.floor((progress.done / progress.total) * 10) * 10) : 0;
  return `Clearing tokens: ${step}% done.`;
}
