import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startZohoSimulator, type ZohoSimulator } from '../../../sim/simulator';
import { simToken, simWiring } from '../sources/test-support/sim-zoho';
import { tempDir } from '../store/test-support/temp-store';
import { MemberKey } from '../team/member-key';
import { addMember } from '../team/team-members';
import type { MemberAccess } from '../team/team-token-store';
import { createTestTeamStore, pgTestServer, testMemberProtector } from '../team/test-support/pg-test-server';
import { runTokendesk } from './test-support/cli-process';

/**
 * `tokendesk ... --source postgres://...`: the team store as a source of the command, opened with a
 * server's member key from the environment (docs/team-store.md "As a token source"), against the Zoho
 * simulator and the test PostgreSQL server.
 */
const server = await pgTestServer();
const url = server.available ? server.url : '';

let sim: ZohoSimulator;
let wiring: ReturnType<typeof simWiring>;
let dir: string;
let cleanupDir: () => void;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  sim = await startZohoSimulator();
  wiring = simWiring(sim);
  ({ dir, cleanup: cleanupDir } = tempDir());
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  cleanupDir?.();
  await sim?.close();
});

/** A member of `store` whose key file and passphrase the command gets from the environment. */
async function memberEnv(
  store: Awaited<ReturnType<typeof createTestTeamStore>>['store'],
  name: string,
  access: MemberAccess,
): Promise<NodeJS.ProcessEnv> {
  const key = MemberKey.generate(name);
  const file = join(dir, `${name}.member-key.json`);
  writeFileSync(file, JSON.stringify(await key.export(testMemberProtector(`${name} passphrase`))), {
    mode: 0o600,
  });
  await addMember(store, { publicKey: key.publicKeyText, name, access });
  key.close();
  return {
    PATH: process.env.PATH,
    HOME: dir,
    TOKENDESK_TEST_MODE: '1',
    TOKENDESK_SIM_ENDPOINTS: JSON.stringify(
      Object.fromEntries(sim.dataCenters.map((d) => [d.id, d.apiDomain])),
    ),
    TOKENDESK_DATA_DIR: join(dir, `${name}-data`),
    TOKENDESK_PASSPHRASE: 'a long enough passphrase for the cli',
    TOKENDESK_TEAM_MEMBER_KEY_FILE: file,
    TOKENDESK_TEAM_MEMBER_PASSPHRASE: `${name} passphrase`,
  };
}

function teamUri(schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;
}

