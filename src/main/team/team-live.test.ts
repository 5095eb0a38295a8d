import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { emptyToken } from '../store/oauth-token';
import { MemberKey } from './member-key';
import type { TeamChange } from './team-change-feed';
import type { TeamConnectionStatus } from './team-connection';
import { UNREACHABLE_RETRYING } from './team-errors';
import { addMember, listMembers, removeMember } from './team-members';
import { MemberProcess } from './test-support/member-process-client';
import { createTestTeamStore, pgTestServer, testMemberProtector } from './test-support/pg-test-server';

const server = await pgTestServer();
const url = server.available ? server.url : '';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let admin: pg.Client | null = null;
async function sql(text: string, params: unknown[] = []) {
  if (!admin) {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  }
  return (await admin.query(text, params)).rows;
}
afterAll(async () => {
  await admin?.end();
});

async function newStore(name = 'Alice laptop') {
  const made = await createTestTeamStore(url, name);
  cleanups.push(made.cleanup);
  return made;
}

/** Resolves with the first value `probe` returns that is not undefined (polling; a guard, not a timing). */
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

const token = (userName: string) =>
  emptyToken({
    userName,
    clientId: '1000.CLIENT',
    clientSecret: 'secret',
    refreshToken: `1000.refresh-${userName}`,
    accessToken: `1000.access-${userName}`,
    expiryTime: '1893456000000',
    dataCenter: 'US',
    environment: 'production',
  });

describe.skipIf(!server.available)('team store live changes and lost connections (PostgreSQL)', () => {
  it("pushes another member's committed add and delete, never a rolled-back change or another store's", async () => {
    const { store: alice, schema } = await newStore();
    const feed = await alice.openChangeFeed();
    cleanups.push(() => feed.close());
    const changes: TeamChange[] = [];
    feed.onChange((c) => changes.push(c));

    const bobKey = MemberKey.generate('Bob laptop');
    const bobFile = JSON.stringify(await bobKey.export(testMemberProtector('bob')));
    await addMember(alice, { publicKey: bobKey.publicKeyText, name: 'Bob laptop', access: 'manage' });
    const bob = new MemberProcess({
      TOKENDESK_TEST_PG_URL: url,
      TOKENDESK_TEAM_SCHEMA: schema,
      TOKENDESK_TEAM_MEMBER_KEY: bobFile,
      TOKENDESK_TEAM_MEMBER_PASSPHRASE: 'bob',
    });
    cleanups.push(() => bob.stop());
    await bob.ok({ cmd: 'open' });

    // Noise that must not arrive: a rolled-back update here, a committed change in another team store.
    const kept = token('kept@example.com');
    await alice.saveToken(kept);
    const other = await newStore('Other team');
    await eventually(() =>
      changes.find((c) => c.kind === 'row' && c.table === 'team_tokens' && c.id === kept.id),
    );
    changes.length = 0;
    await sql('BEGIN');
    await sql(`UPDATE ${schema}.team_tokens SET last_error = 'rolled back' WHERE id = $1`, [kept.id]);
    await sql('ROLLBACK');
    await other.store.saveToken(token('elsewhere@example.com'));

    const { id } = await bob.ok<{ id: string }>({ cmd: 'save', token: token('bob-added@example.com') });
    const added = await eventually(() => changes.find((c) => c.kind === 'row' && c.table === 'team_tokens'));
    expect(added).toEqual({ kind: 'row', table: 'team_tokens', op: 'INSERT', id });
    // What the event points at is readable by Alice right away.
    expect((await alice.findTokenById(id))?.userName).toBe('bob-added@example.com');

    await alice.deleteToken(id);
    await eventually(() => changes.find((c) => c.kind === 'row' && c.op === 'DELETE'));
    expect(changes).toEqual([
      { kind: 'row', table: 'team_tokens', op: 'INSERT', id },
      { kind: 'row', table: 'team_tokens', op: 'DELETE', id },
    ]);
  });

  it('a dropped feed connection says "team store unreachable, retrying" at once, reconnects and asks for a resync', async () => {
    const { store, schema } = await newStore();
    const feed = await store.openChangeFeed();
    cleanups.push(() => feed.close());
    const statuses: [TeamConnectionStatus, string][] = [];
    const changes: TeamChange[] = [];
    feed.onStatus((status, message) => statuses.push([status, message]));
    feed.onChange((c) => changes.push(c));

    const [killed] = await sql(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [`tokendesk-${schema}-changes`],
    );
    expect(killed?.n).toBe(1);
    await eventually(() => (statuses.length >= 2 ? true : undefined));
    expect(statuses).toEqual([
      ['unreachable', UNREACHABLE_RETRYING],
      ['connected', 'connected'],
    ]);
    expect(UNREACHABLE_RETRYING).toBe('team store unreachable, retrying');
    expect(changes).toEqual([{ kind: 'resync' }]);
    // And it listens again.
    const t = token('after@example.com');
    await store.saveToken(t);
    await eventually(() => changes.find((c) => c.kind === 'row' && c.id === t.id));
  });

  it('pg_terminate_backend mid-transaction loses nothing: the save is re-run whole, once', async () => {
    const { store, schema } = await newStore();
    const before = token('before@example.com');
    await store.saveToken(before);
    const statuses: TeamConnectionStatus[] = [];
    store.connection.onStatus((s) => statuses.push(s));

    // Hold the team's save lock, so the next save stops inside its transaction.
    await sql('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`tokendesk/team/save/${schema}`]);
    const saving = token('during@example.com');
    const saved = store.saveToken(saving);
    await eventually(async () => {
      const rows = await sql(
        `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
        [`tokendesk-${schema}`],
      );
      return rows.length > 0 ? rows : undefined;
    });
    const [killed] = await sql(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE application_name = $1 AND wait_event_type = 'Lock'`,
      [`tokendesk-${schema}`],
    );
    expect(killed?.n).toBe(1);
    await sql('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`tokendesk/team/save/${schema}`]);
    await saved;

    expect(statuses).toEqual(['unreachable', 'connected']);
    const all = await store.getTokens();
    expect(all.map((t) => t.userName)).toEqual(['before@example.com', 'during@example.com']);
    expect(all[1]?.id).toBe(saving.id);
    expect(all[0]?.accessToken).toBe(before.accessToken);
  });

  it('pg_terminate_backend in the middle of removing a member loses nothing: one rotation, every row readable', async () => {
    const { store, schema } = await newStore();
    const kept = token('kept@example.com');
    await store.saveToken(kept);
    const bob = MemberKey.generate('Bob laptop');
    const added = await addMember(store, {
      publicKey: bob.publicKeyText,
      name: 'Bob laptop',
      access: 'manage',
    });

    // Another transaction holds the key version row, so the rotation stops inside its transaction.
    await sql('BEGIN');
    await sql(`SELECT key_version FROM ${schema}.team_keyring FOR SHARE`);
    const removing = removeMember(store, added.memberId);
    const app = `tokendesk-${schema}`;
    await eventually(async () => {
      const rows = await sql(
        `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
        [app],
      );
      return rows.length > 0 ? rows : undefined;
    });
    await sql(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
      [app],
    );
    await sql('COMMIT');
    const result = await removing;

    expect(result).toMatchObject({ keyVersion: 2, reencrypted: 1, unreadableIds: [] });
    expect(await sql(`SELECT key_version FROM ${schema}.team_keyring`)).toEqual([{ key_version: 2 }]);
    expect((await listMembers(store)).map((m) => m.name)).toEqual(['Alice laptop']);
    expect((await store.findTokenById(kept.id!))?.accessToken).toBe(kept.accessToken);
  });
});
