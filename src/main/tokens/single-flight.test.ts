import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from './single-flight';

/** Work whose completion the test controls, recording how many run at once. */
function controlledWork() {
  const release = new Map<number, () => void>();
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const work = async (item: number) => {
    started.push(item);
    running += 1;
    peak = Math.max(peak, running);
    await new Promise<void>((resolve) => release.set(item, resolve));
    running -= 1;
    return item * 10;
  };
  return { work, release, started, peak: () => peak };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('mapWithConcurrency', () => {
  it('keeps at most `limit` in flight, starts the next as one ends, and keeps the input order', async () => {
    const c = controlledWork();
    const result = mapWithConcurrency([1, 2, 3, 4, 5], 2, c.work);
    await settle();
    expect(c.started).toEqual([1, 2]);
    // The later one finishes first: item 3 takes its place, and the results still come back in order.
    c.release.get(2)!();
    await settle();
    expect(c.started).toEqual([1, 2, 3]);
    for (const item of [3, 1, 4, 5]) {
      await settle();
      c.release.get(item)!();
    }
    expect(await result).toEqual([10, 20, 30, 40, 50]);
    expect(c.peak()).toBe(2);
  });

  it('runs one at a time for a limit under 1 or not a number, and handles no items', async () => {
    for (const limit of [0, -3, Number.NaN]) {
      const c = controlledWork();
      const result = mapWithConcurrency([1, 2], limit, c.work);
      await settle();
      expect(c.started).toEqual([1]);
      c.release.get(1)!();
      await settle();
      c.release.get(2)!();
      expect(await result).toEqual([10, 20]);
    }
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
  });

  it('passes the index, and rejects with the first failure', async () => {
    const indexes: number[] = [];
    await expect(
      mapWithConcurrency(['a', 'b', 'c'], 3, async (_item, index) => {
        indexes.push(index);
        if (index === 1) throw new Error('second failed');
        return index;
      }),
    ).rejects.toThrow('second failed');
    expect(indexes).toEqual([0, 1, 2]);
  });
});
