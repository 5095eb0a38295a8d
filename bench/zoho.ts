/**
 * `npm run bench -- zoho`: TokenService against the Zoho simulator over loopback HTTP, with the encrypted
 * SQLite store: getValidAccessToken for a fresh token (no Zoho call) and for an expired one (one refresh),
 * and the refresh count under 200 concurrent callers on one expired token. Listing 10,000 tokens is timed
 * by `bench/ipc.ts`, through the real router. Prints figures; asserts nothing (docs/architecture.md "Tests", tier 4).
 */
import { setLogSink } from '../src/main/log';
import { startServiceHarness } from '../src/main/tokens/test-support/service-harness';

const FRESH_RUNS = 500;
const EXPIRED_RUNS = 40;
const CONCURRENT_CALLERS = 200;

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

    console.log(
      `getValidAccessToken, fresh token (no Zoho call): median ${fmt(median(fresh))} over ${FRESH_RUNS} runs`,
    );
    console.log(
      `getValidAccessToken, expired token (one refresh over loopback HTTP): median ${fmt(median(expired))} over ${EXPIRED_RUNS} runs`,
    );
    console.log(
      `${CONCURRENT_CALLERS} concurrent callers on one expired token: ${concurrentRefreshes} refresh request(s) at the simulator (want 1), ${fmt(concurrentMs)} in all`,
    );
  } finally {
    await h.close();
    restoreSink();
  }
}
