/**
 * `npm run bench -- team`: the team store on PostgreSQL (TOKENDESK_TEST_PG_URL, see docs/team-store.md).
 * 4 processes sharing one team store, each with 50 concurrent callers of getValidAccessToken on one
 * expired token, against the Zoho simulator: how many refresh requests reach Zoho (want 1). Prints
 * figures; asserts nothing.
 */
import { setLogSink } from '../src/main/log';
import { pgTestServer } from '../src/main/team/test-support/pg-test-server';
import { runRefreshFleet } from '../src/main/team/test-support/refresh-fleet';

const PROCESSES = 4;
const CALLERS = 50;

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
  } finally {
    restoreSink();
  }
}
