/**
 * `npm run bench -- team`: the team store on PostgreSQL (TOKENDESK_TEST_PG_URL, see docs/team-store.md).
 * 4 processes sharing one team store, each with 50 concurrent callers of getValidAccessToken on one
 * expired token, against the Zoho simulator: how many refresh requests reach Zoho (want 1); and how long
 * a change made by one member takes to reach another member's change feed. Prints figures; asserts
 * nothing.
 */
import { setLogSink } from '../src/main/log';
import { emptyToken } from '../src/main/store/oauth-token';
import { MemberKey } from '../src/main/team/member-key';
import { addMember } from '../src/main/team/team-members';
import { TeamTokenStore } from '../src/main/team/team-token-store';
import { createTestTeamStore, pgTestServer } from '../src/main/team/test-support/pg-test-server';
import { runRefreshFleet } from '../src/main/team/test-support/refresh-fleet';

const PROCESSES = 4;
const CALLERS = 50;
const CHANGE_RUNS = 30;

/** From one member's save call to another member's change event for it (LISTEN/NOTIFY). */
async function changeLatency(url: string): Promise<number[]> {
  const team = await createTestTeamStore(url, 'writer');
  const reader = MemberKey.generate('reader');
  await addMember(team.store, { publicKey: reader.publicKeyText, name: 'reader', access: 'read-only' });
  const other = await TeamTokenStore.open({ connectionString: url, schema: team.schema, member: reader });
  const feed = await other.openChangeFeed();
  try {
    const times: number[] = [];
    for (let i = 0; i < CHANGE_RUNS; i++) {
      const token = emptyToken({ userName: `u${i}@example.com`, refreshToken: `1000.r${i}` });
      const t0 = performance.now();
      const seen = new Promise<void>((resolve) => {
        const off = feed.onChange((c) => {
          // Saves run one at a time, so the next insert event is this one (it may come before the id is known).
          if (c.kind === 'row' && c.op === 'INSERT') {
            off();
            resolve();
          }
        });
      });
      await team.store.saveToken(token);
      await seen;
      times.push(performance.now() - t0);
    }
    return times;
  } finally {
    await feed.close();
    await other.close();
    await team.cleanup();
  }
}

export async function run(): Promise<void> {
  const server = await pgTestServer();
  if (!server.available) {
    console.log('team: skipped (no PostgreSQL; set TOKENDESK_TEST_PG_URL)');
    return;
  }
  const restoreSink = setLogSink(() => {});
  try {
    const t0 = performance.now();
    const result = await runRefreshFleet(server.url, {
      kind: 'service',
      processes: PROCESSES,
      callers: CALLERS,
    });
    const ms = performance.now() - t0;
    console.log(
      `team refresh: ${PROCESSES} processes x ${CALLERS} callers -> ${result.refreshRequests} refresh requests`,
    );
    console.log(
      `  ${result.accessTokens.length} distinct access token(s) handed out, ${result.failures.length} failed call(s), ${(ms / 1000).toFixed(1)} s in all (process start included)`,
    );
    const latency = (await changeLatency(server.url)).sort((a, b) => a - b);
    const at = (q: number) => latency[Math.min(latency.length - 1, Math.floor(q * latency.length))]!;
    console.log(
      `team change event, one member's save to another member's event: median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms over ${CHANGE_RUNS} saves (want under 1,000 ms)`,
    );
  } finally {
    restoreSink();
  }
}