// Each case starts the command several times (tsx compiles it on every start): seconds apiece when loaded.
describe.skipIf(!server.available)(
  'tokendesk CLI over a team store (PostgreSQL)',
  { timeout: 180_000 },
  () => {
    it('a managing member lists, tests, refreshes and revokes; the team audit names it', async () => {
      const team = await createTestTeamStore(url);
      cleanups.push(team.cleanup);
      const token = await simToken(sim, wiring.clients, 'team.user@example.com');
      await team.store.saveToken(token);
      const env = await memberEnv(team.store, 'crm-sync', 'manage');
      const uri = teamUri(team.schema);
      const password = decodeURIComponent(new URL(url).password);

      const list = await runTokendesk(env, 'list', '--source', uri, '--json');
      expect(list.code).toBe(0);
      const rows = JSON.parse(list.stdout) as { id: string; userName: string; source: string }[];
      expect(rows).toMatchObject([{ id: token.id, userName: 'team.user@example.com' }]);
      expect(rows[0]!.source).toContain(':***@');
      for (const secret of [password, token.refreshToken!, token.accessToken!, token.clientSecret!]) {
        expect(list.stdout).not.toContain(secret);
      }

      const tested = await runTokendesk(env, 'test', token.id!, '--source', uri);
      expect(tested).toMatchObject({ code: 0, stdout: expect.stringContaining('as team.user@example.com') });

      const refreshes = sim.stats.tokenRequests.refresh_token;
      const refreshed = await runTokendesk(env, 'refresh', token.id!, '--source', uri);
      expect(refreshed.code).toBe(0);
      expect(sim.stats.tokenRequests.refresh_token).toBe(refreshes + 1);
      // Written back to the team store, where every member reads it.
      const stored = await team.store.findTokenById(token.id!);
      expect(stored?.accessToken).not.toBe(token.accessToken);

      const revoked = await runTokendesk(env, 'revoke', token.id!, '--source', uri);
      expect(revoked).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('revoked at Zoho and deleted'),
      });
      expect(sim.isRefreshTokenActive(token.refreshToken!)).toBe(false);
      expect(await team.store.findTokenById(token.id!)).toBeNull();

      const audit = await team.store.audit.list({});
      const revokeRow = audit.find((row) => row.tokenId === token.id && row.action === 'delete');
      expect(revokeRow?.actor).toContain('crm-sync');
      expect(audit.some((row) => row.action === 'refresh' && row.actor.includes('crm-sync'))).toBe(true);
    });

    it('a read-only member may list and refresh, and is refused every write and every copy in one line, before Zoho', async () => {
      const team = await createTestTeamStore(url);
      cleanups.push(team.cleanup);
      const token = await simToken(sim, wiring.clients, 'kept.user@example.com');
      await team.store.saveToken(token);
      const env = await memberEnv(team.store, 'reporting', 'read-only');
      const uri = teamUri(team.schema);

      const refreshed = await runTokendesk(env, 'refresh', token.id!, '--source', uri);
      expect(refreshed.code).toBe(0);

      for (const args of [
        ['revoke', token.id!, '--source', uri],
        ['revoke', token.id!, '--source', uri, '--keep'],
        ['import', '--from', uri, '--move'],
        ['import', '--from', uri],
      ]) {
        const refused = await runTokendesk(env, ...args);
        expect(refused.code, args.join(' ')).toBe(1);
        expect(refused.stderr.trim().split('\n')).toHaveLength(1);
        expect(refused.stderr).toMatch(
          /^tokendesk: Your membership of this team store is read-only, so you cannot/,
        );
      }
      // Nothing happened at Zoho nor in the team store.
      expect(sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
      expect((await team.store.findTokenById(token.id!))?.refreshToken).toBe(token.refreshToken);

      // No copy reached this computer's store.
      const local = await runTokendesk(env, 'list', '--json');
      expect(local.stdout.includes('kept.user@example.com'), local.stdout + local.stderr).toBe(false);
      // And a copy into the team store is an add: refused the same way.
      const exported = await runTokendesk(env, 'export', '--to', uri);
      expect(exported.code).toBe(1);
      expect(exported.stderr).toContain('read-only, so you cannot add tokens');
    });

    it('without a member key, or with a bad URI, says what to set in one line and never the password', async () => {
      const uri = teamUri('tokendesk');
      const password = decodeURIComponent(new URL(url).password);
      const env = {
        PATH: process.env.PATH,
        HOME: dir,
        TOKENDESK_DATA_DIR: join(dir, 'nokey-data'),
      };
      const noKey = await runTokendesk(env, 'list', '--source', uri);
      expect(noKey.code).toBe(1);
      expect(noKey.stderr.trim()).toMatch(
        /^tokendesk: No passphrase for the member key: set TOKENDESK_TEAM_MEMBER_PASSPHRASE\./,
      );
      const badSchema = await runTokendesk(env, 'list', '--source', `${uri}x-Y`);
      expect(badSchema.code).toBe(2);
      expect(badSchema.stderr).toContain('The schema must be lower-case letters');
      const noDatabase = await runTokendesk(
        env,
        'list',
        '--source',
        `postgresql://u:${password}@127.0.0.1:5432`,
      );
      expect(noDatabase.code).toBe(2);
      expect(noDatabase.stderr).toContain('needs a host and a database');
      for (const run of [noKey, badSchema, noDatabase]) expect(run.stderr).not.toContain(password);
    });

    it('a server that does not answer, or refuses the password, is told at once in one line (no 30 s of retries)', async () => {
      const key = MemberKey.generate('probe');
      const file = join(dir, 'probe.member-key.json');
      writeFileSync(file, JSON.stringify(await key.export(testMemberProtector('probe passphrase'))));
      key.close();
      const env = {
        PATH: process.env.PATH,
        HOME: dir,
        TOKENDESK_DATA_DIR: join(dir, 'probe-data'),
        TOKENDESK_TEAM_MEMBER_KEY_FILE: file,
        TOKENDESK_TEAM_MEMBER_PASSPHRASE: 'probe passphrase',
      };
      const wrong = new URL(url);
      wrong.password = 'not-the-password-41';
      const closed = new URL(url);
      closed.port = '1';
      for (const [uri, words] of [
        [
          wrong.toString(),
          `The database refused user "${decodeURIComponent(wrong.username)}" with that password.`,
        ],
        [closed.toString(), `Nothing answers at ${closed.hostname}:1:`],
      ] as const) {
        const started = Date.now();
        const run = await runTokendesk(env, 'list', '--source', uri);
        // Well under the 30 s an open store retries for, even with the command's start on a loaded machine.
        expect(Date.now() - started).toBeLessThan(20_000);
        expect(run.code).toBe(1);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toContain(words);
        expect(run.stderr).not.toContain('not-the-password-41');
        expect(run.stderr).not.toContain(decodeURIComponent(new URL(url).password));
      }
    });
  },
);
