import { describe, expect, it } from 'vitest';
import { systemTimer } from '../common/clock';
import { runPaced } from './paced-run';

const now = () => performance.now();

describe('runPaced', () => {
  it('keeps at most `concurrency` in flight and at least `spacingMs` between starts, in input order', async () => {
    const starts: number[] = [];
    let inFlight = 0;
    let most = 0;
    const results = await runPaced(
      [1, 2, 3, 4, 5, 6],
      { concurrency: 2, spacingMs: 30, signal: new AbortController().signal, timer: systemTimer, now },
      async (n) => {
        starts.push(now());
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        return n * 10;
      },
    );
    expect(results).toEqual([10, 20, 30, 40, 50, 60]);
    expect(most).toBeLessThanOrEqual(2);
    // Timers may fire a little early on a loaded machine: a 2 ms allowance, never a burst.
    for (let i = 1; i < starts.length; i++) {
      expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(28);
    }
  });

  it('once aborted starts nothing more, lets running items finish, and marks the rest null', async () => {
    const abort = new AbortController();
    const started: number[] = [];
    const results = await runPaced(
      [1, 2, 3, 4],
      { concurrency: 1, spacingMs: 0, signal: abort.signal, timer: systemTimer, now },
      async (n) => {
        started.push(n);
        if (n === 2) abort.abort();
        return n;
      },
    );
    expect(started).toEqual([1, 2]);
    expect(results).toEqual([1, 2, null, null]);
  });

  it('an abort during the wait for a turn ends the wait at once', async () => {
    const abort = new AbortController();
    const began = now();
    const pending = runPaced(
      [1, 2],
      { concurrency: 1, spacingMs: 60_000, signal: abort.signal, timer: systemTimer, now },
      async (n) => n,
    );
    setTimeout(() => abort.abort(), 20);
    expect(await pending).toEqual([1, null]);
    expect(now() - began).toBeLessThan(5_000);
  });
});
