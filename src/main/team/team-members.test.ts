import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyToken } from '../store/oauth-token';
import { bindingOfColumns, RowCrypto } from '../store/row-crypto';
import { MemberKey } from './member-key';
import { addMember, listMembers, REMOVED_MEMBER_ADVICE, removeMember } from './team-members';
import { MemberProcess } from './test-support/member-process-client';
import { createTestTeamStore, pgTestServer, testMemberProtector } from './test-support/pg-test-server';

const server = await pgTestServer();
const url = server.available ? server.url : '';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BOB_PASSPHRASE = 'bob passphrase';

/** Bob's member key as his TokenDesk keeps it (a file protected by his passphrase), and the unlocked key. */
async function bobKey() {
  const key = MemberKey.generate('Bob laptop');
  const file = JSON.stringify(await key.export(testMemberProtector(BOB_PASSPHRASE)));
  return { key, file };
}

function bobProcess(schema: string, file: string) {
  const bob = new MemberProcess({
    TOKENDESK_TEST_PG_URL: url,
    TOKENDESK_TEAM_SCHEMA: schema,
    TOKENDESK_TEAM_MEMBER_KEY: file,
    TOKENDESK_TEAM_MEMBER_PASSPHRASE: BOB_PASSPHRASE,
  });
  cleanups.push(() => bob.stop());
  return bob;
}

const token = (userName: string, access: string) =>
  emptyToken({
    userName,
    clientId: '1000.CLIENT',
    clientSecret: 'secret',
    refreshToken: `1000.refresh-${userName}`,
    accessToken: access,
    expiryTime: '1893456000000',
    dataCenter: 'US',
    environment: 'production',
  });

