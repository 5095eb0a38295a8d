import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { emptyToken, type OAuthToken } from '../store/oauth-token';
import { MemberKey } from './member-key';
import { TeamTokenStore } from './team-token-store';
import { createTestTeamStore, dropSchema, freshSchema, pgTestServer } from './test-support/pg-test-server';

const server = await pgTestServer();
const url = server.available ? server.url : '';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let admin: pg.Client | null = null;
/** A plain connection, as someone with database access but no member key would use it. */
async function sql(schema: string, text: string, params: unknown[] = []) {
  if (!admin) {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  }
  await admin.query(`SET search_path = ${schema}`);
  return (await admin.query(text, params)).rows;
}
afterAll(async () => {
  await admin?.end();
});

async function newStore() {
  const made = await createTestTeamStore(url);
  cleanups.push(made.cleanup);
  return made;
}

const token = (fields: Partial<OAuthToken>) =>
  emptyToken({
    clientId: '1000.CLIENT',
    clientSecret: 'client-secret-value',
    refreshToken: '1000.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
    accessToken: '1000.cccccccccccccccccccccccccccccccc.dddddddddddddddddddddddddddddddd',
    expiryTime: '1893456000000',
    apiDomain: 'https://www.zohoapis.com',
    dataCenter: 'US',
    environment: 'production',
    ...fields,
  });

