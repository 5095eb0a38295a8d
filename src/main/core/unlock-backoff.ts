/**
 * How long an unlock must wait after wrong passphrases in a row. The first few are free (typos happen);
 * then each wrong one doubles the wait, up to a ceiling. Guessing through the window (or its IPC) is then
 * slow whatever the scrypt cost, and the count is kept on disk (store-marker.ts), so restarting the app
 * does not reset it. It does not slow an offline attack on a copied file; scrypt is what does.
 */
export const FREE_FAILURES = 3;
export const FIRST_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 5 * 60_000;

export interface UnlockFailures {
  readonly count: number;
  /** Epoch ms of the latest wrong passphrase. */
  readonly lastAt: number;
}

export function unlockDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(FIRST_DELAY_MS * 2 ** (failures - FREE_FAILURES), MAX_DELAY_MS);
}

/**
 * When the next unlock may be tried (epoch ms), or null when it may be tried now. A clock set back
 * after the last failure does not stretch the wait beyond one delay from now.
 */
export function unlockRetryAt(failures: UnlockFailures | undefined, now: number): number | null {
  if (!failures) return null;
  const delay = unlockDelayMs(failures.count);
  if (delay === 0) return null;
  const retryAt = Math.min(failures.lastAt, now) + delay;
  return retryAt > now ? retryAt : null;
}

/**
 * Failed unlocks are audited at the 1st, 2nd, 4th, 8th... failure in a row, each row saying how many
 * there have been: a guessing run leaves a handful of rows, not one per guess, and the count is never
 * lost (the successful unlock's row says how many came before it). Rows are only ever appended.
 */
export function auditsFailure(count: number): boolean {
  return count > 0 && (count & (count - 1)) === 0;
}
