import { pgTestServer } from '../../src/main/team/test-support/pg-test-server';
import { type RunMode, test } from './fixtures';
import type { TcpProxy } from './tcp-proxy';

/**
 * The PostgreSQL server a team store spec needs (TOKENDESK_TEST_PG_URL, set by .ci/run), or null once the
 * spec is skipped with its reason: in the Electron project (the spec drives a core and the database from
 * this process), or when no server answers outside CI (in CI, pgTestServer fails instead). A spec that
 * goes on gets two minutes: it makes team stores and members on a loaded machine.
 */
export async function teamServerOrSkip(mode: RunMode): Promise<string | null> {
  if (mode === 'electron') {
    console.log('[electron project] skipping a team store spec: it drives the core from this process.');
    test.skip(true, 'drives the core and PostgreSQL from this process: the Chromium harness only');
    return null;
  }
  const server = await pgTestServer();
  if (!server.available) {
    test.skip(true, 'no PostgreSQL server (TOKENDESK_TEST_PG_URL)');
    return null;
  }
  test.setTimeout(120_000);
  return server.url;
}

/** The team's connection settings for `createTeamStore` / `joinTeamStore`: the server, or a proxy to it. */
export function teamSettings(url: string, schema: string, via?: TcpProxy) {
  const u = new URL(url);
  return {
    host: via ? '127.0.0.1' : u.hostname,
    port: via ? via.port : Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.slice(1)),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    schema,
  };
}