describe.skipIf(!server.available)('team members in two processes (PostgreSQL)', () => {
  it('a member key file opens only with its passphrase', async () => {
    const { file } = await bobKey();
    await expect(MemberKey.unlock(file, testMemberProtector('wrong'))).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    const unlocked = await MemberKey.unlock(file, testMemberProtector(BOB_PASSPHRASE));
    expect(unlocked.name).toBe('Bob laptop');
    await expect(MemberKey.unlock('{"v":1}', testMemberProtector(BOB_PASSPHRASE))).rejects.toMatchObject({
      code: 'INVALID_MEMBER_KEY',
    });
  });

  it('add by public key: both sides see one fingerprint, and the newcomer reads and writes the team tokens', async () => {
    const { store: alice, schema, cleanup } = await createTestTeamStore(url, 'Alice laptop');
    cleanups.push(cleanup);
    await alice.saveToken(token('a@example.com', '1000.access-a'));
    const { key, file } = await bobKey();
    const bob = bobProcess(schema, file);

    // Not a member yet: told so, and nothing opened.
    const refused = await bob.send({ cmd: 'open' });
    expect(refused).toMatchObject({ ok: false, code: 'NOT_A_MEMBER' });

    const added = await addMember(alice, {
      publicKey: key.publicKeyText,
      name: 'Bob laptop',
      access: 'manage',
    });
    const opened = await bob.ok<{ fingerprint: string; access: string }>({ cmd: 'open' });
    // What Alice was shown equals what Bob's TokenDesk shows for its own key.
    expect(added.fingerprint).toBe(opened.fingerprint);
    expect(added.fingerprint).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    expect(opened.access).toBe('manage');

    expect(await bob.ok({ cmd: 'list' })).toEqual([
      { ok: true, id: expect.any(String), userName: 'a@example.com', accessToken: '1000.access-a' },
    ]);
    const { id } = await bob.ok<{ id: string }>({
      cmd: 'save',
      token: token('b@example.com', '1000.access-b'),
    });
    expect((await alice.findTokenById(id))?.accessToken).toBe('1000.access-b');
    expect((await listMembers(alice)).map((m) => [m.name, m.isYou])).toEqual([
      ['Alice laptop', true],
      ['Bob laptop', false],
    ]);
    await expect(
      addMember(alice, { publicKey: key.publicKeyText, name: 'again', access: 'manage' }),
    ).rejects.toMatchObject({ code: 'ALREADY_A_MEMBER' });
    await expect(
      addMember(alice, { publicKey: 'not a key', name: 'x', access: 'manage' }),
    ).rejects.toMatchObject({
      code: 'INVALID_MEMBER_KEY',
    });
  });

  it('remove: a new data key re-encrypts every row; the removed member opens nothing written afterwards', async () => {
    const { store: alice, schema, cleanup } = await createTestTeamStore(url, 'Alice laptop');
    cleanups.push(cleanup);
    const old = token('a@example.com', '1000.access-old');
    await alice.saveToken(old);
    const { key, file } = await bobKey();
    const bobMember = await addMember(alice, {
      publicKey: key.publicKeyText,
      name: 'Bob laptop',
      access: 'manage',
    });
    const bob = bobProcess(schema, file);
    await bob.ok({ cmd: 'open' });
    expect(await bob.ok({ cmd: 'find', id: old.id })).toMatchObject({ accessToken: '1000.access-old' });

    // Bob's copy of the data key as it was before the removal (what a removed member could have kept).
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    cleanups.push(() => db.end());
    await db.query(`SET search_path = ${schema}`);
    const [wrapped] = (
      await db.query('SELECT wrapped_key, key_version FROM team_member_keys WHERE member_id = $1', [key.id])
    ).rows;
    const bobsOldKey = new RowCrypto(
      key.unwrapDataKey(wrapped.wrapped_key, {
        teamId: alice.keyring.teamId,
        keyVersion: wrapped.key_version,
      }),
    );

    const result = await removeMember(alice, bobMember.memberId);
    expect(result).toMatchObject({
      reencrypted: 1,
      unreadableIds: [],
      keyVersion: 2,
      advice: REMOVED_MEMBER_ADVICE,
    });
    expect(result.advice).toContain('revoke those tokens');
    await alice.saveToken(token('n@example.com', '1000.access-new'));

    // Bob's running process is refused the moment it reads, with the reason.
    expect(await bob.send({ cmd: 'list' })).toMatchObject({ ok: false, code: 'NOT_A_MEMBER' });
    // And his old key opens no row any more: not the re-encrypted one, not the new one.
    const rows = (await db.query('SELECT * FROM team_tokens ORDER BY id')).rows;
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.key_version).toBe(2);
      expect(() => bobsOldKey.open(bindingOfColumns(String(row.id), row), row.secrets_enc)).toThrow(
        /failed its integrity check/,
      );
    }
    // No wrapped copy of the old key is left in the database.
    expect((await db.query('SELECT key_version FROM team_member_keys')).rows).toEqual([{ key_version: 2 }]);
    // Alice still reads everything.
    expect((await alice.getTokens()).map((t) => t.accessToken)).toEqual([
      '1000.access-old',
      '1000.access-new',
    ]);
    const audit = await alice.audit.list();
    const actor = `Alice laptop (${alice.member.fingerprint})`;
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['member-remove', actor],
      ['member-add', actor],
    ]);
    expect(audit[0]?.detail).toBe(
      'Removed member "Bob laptop"; 1 tokens re-encrypted under data key version 2.',
    );
  });

  it('read-only members list and update existing tokens, but cannot add, delete or manage members', async () => {
    const { store: alice, schema, cleanup } = await createTestTeamStore(url, 'Alice laptop');
    cleanups.push(cleanup);
    const a = token('a@example.com', '1000.access-a');
    await alice.saveToken(a);
    const { key, file } = await bobKey();
    await addMember(alice, { publicKey: key.publicKeyText, name: 'Bob laptop', access: 'read-only' });
    const bob = bobProcess(schema, file);
    expect(await bob.ok({ cmd: 'open' })).toMatchObject({ access: 'read-only' });
    // A refresh writes the existing row: allowed.
    await bob.ok({ cmd: 'save', token: { ...a, accessToken: '1000.refreshed' } });
    expect((await alice.findTokenById(a.id!))?.accessToken).toBe('1000.refreshed');
    expect(await bob.send({ cmd: 'save', token: token('new@example.com', '1000.x') })).toMatchObject({
      ok: false,
      code: 'READ_ONLY',
      message: expect.stringContaining('read-only'),
    });
    expect(await alice.getTokens()).toHaveLength(1);
  });
});
