import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { simulatorEndpoints, startZohoSimulator } from '../../../sim';
import type { TeamState } from '../../shared/ipc/team';
import { MemoryClipboard } from '../common/test-support/memory-clipboard';
import { simToken, simWiring } from '../sources/test-support/sim-zoho';
import { emptyToken } from '../store/oauth-token';
import { tempDir } from '../store/test-support/temp-store';
import { MemberKey } from '../team/member-key';
import { teamApplicationName } from '../team/team-console';
import { UNREACHABLE_RETRYING } from '../team/team-errors';
import { addMember } from '../team/team-members';
import { TeamTokenStore } from '../team/team-token-store';
import {
  createTestTeamStore,
  dropSchema,
  freshSchema,
  pgTestServer,
} from '../team/test-support/pg-test-server';
import { type CoreEvent, startTestCore, TEST_PASSPHRASE } from './test-support/test-core';

/** The team channels through the real router and core: lock closes the team session, the banner's events. */
const server = await pgTestServer();
const url = server.available ? server.url : '';
const PASS = TEST_PASSPHRASE;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  limitMs = 15_000,
): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Connections of one console: its pool (`tokendesk <fingerprint>`) and its change feed (`…-changes`). */
async function connectionsOf(applicationName: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE starts_with(application_name, $1)',
      [applicationName],
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function terminate(applicationName: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE starts_with(application_name, $1)',
      [applicationName],
    );
  } finally {
    await client.end();
  }
}

/** A core on a fresh data folder, its store set up, driven through the real IPC router; the team's settings. */
async function startConsole(schema: string) {
  const sim = await startZohoSimulator();
  cleanups.push(() => sim.close());
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const events: CoreEvent[] = [];
  const clipboard = new MemoryClipboard();
  const { core, call, ok } = await startTestCore({
    endpoints: simulatorEndpoints(sim),
    dataDir: join(dir.dir, 'data'),
    clipboard,
    notify: (event, payload) => events.push({ event, payload }),
  });
  cleanups.push(() => core.close());
  await ok('setupStore', { protector: 'passphrase', passphrase: PASS });
  const u = new URL(url);
  const settings = {
    host: u.hostname,
    port: Number(u.port || 5432),
    database: u.pathname.slice(1),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    schema,
  };
  return { sim, events, call, ok, settings, clipboard };
}

