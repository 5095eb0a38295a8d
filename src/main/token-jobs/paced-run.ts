import type { ScheduleTimer } from '../common/clock';

export interface PacedRunOptions {
  /** At most this many items in flight. */
  readonly concurrency: number;
  /** At least this long between two starts, whatever the concurrency (0: no spacing). */
  readonly spacingMs: number;
  /** Once aborted, no further item starts; items in flight finish. */
  readonly signal: AbortSignal;
  readonly timer: ScheduleTimer;
  /**
   * Milliseconds on a clock that moves with real time (default `performance.now`): Zoho counts real
   * time, and an app clock a test holds still must not stall the run.
   */
  readonly now?: () => number;
}

/** An item's result, or `null` when the run was cancelled before the item's turn. */
export type PacedResult<O> = O | null;

/**
 * Runs `work` over `items` with a cap on items in flight and a minimum gap between starts, so a run over
 * thousands of tokens never bursts at Zoho (docs/health.md "Pacing"). Results keep the input order. A
 * cancelled run resolves once the items in flight have finished; items never started get `null`.
 * `work` must not throw (the job turns every failure into an outcome).
 */
export async function runPaced<I, O>(
  items: readonly I[],
  options: PacedRunOptions,
  work: (item: I, index: number) => Promise<O>,
): Promise<PacedResult<O>[]> {
  const results: PacedResult<O>[] = new Array(items.length).fill(null);
  let next = 0;
  /** No start before this (on `now`'s clock). */
  let nextStartAt = Number.NEGATIVE_INFINITY;
  const now = options.now ?? (() => performance.now());
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (options.signal.aborted) return resolve();
      const cancel = options.timer(ms, () => {
        options.signal.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = () => {
        cancel();
        resolve();
      };
      options.signal.addEventListener('abort', onAbort, { once: true });
    });

  const worker = async () => {
    for (;;) {
      // Wait for the slot, checked again on waking: a late timer (a busy machine) never lets two starts come
      // closer than the spacing, and the check-and-take below runs without an await in between. An abort
      // meanwhile leaves the item unstarted (null).
      for (;;) {
        if (options.signal.aborted || next >= items.length) return;
        const wait = nextStartAt - now();
        if (wait <= 0) break;
        await sleep(wait);
      }
      const index = next++;
      nextStartAt = now() + options.spacingMs;
      results[index] = await work(items[index] as I, index);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(options.concurrency) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
