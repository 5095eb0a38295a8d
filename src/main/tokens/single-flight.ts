import pLimit from 'p-limit';

/**
 * One promise per key at a time: while work for a key is running, every caller for that key gets the
 * same promise (docs/architecture.md "Token rules": one refresh at a time per token). The key is free again once the
 * work settles, whatever the outcome.
 */
export class KeyedSingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const promise = (async () => {
      try {
        return await work();
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, promise);
    return promise;
  }
}

/**
 * Runs `work` over `items` with at most `limit` in flight; results keep the input order. p-limit does
 * the queueing; a `limit` under 1 (or not a number) means one at a time, where p-limit would throw.
 */
export function mapWithConcurrency<I, O>(
  items: readonly I[],
  limit: number,
  work: (item: I, index: number) => Promise<O>,
): Promise<O[]> {
  return pLimit(limit >= 1 ? Math.floor(limit) : 1).map(items, work);
}

/**
 * One piece of work per key at a time, in call order (unlike KeyedSingleFlight, each caller runs its
 * own work): what must not interleave for one token (a delete and a re-authorisation's save, two
 * deletes) waits for the one before it.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