describe.skipIf(!server.available)('the team store through the core (PostgreSQL)', () => {
  it('says unreachable while its connections are cut and recovers; locking closes the session', async () => {
    const schema = freshSchema();
    cleanups.push(() => dropSchema(url, schema));
    const { events, call, ok, settings } = await startConsole(schema);
    const created = await ok<TeamState>('createTeamStore', { settings, memberName: 'Console' });
    const sourceId = created.team!.sourceId;
    const applicationName = teamApplicationName(created.memberKey.fingerprint);
    expect(await connectionsOf(applicationName)).toBeGreaterThan(0);

    // Another member (a server) adds a token: the core pushes team.changed.
    const serverKey = MemberKey.generate('crm-sync');
    // Added through the console, as a managing member does.
    await ok('addTeamMember', { publicKey: serverKey.publicKeyText, name: 'crm-sync', access: 'manage' });
    const other = await TeamTokenStore.open({ connectionString: url, schema, member: serverKey });
    cleanups.push(() => other.close());
    events.length = 0;
    await other.saveToken(
      emptyToken({ userName: 'sdk@example.com', clientId: '1000.S', refreshToken: '1000.r.s' }),
    );
    await eventually(() =>
      events.find((e) => e.event === 'team.changed' && (e.payload as { reason: string }).reason === 'remote'),
    );

    // Its connections cut: the banner's message comes at once, and goes once they are back.
    events.length = 0;
    await terminate(applicationName);
    await eventually(() =>
      events.find(
        (e) =>
          e.event === 'team.status' && (e.payload as { message: unknown }).message === UNREACHABLE_RETRYING,
      ),
    );
    await eventually(() =>
      events.find((e) => e.event === 'team.status' && (e.payload as { message: unknown }).message === null),
    );
    expect((await ok<TeamState>('getTeam')).team?.statusMessage).toBeNull();

    // Locking closes the session: no connection of this member is left, and nothing answers until unlocked.
    await ok('lockStore');
    await eventually(async () => ((await connectionsOf(applicationName)) === 0 ? true : undefined));
    expect(await call('getTeam')).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await call('listTokens', { sourceId })).toMatchObject({
      ok: false,
      error: { code: 'LOCKED' },
    });

    // Unlocked again: the saved settings reopen the team store, and its tokens are there.
    await ok('unlockStore', { passphrase: PASS });
    const reopened = await ok<TeamState>('getTeam');
    expect(reopened.team).toMatchObject({ access: 'manage', problem: null });
    const listed = await call('listTokens', { sourceId });
    expect(listed.ok).toBe(true);
    expect(JSON.stringify(listed)).toContain('sdk@example.com');
    expect(JSON.stringify(listed)).not.toContain('1000.r.s');
  });

  it('a read-only member lists and refreshes; every write and every copy is refused before anything happens at Zoho', async () => {
    const owner = await createTestTeamStore(url, 'Owner');
    cleanups.push(owner.cleanup);
    const { sim, ok, call, settings, clipboard } = await startConsole(owner.schema);
    const token = await simToken(sim, simWiring(sim).clients, 'shared@example.com');
    await owner.store.saveToken(token);
    const { memberKey } = await ok<TeamState>('getTeam');
    await addMember(owner.store, { publicKey: memberKey.publicKey, name: 'Reader', access: 'read-only' });
    const joined = await ok<TeamState>('joinTeamStore', { settings, memberName: 'Reader' });
    expect(joined.team?.access).toBe('read-only');
    const sourceId = joined.team!.sourceId;

    expect(JSON.stringify(await ok('listTokens', { sourceId }))).toContain('shared@example.com');
    const refreshes = sim.stats.tokenRequests.refresh_token;
    await ok('refreshToken', { id: token.id, sourceId });
    expect(sim.stats.tokenRequests.refresh_token).toBe(refreshes + 1);

    const refusals = {
      deleteToken: { id: token.id, sourceId, revoke: true, deleteIfRevokeFails: false },
      clearAllTokens: { sourceId, revoke: true, expectedCount: 1, deleteIfRevokeFails: false },
      runTokenJob: { sourceId, action: 'delete', ids: [token.id], revoke: true, deleteIfRevokeFails: false },
      reauthorise: { id: token.id, sourceId, flowId: randomUUID() },
      transferTokens: { fromSourceId: sourceId, toSourceId: 'local', move: true },
      copyAccessToken: { id: token.id, sourceId },
    };
    for (const [method, request] of Object.entries(refusals)) {
      const refused = await call(method, request);
      expect(refused, method).toMatchObject({
        ok: false,
        error: {
          code: 'READ_ONLY',
          message: expect.stringMatching(/^Your membership of this team store is read-only, so you cannot /),
        },
      });
    }
    // Nothing was revoked at Zoho, and the row is still in the team store, for everyone.
    expect(sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
    expect((await owner.store.findTokenById(token.id!))?.refreshToken).toBe(token.refreshToken);
    // No copy either: not into this computer's store, not to the clipboard.
    expect(
      await call('transferTokens', { fromSourceId: sourceId, toSourceId: 'local', move: false }),
    ).toMatchObject({
      ok: false,
      error: { code: 'READ_ONLY', message: expect.stringContaining('so you cannot copy its tokens') },
    });
    expect((await ok<{ count: number }>('listTokens', {})).count).toBe(0);
    expect(clipboard.text).toBeNull();
  });
});