describe.skipIf(!server.available)('TeamTokenStore at rest and integrity (PostgreSQL)', () => {
  it('stores no plaintext secret in any column of the team tables', async () => {
    const { store, schema } = await newStore();
    const t = token({ userName: 'a@example.com', grantToken: '1000.grant-value-xyz' });
    await store.saveToken(t);
    const dump = JSON.stringify([
      await sql(schema, 'SELECT t::text AS row FROM team_tokens t'),
      await sql(schema, 'SELECT m::text AS row FROM team_members m'),
      await sql(schema, 'SELECT k::text AS row FROM team_member_keys k'),
      await sql(schema, "SELECT encode(secrets_enc, 'escape') AS e FROM team_tokens"),
    ]);
    expect(dump).toContain('a@example.com');
    for (const secret of [t.clientSecret, t.refreshToken, t.accessToken, t.grantToken]) {
      expect(dump).not.toContain(secret);
    }
  });

  it('a row relabelled as another user or pointed at another api_domain is unreadable; others still read', async () => {
    const { store, schema } = await newStore();
    const a = token({ userName: 'a@example.com' });
    const b = token({ userName: 'b@example.com', refreshToken: '1000.rb', accessToken: '1000.ab' });
    const c = token({ userName: 'c@example.com', refreshToken: '1000.rc', accessToken: '1000.ac' });
    for (const t of [a, b, c]) await store.saveToken(t);
    await sql(schema, "UPDATE team_tokens SET user_name = 'mallory@example.com' WHERE id = $1", [a.id]);
    await sql(schema, "UPDATE team_tokens SET api_domain = 'https://evil.example' WHERE id = $1", [b.id]);

    const entries = await store.listEntries();
    expect(entries.map((e) => e.ok)).toEqual([false, false, true]);
    const first = entries[0]!;
    expect(first.ok).toBe(false);
    if (!first.ok) {
      expect(first.error.code).toBe('UNREADABLE_ROW');
      expect(first.error.message).toContain(`Token row ${a.id} failed its integrity check`);
      expect(first.userName).toBe('mallory@example.com');
    }
    await expect(store.findTokenById(a.id!)).rejects.toMatchObject({ code: 'UNREADABLE_ROW' });
    expect((await store.findTokenById(c.id!))?.accessToken).toBe('1000.ac');
    expect((await store.getTokens()).map((t) => t.id)).toEqual([c.id]);
  });

  it('an envelope copied from another row, swapped, flipped or removed is rejected', async () => {
    const { store, schema } = await newStore();
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      const t = token({
        userName: `${name}@example.com`,
        refreshToken: `1000.r${name}`,
        accessToken: `1000.a${name}`,
      });
      await store.saveToken(t);
      ids.push(t.id!);
    }
    const [a, b, c, d] = ids;
    await sql(
      schema,
      'UPDATE team_tokens SET secrets_enc = (SELECT secrets_enc FROM team_tokens WHERE id = $2) WHERE id = $1',
      [a, b],
    );
    await sql(
      schema,
      "UPDATE team_tokens SET secrets_enc = overlay(secrets_enc placing '\\xff'::bytea from 40 for 1) WHERE id = $1",
      [c],
    );
    await sql(schema, 'UPDATE team_tokens SET secrets_enc = NULL WHERE id = $1', [d]);
    const entries = await store.listEntries();
    expect(entries.map((e) => (e.ok ? e.token.id : `unreadable ${e.id}`))).toEqual([
      `unreadable ${a}`,
      b,
      `unreadable ${c}`,
      `unreadable ${d}`,
    ]);
    // Lookups by value go through the blind index only: with b's index gone, its refresh token finds nothing.
    await sql(schema, 'UPDATE team_tokens SET refresh_token_bidx = NULL WHERE id = $1', [b]);
    expect(await store.findToken(emptyToken({ refreshToken: '1000.rb' }))).toBeNull();
  });

  it('an unreadable row can still be deleted; every other token keeps working', async () => {
    const { store, schema } = await newStore();
    const a = token({ userName: 'a@example.com' });
    const b = token({ userName: 'b@example.com', refreshToken: '1000.rb', accessToken: '1000.ab' });
    await store.saveToken(a);
    await store.saveToken(b);
    await sql(schema, "UPDATE team_tokens SET client_id = 'other' WHERE id = $1", [a.id]);
    await store.deleteToken(a.id!);
    expect((await store.listEntries()).map((e) => e.ok && e.token.id)).toEqual([b.id]);
  });

  it('a member key that was never added cannot open the store, and is told so', async () => {
    const { schema } = await newStore();
    const outsider = MemberKey.generate('outsider');
    await expect(
      TeamTokenStore.open({ connectionString: url, schema, member: outsider }),
    ).rejects.toMatchObject({
      code: 'NOT_A_MEMBER',
      message: expect.stringContaining('not (or no longer) a member'),
    });
  });

  it('opening a schema with no team store says so; creating one twice is refused', async () => {
    const schema = freshSchema();
    cleanups.push(() => dropSchema(url, schema));
    await expect(
      TeamTokenStore.open({ connectionString: url, schema, member: MemberKey.generate('x') }),
    ).rejects.toMatchObject({ code: 'NOT_A_TEAM_STORE' });
    const first = await TeamTokenStore.create({
      connectionString: url,
      schema,
      member: MemberKey.generate('a'),
    });
    cleanups.push(() => first.close());
    await expect(
      TeamTokenStore.create({ connectionString: url, schema, member: MemberKey.generate('b') }),
    ).rejects.toMatchObject({ code: 'ALREADY_A_MEMBER' });
  });

  it('the audit log is append-only, even for the table owner', async () => {
    const { store, schema } = await newStore();
    await store.audit.record({ action: 'refresh', outcome: 'success', detail: 'Refreshed.', tokenId: '1' });
    await expect(sql(schema, "UPDATE team_audit SET detail = 'rewritten'")).rejects.toThrow(/append-only/);
    await expect(sql(schema, 'DELETE FROM team_audit')).rejects.toThrow(/append-only/);
    const [entry] = await store.audit.list();
    expect(entry).toMatchObject({
      detail: 'Refreshed.',
      actor: `first member (${store.member.fingerprint})`,
    });
  });

  it('a database error is a STORAGE error naming what failed, never a raw driver error', async () => {
    const { store, schema } = await newStore();
    await sql(schema, 'ALTER TABLE team_tokens RENAME TO team_tokens_moved');
    await expect(store.getTokens()).rejects.toMatchObject({
      name: 'TokenStoreError',
      code: 'STORAGE',
      message: 'Team store database error: relation "team_tokens" does not exist',
    });
  });
});
