/**
 * The store lifecycle's ordering (docs/store-lifecycle.md "Lock"): its own operations (set-up, unlock,
 * passphrase change, lock, restore) run one at a time, and a lock waits for the store work (token
 * actions) that is running, while work that starts once a lock is asked for is refused.
 */
export class StoreWorkGate {
  /** Locks asked for and not finished: new store work is refused with LOCKED from the moment one is asked. */
  private locksPending = 0;
  /** Store work running now (token actions). */
  private readonly running = new Set<Promise<unknown>>();
  /** The tail of the one-at-a-time queue. */
  private queue: Promise<unknown> = Promise.resolve();

  /** Whether a lock has been asked for and has not finished. */
  get lockPending(): boolean {
    return this.locksPending > 0;
  }

  /** Runs `task` after every earlier lifecycle operation has finished. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs store work so that a lock waits for it to finish. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    const run = work();
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  /**
   * Runs `lock` in its serial turn; it calls `drain` to wait for the store work running then. The lock
   * is counted from this call, before its turn comes, so work that starts from now on is refused at once.
   */
  lock<T>(lock: (drain: () => Promise<void>) => Promise<T>): Promise<T> {
    this.locksPending += 1;
    return this.serial(async () => {
      try {
        return await lock(async () => {
          await Promise.allSettled([...this.running]);
        });
      } finally {
        this.locksPending -= 1;
      }
    });
  }
}
