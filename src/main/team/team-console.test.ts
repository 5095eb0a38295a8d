import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TeamConnectionSettings } from '../../shared/ipc/team';
import { emptyToken } from '../store/oauth-token';
import { SqliteTokenStore } from '../store/sqlite-token-store';
import { openTempStore, testProtector } from '../store/test-support/temp-store';
import type { ZohoFor } from '../zoho';
import { TeamConsole, type TeamConsoleEvent } from './team-console';
import { UNREACHABLE_RETRYING } from './team-errors';
import { dropSchema, freshSchema, pgTestServer } from './test-support/pg-test-server';

const server = await pgTestServer();
const url = server.available ? server.url : '';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** No Zoho call is made in these tests: the console only lists, adds members and rotates keys. */
const noZoho = {} as ZohoFor;

function settingsFor(
  schema: string,
  overrides: Partial<TeamConnectionSettings> = {},
): TeamConnectionSettings {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.slice(1)),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    tls: 'off',
    schema,
    ...overrides,
  };
}

async function consoleOnNewComputer() {
  const local = await openTempStore();
  const events: TeamConsoleEvent[] = [];
  const team = new TeamConsole({ local: local.store, zoho: noZoho, onEvent: (e) => events.push(e) });
  cleanups.push(async () => {
    await team.close();
    local.store.close();
    local.cleanup();
  });
  return { local, team, events };
}

describe('this computer’s member key', () => {
  it('is made on first use, kept sealed in the local store, and survives a passphrase change', async () => {
    const { local, team } = await consoleOnNewComputer();
    const first = await team.memberKey();
    expect(first.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.fingerprint).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    expect(await team.memberKey()).toEqual(first);

    await local.store.changeProtector(testProtector('a new passphrase'));
    local.store.close();
    const reopened = await SqliteTokenStore.open({
      path: local.path,
      protector: testProtector('a new passphrase'),
    });
    cleanups.push(() => reopened.close());
    const again = new TeamConsole({ local: reopened, zoho: noZoho, onEvent: () => {} });
    expect(await again.memberKey()).toEqual(first);
    await again.close();
  });
});

describe.skipIf(!server.available)('the console on a team store (PostgreSQL)', () => {
  it('creates a store, adds a second computer by public key, both see the same tokens', async () => {
    const schema = freshSchema();
    cleanups.push(() => dropSchema(url, schema));
    const alice = await consoleOnNewComputer();
    const bob = await consoleOnNewComputer();
    const settings = settingsFor(schema);

    expect(await alice.team.test(settings)).toMatchObject({ ok: true, found: 'empty' });
    const created = await alice.team.create(settings, 'Alice laptop');
    expect(created.team).toMatchObject({ access: 'manage', statusMessage: null, problem: null });
    expect(created.memberKey.name).toBe('Alice laptop');
    expect(JSON.stringify(created)).not.toContain(settings.password);
    // The password is sealed in the local store's file, never written in the clear.
    expect(readFileSync(alice.local.path).includes(Buffer.from(settings.password))).toBe(false);

    // Bob is not a member yet: told so, and nothing is saved on his computer.
    expect(await bob.team.test(settings)).toMatchObject({ ok: true, found: 'not-a-member' });
    await expect(bob.team.join(settings)).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
    expect((await bob.team.state()).team).toBeNull();

    const bobKey = await bob.team.memberKey();
    expect(alice.team.checkMemberKey(bobKey.publicKey)).toEqual({ fingerprint: bobKey.fingerprint });
    const added = await alice.team.addMember({ publicKey: bobKey.publicKey, name: 'Bob', access: 'manage' });
    expect(added.fingerprint).toBe(bobKey.fingerprint);
    expect(await bob.team.test(settings)).toMatchObject({ found: 'member' });
    const joined = await bob.team.join(settings);
    expect(joined.team?.sourceId).toBe(created.team?.sourceId);
    expect(bob.team.owns(joined.team?.sourceId)).toBe(true);

    // A token Alice's computer saves reaches Bob's list, and Bob's change feed says so.
    await (await alice.team.source()).store.saveToken(
      emptyToken({ userName: 'shared@example.com', clientId: '1000.X', refreshToken: '1000.r.secret' }),
    );
    const bobList = await (await bob.team.service()).list();
    expect(bobList.map((t) => t.userName)).toEqual(['shared@example.com']);
    await expect.poll(() => bob.events.some((e) => e.kind === 'changed' && e.reason === 'remote')).toBe(true);

    // Members and fingerprints as both see them.
    const members = await bob.team.members();
    expect(members.map((m) => [m.name, m.fingerprint, m.isYou])).toEqual([
      ['Alice laptop', created.memberKey.fingerprint, false],
      ['Bob', bobKey.fingerprint, true],
    ]);

    // Alice removes Bob: every row re-encrypted, advice to revoke, Bob's open session is refused next read.
    const removed = await alice.team.removeMember(added.memberId);
    expect(removed).toMatchObject({ removedName: 'Bob', reencrypted: 1, tokenCount: 1 });
    expect(removed.advice).toMatch(/revoke those tokens/);
    await expect((await bob.team.service()).list()).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
    const audit = await alice.team.audit({});
    expect(audit.map((a) => a.action)).toEqual(['member-remove', 'member-add']);
    expect(audit[0]?.actor).toContain('Alice laptop');
  });

  it('a wrong password is told plainly and changes nothing', async () => {
    const schema = freshSchema();
    cleanups.push(() => dropSchema(url, schema));
    const alice = await consoleOnNewComputer();
    const wrong = settingsFor(schema, { password: 'not-the-password' });
    const check = await alice.team.test(wrong);
    expect(check).toEqual({
      ok: false,
      found: null,
      message: `The database refused user "${wrong.user}" with that password.`,
    });
    await expect(alice.team.create(wrong)).rejects.toThrow();
    expect((await alice.team.state()).team).toBeNull();
  });

  it('nothing answering is told plainly', async () => {
    const alice = await consoleOnNewComputer();
    const check = await alice.team.test(settingsFor('tokendesk', { host: '127.0.0.1', port: 1 }));
    expect(check.message).toBe(
      'Nothing answers at 127.0.0.1:1: check the host and port, and that PostgreSQL is running.',
    );
    expect(UNREACHABLE_RETRYING).toBe('team store unreachable, retrying');
  });
});
