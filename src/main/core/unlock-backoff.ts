import { ServiceError } from '../tokens/errors';
import { StoreLifecycleError } from './store-lifecycle-errors';

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

/** The refusal while the back-off runs: how long to wait, in plain words. */
export function backoffError(waitMs: number): StoreLifecycleError {
  return new StoreLifecycleError(
    'UNLOCK_BACKOFF',
    `Too many wrong passphrases in a row. Wait ${formatWait(waitMs)} before the next try.`,
    { hint: 'The wait doubles with each wrong passphrase and is kept when TokenDesk restarts.' },
  );
}

/** The answer to the `count`th wrong passphrase in a row; its hint says when the next try may come. */
export function wrongPassphraseError(count: number): ServiceError {
  const delay = unlockDelayMs(count);
  return new ServiceError('WRONG_PASSPHRASE', 'That passphrase is not correct.', {
    hint:
      delay > 0
        ? `Check Caps Lock. After ${count} wrong passphrases in a row, the next try waits ${formatWait(delay)}.`
        : 'Check Caps Lock and try again.',
  });
}

/** The audit row of the `count`th wrong passphrase in a row (written only when `auditsFailure(count)`). */
export function wrongPassphraseDetail(count: number): string {
  return count === 1
    ? 'Unlock failed: wrong passphrase.'
    : `Unlock failed: wrong passphrase, ${count} times in a row (a row is written at the 1st, 2nd, 4th, 8th… wrong passphrase).`;
}

function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
