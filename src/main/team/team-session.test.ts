import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SELF_CLIENT, DEMO_USERS, startZohoSimulator } from '../../../sim';
import { emptyToken } from '../store/oauth-token';
import { createAccountsClient, createCrmClient, localEndpoints, zohoFor } from '../zoho';
import { MemberKey } from './member-key';
import { UNREACHABLE_RETRYING } from './team-errors';
import { addMember } from './team-members';
import { type TeamListChange, TeamSession } from './team-session';
import { TeamTokenStore } from './team-token-store';
import { createTestTeamStore, pgTestServer } from './test-support/pg-test-server';

const server = await pgTestServer();
const url = server.available ? server.url : '';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  limitMs = 10_000,
): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!server.available)('two admins on one team store (PostgreSQL + the Zoho simulator)', () => {
  it('each sees a token the other adds, and a revoke the other makes; Zoho and the audit log agree', async () => {
    const sim = await startZohoSimulator();
    cleanups.push(() => sim.close());
    const endpoints = localEndpoints(sim.dataCenters);
    const clients = {
      endpoints,
      accounts: createAccountsClient({ endpoints }),
      crm: createCrmClient({ endpoints }),
    };
    const zoho = zohoFor(() => clients);

    const team = await createTestTeamStore(url, 'Alice laptop');
    cleanups.push(async () => {
      await team.cleanup();
    });
    const bobKey = MemberKey.generate('Bob laptop');
    await addMember(team.store, { publicKey: bobKey.publicKeyText, name: 'Bob laptop', access: 'manage' });
    const alice = await TeamSession.start(team.store, { zoho });
    cleanups.push(() => alice.close());
    const bobStore = await TeamTokenStore.open({
      connectionString: url,
      schema: team.schema,
      member: bobKey,
      applicationName: `bob-${team.schema}`,
    });
    const bob = await TeamSession.start(bobStore, { zoho });
    cleanups.push(() => bob.close());
    const aliceChanges: TeamListChange[] = [];
    const bobChanges: TeamListChange[] = [];
    alice.onListChanged((c) => aliceChanges.push(c));
    bob.onListChanged((c) => bobChanges.push(c));

    // Alice adds an account (a Self Client grant at the simulator).
    const user = DEMO_USERS.find((u) => u.dataCenter === 'US')!;
    const code = sim.issueSelfClientGrantCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      scopes: ['ZohoCRM.users.READ'],
      userEmail: user.email,
    });
    const grant = await clients.accounts.exchangeCode({
      accountsServer: code.accountsServer,
      clientId: DEMO_SELF_CLIENT.clientId,
      clientSecret: DEMO_SELF_CLIENT.clientSecret,
      code: code.code,
    });
    const view = await alice.service.saveGranted({
      token: emptyToken({
        userName: user.email,
        clientId: DEMO_SELF_CLIENT.clientId,
        clientSecret: DEMO_SELF_CLIENT.clientSecret,
        refreshToken: grant.refreshToken,
        accessToken: grant.accessToken,
        expiryTime: String(grant.expiryTime),
        apiDomain: grant.apiDomain,
        dataCenter: code.dataCenter,
        environment: 'production',
      }),
      displayName: null,
    });
    expect(aliceChanges).toContain('local');

    // Bob's console is told, and his list shows it.
    await eventually(() => (bobChanges.includes('remote') ? true : undefined));
    expect((await bob.service.list()).map((v) => [v.id, v.userName])).toEqual([[view.id, user.email]]);

    // Bob revokes and deletes it; Alice is told, and her list is empty.
    aliceChanges.length = 0;
    const deleted = await bob.service.delete(view.id, { revoke: true, deleteIfRevokeFails: false });
    expect(deleted).toMatchObject({ deleted: true });
    await eventually(() => (aliceChanges.includes('remote') ? true : undefined));
    expect(await alice.service.list()).toEqual([]);
    // True at Zoho, and in the team's audit log under Bob's name.
    expect(sim.isRefreshTokenActive(grant.refreshToken!)).toBe(false);
    await bob.close();
    cleanups.pop();
    const rows = await team.store.audit.list({ tokenId: view.id });
    expect(rows.map((r) => r.actor)).toContain(`Bob laptop (${bobKey.fingerprint})`);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['delete']));

    // The banner: the feed's connection cut, then back.
    const messages: (string | null)[] = [];
    alice.onStatusMessage((m) => messages.push(m));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
      `tokendesk-${team.schema}-changes`,
    ]);
    await admin.end();
    await eventually(() => (messages.length >= 2 ? true : undefined));
    expect(messages).toEqual([UNREACHABLE_RETRYING, null]);
    expect(alice.statusMessage).toBeNull();
  }, 60_000);
});
