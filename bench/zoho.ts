/**
 * `npm run bench -- zoho`: TokenService against the Zoho simulator over loopback HTTP, with the encrypted
 * SQLite store: getValidAccessToken for a fresh token (no Zoho call) and for an expired one (one refresh),
 * the refresh count under 200 concurrent callers on one expired token, and list() for 10,000 tokens
 * including the IPC response schema check, cold (the first list: every row decrypted) and warm (later
 * lists: unchanged rows come from the store's decrypted-row cache). `bench/ipc.ts` times the same list
 * through the real router, with cold runs on fresh opens. Prints figures; asserts nothing (DESIGN.md
 * "Tests", tier 4).
 */
import { z } from 'zod';
import { setLogSink } from '../src/main/log';
import { startServiceHarness } from '../src/main/service/service-harness';
import { TokenViewSchema } from '../src/shared/ipc/views';

const FRESH_RUNS = 500;
const EXPIRED_RUNS = 40;
const CONCURRENT_CALLERS = 200;
const LIST_SIZE = 10_000;
const LIST_RUNS = 11;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2 : (sorted[mid] ?? 0);
}

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

export async function run(): Promise<void> {
  const restoreSink = setLogSink(() => {});
  const h = await startServiceHarness();
  try {
    const token = await h.stored('bench@example.com');
    const id = token.id!;

    const fresh: number[] = [];
    for (let i = 0; i < FRESH_RUNS; i++) {
      const t0 = performance.now();
      await h.service.getValidAccessToken(id);
      fresh.push(performance.now() - t0);
    }

    const expired: number[] = [];
    for (let i = 0; i < EXPIRED_RUNS; i++) {
      // Zoho allows 10 refreshes per refresh token per 10 minutes: step the shared clock past that.
      h.clock.advance(61_000);
      const row = (await h.store.findTokenById(id))!;
      await h.store.saveToken({ ...row, expiryTime: String(h.clock.now() - 1_000) });
      const t0 = performance.now();
      await h.service.getValidAccessToken(id);
      expired.push(performance.now() - t0);
    }

    h.clock.advance(11 * 60_000);
    const row = (await h.store.findTokenById(id))!;
    await h.store.saveToken({ ...row, expiryTime: String(h.clock.now() - 1_000) });
    h.sim.resetStats();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENT_CALLERS }, () => h.service.getValidAccessToken(id)));
    const concurrentMs = performance.now() - t0;
    const concurrentRefreshes = h.sim.stats.tokenRequests.refresh_token;

    // 10,000 rows for list(): bulk-load through the store (fsync per commit is not what this measures).
    h.store.database.pragma('synchronous = OFF');
    const template = (await h.store.findTokenById(id))!;
    for (let i = 0; i < LIST_SIZE - 1; i++) {
      await h.store.saveToken({ ...template, id: null, userName: `user${i}@example.com`, createdAt: null });
    }
    const listSchema = z.array(TokenViewSchema);
    const list: number[] = [];
    let count = 0;
    for (let i = 0; i < LIST_RUNS; i++) {
      const l0 = performance.now();
      const views = await h.service.list();
      // What the router does before a response leaves main.
      count = listSchema.parse(views).length;
      JSON.stringify(views);
      list.push(performance.now() - l0);
    }

    console.log(
      `getValidAccessToken, fresh token (no Zoho call): median ${fmt(median(fresh))} over ${FRESH_RUNS} runs`,
    );
    console.log(
      `getValidAccessToken, expired token (one refresh over loopback HTTP): median ${fmt(median(expired))} over ${EXPIRED_RUNS} runs`,
    );
    console.log(
      `${CONCURRENT_CALLERS} concurrent callers on one expired token: ${concurrentRefreshes} refresh request(s) at the simulator (want 1), ${fmt(concurrentMs)} in all`,
    );
    // The first list after the bulk load decrypts every row (the load wrote rows, it read none back).
    const [cold = 0, ...warm] = list;
    console.log(
      `list() of ${count} tokens + response schema check + JSON, cold (first list): ${fmt(cold)} (one run; see the ipc bench for cold medians)`,
    );
    console.log(
      `list() of ${count} tokens + response schema check + JSON, warm: median ${fmt(median(warm))}, best ${fmt(Math.min(...warm))} over ${warm.length} runs (target: under 100 ms)`,
    );
  } finally {
    await h.close();
    restoreSink();
  }
}
