import { describe, expect, it } from 'vitest';
import type { TokenView } from '../../shared/ipc/views';
import { TokenListSync } from './token-list-sync';

/** A list call main answers when the test says so, and a refetch that starts one (as TanStack would). */
function setup() {
  const calls: Array<(views: TokenView[]) => void> = [];
  const deferred: Array<() => void> = [];
  let refetches = 0;
  const sync: TokenListSync = new TokenListSync(
    () => new Promise<TokenView[]>((resolve) => calls.push(resolve)),
    () => {
      refetches += 1;
      void sync.fetch();
    },
    (run) => deferred.push(run),
  );
  const tick = async () => {
    for (const run of deferred.splice(0)) run();
    await new Promise((r) => setTimeout(r, 0));
  };
  const answer = async (index: number) => {
    calls[index]?.([]);
    await new Promise((r) => setTimeout(r, 0));
  };
  return { sync, calls, tick, answer, refetches: () => refetches };
}

describe('TokenListSync', () => {
  it('a burst of changes costs one list call', async () => {
    const t = setup();
    for (let i = 0; i < 50; i++) t.sync.changed();
    await t.tick();
    expect(t.calls).toHaveLength(1);
  });

  it('a fetch that started after the change covers it: no second call', async () => {
    const t = setup();
    t.sync.changed();
    void t.sync.fetch(); // e.g. the page mounting, after the push arrived
    await t.tick();
    expect(t.calls).toHaveLength(1);
    await t.answer(0);
    await t.tick();
    expect(t.calls).toHaveLength(1);
  });

  it('a change during a fetch that started before it: that fetch lands, then exactly one more', async () => {
    const t = setup();
    void t.sync.fetch(); // the start-up fetch
    t.sync.changed();
    t.sync.changed();
    await t.tick();
    t.sync.changed();
    await t.tick();
    expect(t.calls).toHaveLength(1); // not cancelled and restarted per event
    await t.answer(0);
    expect(t.calls).toHaveLength(2);
    await t.answer(1);
    await t.tick();
    expect(t.calls).toHaveLength(2);
    expect(t.refetches()).toBe(1);
  });

  it('counts changes so a mutation can tell whether a push arrived while it ran', () => {
    const t = setup();
    const before = t.sync.changeCount;
    t.sync.changed();
    expect(t.sync.changeCount).toBe(before + 1);
  });

  it('a failed fetch does not count as covering the change', async () => {
    let fail = true;
    let calls = 0;
    const deferred: Array<() => void> = [];
    const sync: TokenListSync = new TokenListSync(
      async () => {
        calls += 1;
        if (fail) throw new Error('LOCKED');
        return [];
      },
      () => void sync.fetch().catch(() => {}),
      (run) => deferred.push(run),
    );
    sync.changed();
    await sync.fetch().catch(() => {});
    fail = false;
    // No second change: only the failed fetch stands between the change and the list being current.
    for (const run of deferred.splice(0)) run();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(2);
  });
});
