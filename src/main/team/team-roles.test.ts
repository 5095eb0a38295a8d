import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyToken } from '../store/oauth-token';
import { MemberKey } from './member-key';
import { TeamTokenStore } from './team-token-store';
import { testMemberProtector } from './test-support/pg-test-server';
import { type PrivatePostgres, startPrivatePostgres } from './test-support/private-postgres';

/**
 * The role setup docs/team-store-roles.sql documents, run as written on a PostgreSQL of this test's own
 * (it creates roles, which the shared test server's role may not). Outside CI, a machine without the
 * server binaries skips with the reason printed; in CI it fails.
 */
const started = await startPrivatePostgres();
if (!started.available) {
  if (process.env.CI === 'true')
    throw new Error(`The role test needs a private PostgreSQL in CI: ${started.reason}`);
  console.log(`Skipping the team store role test: ${started.reason}.`);
}
const server: PrivatePostgres | null = started.available ? started.server : null;
afterAll(async () => {
  await server?.stop();
});

const SETUP = readFileSync(new URL('../../../docs/team-store-roles.sql', import.meta.url), 'utf8');
const AFTER_CREATE = '-- After the first member created the team store';

async function runAs(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!server)('the documented database roles', () => {
  it('members work as the app role, which can add to the audit log but never change or delete it', async () => {
    const superuser = server!.url;
    const as = (role: string, password: string) => superuser.replace('tokendesk@', `${role}:${password}@`);
    // The file's two parts: before the team store exists, and after (from the marker line on).
    const at = SETUP.indexOf(AFTER_CREATE);
    const beforeCreate = SETUP.slice(0, at);
    const afterCreate = SETUP.slice(SETUP.indexOf('\n', at) + 1);
    await runAs(superuser, beforeCreate);

    const key = MemberKey.generate('Alice laptop');
    const exported = await key.export(testMemberProtector());
    const owner = await TeamTokenStore.create({
      connectionString: as('tokendesk_owner', 'change-me-owner'),
      member: key,
    });
    await owner.close();
    await runAs(superuser, afterCreate);

    const member = await MemberKey.unlock(exported, testMemberProtector());
    const app = as('tokendesk_app', 'change-me-app');
    const store = await TeamTokenStore.open({ connectionString: app, member });
    try {
      const t = emptyToken({ userName: 'a@example.com', refreshToken: '1000.r', accessToken: '1000.a' });
      await store.saveToken(t);
      expect((await store.findTokenById(t.id!))?.accessToken).toBe('1000.a');
      await store.audit.record({ action: 'refresh', outcome: 'success', detail: 'Refreshed.' });
      expect((await store.audit.list()).map((e) => e.detail)).toEqual(['Refreshed.']);
      await store.deleteToken(t.id!);
    } finally {
      await store.close();
    }
    await expect(runAs(app, "UPDATE tokendesk.team_audit SET detail = 'x'")).rejects.toThrow(
      /permission denied/,
    );
    await expect(runAs(app, 'DELETE FROM tokendesk.team_audit')).rejects.toThrow(/permission denied/);
    await expect(runAs(app, 'TRUNCATE tokendesk.team_audit')).rejects.toThrow(/permission denied/);
    await expect(runAs(app, "UPDATE tokendesk.team_meta SET value = 'x'")).rejects.toThrow(
      /permission denied/,
    );
    expect(await runAs(superuser, 'SELECT count(*)::int AS n FROM tokendesk.team_audit')).toEqual([{ n: 1 }]);
  });
});
