import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { maskSecret } from '../common/mask';
import type { KeyProtector } from './key-protector';
import { emptyToken, type OAuthToken } from './oauth-token';
import {
  BLIND_INDEX_COLUMNS,
  DELETE_ROW,
  SELECT_BY_ID,
  selectIdByBlindIndexSql,
  selectIdByUserSql,
  UPDATE_ROW,
  UPDATE_SECRETS,
} from './sqlite-queries';
import { SqliteTokenStore } from './sqlite-token-store';
import { openTempStore, tempDir, testProtector } from './test-support/temp-store';
import { TokenStoreError } from './token-store';

/** The statements a lookup runs, by name: every one must be served by an index. */
function lookupQueries(): Record<string, string> {
  const queries: Record<string, string> = { byId: SELECT_BY_ID, deleteRow: DELETE_ROW };
  for (let mask = 0; mask < 16; mask++) queries[`byUser${mask}`] = selectIdByUserSql(mask);
  for (const [field, column] of Object.entries(BLIND_INDEX_COLUMNS)) {
    queries[`by_${field}`] = selectIdByBlindIndexSql(column);
  }
  queries.updateRow = UPDATE_ROW;
  queries.updateSecrets = UPDATE_SECRETS;
  return queries;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function temp(passphrase?: string) {
  const opened = await openTempStore(passphrase);
  cleanups.push(opened.cleanup);
  cleanups.push(() => opened.store.close());
  return opened;
}

function secretsFor(i: number) {
  return {
    clientSecret: `client-secret-${i}-b7d1f0`,
    refreshToken: `1000.refresh${i}.9f3c2ad4e81b`,
    accessToken: `1000.access${i}.5e77c01aa9d2`,
    grantToken: `1000.grant${i}.0c4b6e1f72aa`,
  };
}

function token(i: number, fields: Partial<OAuthToken> = {}): OAuthToken {
  return emptyToken({
    userName: `user${i}@example.com`,
    clientId: '1000.CLIENTID',
    dataCenter: 'US',
    environment: 'production',
    expiryTime: '1893456000000',
    ...secretsFor(i),
    ...fields,
  });
}

type Row = Record<string, Buffer | string | number | null>;

describe('SqliteTokenStore at rest', () => {
  it('writes no plaintext secret to the database file or its WAL', async () => {
    const { store, path } = await temp();
    const secrets: string[] = [];
    for (let i = 0; i < 20; i++) {
      await store.saveToken(token(i));
      secrets.push(...Object.values(secretsFor(i)));
    }
    // Updates and deletes too: old values must not linger in plain form anywhere.
    await store.saveToken(token(3, { accessToken: '1000.rotated.aa11bb22cc33' }));
    secrets.push('1000.rotated.aa11bb22cc33');
    await store.deleteToken('5');
    const files = [path, `${path}-wal`].filter((f) => existsSync(f));
    expect(files).toContain(`${path}-wal`);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of secrets)
        expect(bytes.includes(Buffer.from(secret, 'utf8')), `${secret} in ${file}`).toBe(false);
    }
    // Sanity check of the method: a plain column is found.
    const all = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(all.includes(Buffer.from('user7@example.com', 'utf8'))).toBe(true);
  });

  it.skipIf(process.platform === 'win32')(
    'keeps the database, its WAL and shared-memory file private to the owner (0600), even under umask 000',
    async () => {
      const previous = process.umask(0);
      try {
        const { store, path } = await temp();
        await store.saveToken(token(1));
        for (const file of [path, `${path}-wal`, `${path}-shm`]) {
          expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
        }
        store.close();
        // A file left readable by others (copied in, older version) is narrowed on the next open.
        chmodSync(path, 0o644);
        writeFileSync(`${path}-wal`, '');
        chmodSync(`${path}-wal`, 0o666);
        const again = await SqliteTokenStore.open({ path, protector: testProtector() });
        cleanups.push(() => again.close());
        expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
        expect((statSync(`${path}-wal`).mode & 0o777).toString(8)).toBe('600');
      } finally {
        process.umask(previous);
      }
    },
  );

  it('sets WAL, secure_delete, the WAL size limit and the schema version', async () => {
    const { store } = await temp();
    const db = store.database;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(0);
    expect(db.pragma('user_version', { simple: true })).toBe(6);
  });

  it('every lookup uses an index, never a table scan', async () => {
    const { store } = await temp();
    for (let i = 0; i < 50; i++) await store.saveToken(token(i));
    for (const [name, sql] of Object.entries(lookupQueries())) {
      const params = (sql.match(/\?/g) ?? []).map(() => 'x');
      const named = Object.fromEntries((sql.match(/@\w+/g) ?? []).map((p) => [p.slice(1), null]));
      const stmt = store.database.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const plan = (Object.keys(named).length > 0 ? stmt.all(named) : stmt.all(...params)) as {
        detail: string;
      }[];
      const details = plan.map((p) => p.detail);
      expect(
        details.some((d) => /^SEARCH tokens USING (INTEGER PRIMARY KEY|(COVERING )?INDEX)/.test(d)),
        `${name}: ${details}`,
      ).toBe(true);
      expect(
        details.some((d) => /\bSCAN tokens\b/.test(d)),
        `${name}: ${details}`,
      ).toBe(false);
      // No sort either: every lookup's order comes from its index.
      expect(
        details.some((d) => /TEMP B-TREE/.test(d)),
        `${name}: ${details}`,
      ).toBe(false);
    }
  });
});

describe('SqliteTokenStore integrity', () => {
  async function threeRows() {
    const opened = await temp();
    for (let i = 1; i <= 3; i++) await opened.store.saveToken(token(i));
    return opened;
  }

  function expectUnreadable(err: unknown, id: string) {
    expect(err).toBeInstanceOf(TokenStoreError);
    expect((err as TokenStoreError).code).toBe('UNREADABLE_ROW');
    expect((err as TokenStoreError).tokenId).toBe(id);
    expect((err as TokenStoreError).message).toContain(`row ${id}`);
    expect((err as TokenStoreError).message).toContain('failed its integrity check');
  }

  async function expectOnlyRowUnreadable(store: SqliteTokenStore, id: string) {
    const entries = await store.listEntries();
    expect(entries).toHaveLength(3);
    const bad = entries.find((e) => !e.ok);
    expect(bad).toMatchObject({
      ok: false,
      id,
      userName: `user${id}@example.com`,
      clientId: '1000.CLIENTID',
    });
    if (bad && !bad.ok) expectUnreadable(bad.error, id);
    // The list, which opens no envelope, marks the same row (its listing MAC binds the envelope's bytes).
    const listed = await store.listWithoutSecrets();
    expect(listed.map((e) => (e.ok ? e.token.id : `unreadable ${e.id}`))).toEqual(
      ['1', '2', '3'].map((x) => (x === id ? `unreadable ${x}` : x)),
    );
    const good = await store.getTokens();
    expect(good.map((t) => t.id)).toEqual(['1', '2', '3'].filter((x) => x !== id));
    for (const t of good) expect(t.refreshToken).toBe(secretsFor(Number(t.id)).refreshToken);
    expectUnreadable(await store.findTokenById(id).catch((e: unknown) => e), id);
    expectUnreadable(
      await store.findToken(emptyToken({ userName: `user${id}@example.com` })).catch((e: unknown) => e),
      id,
    );
  }

  it.each([
    ['first', 0],
    ['IV', 5],
    ['tag', 20],
    ['last', -1],
  ])('a tampered envelope byte (%s) makes that row, and only that row, unreadable', async (_l, at) => {
    const { store } = await threeRows();
    const row = store.database.prepare('SELECT secrets_enc FROM tokens WHERE id = 2').get() as Row;
    const bytes = Buffer.from(row.secrets_enc as Buffer);
    bytes[at < 0 ? bytes.length + at : at]! ^= 0x40;
    store.database.prepare('UPDATE tokens SET secrets_enc = ? WHERE id = 2').run(bytes);
    await expectOnlyRowUnreadable(store, '2');
  });

  it('an envelope copied from another row is rejected', async () => {
    const { store } = await threeRows();
    store.database
      .prepare('UPDATE tokens SET secrets_enc = (SELECT secrets_enc FROM tokens WHERE id = 1) WHERE id = 3')
      .run();
    await expectOnlyRowUnreadable(store, '3');
  });

  // The per-field format could lose one secret unnoticed (a NULL column read as "no secret") or swap two
  // fields' ciphertexts; one envelope per row leaves only whole-envelope moves, and those fail too.
  it('an envelope removed (NULL), emptied or truncated is rejected, never read as "no secrets"', async () => {
    for (const set of ['NULL', "x''", 'substr(secrets_enc, 1, 40)']) {
      const { store } = await threeRows();
      store.database.prepare(`UPDATE tokens SET secrets_enc = ${set} WHERE id = 1`).run();
      await expectOnlyRowUnreadable(store, '1');
    }
  });

  it('two rows whose envelopes were swapped are both unreadable; the third still reads', async () => {
    const { store } = await threeRows();
    const get = store.database.prepare('SELECT secrets_enc FROM tokens WHERE id = ?');
    const one = (get.get(1) as Row).secrets_enc;
    const two = (get.get(2) as Row).secrets_enc;
    const set = store.database.prepare('UPDATE tokens SET secrets_enc = ? WHERE id = ?');
    set.run(two, 1);
    set.run(one, 2);
    expect((await store.listEntries()).map((e) => e.ok)).toEqual([false, false, true]);
    expect((await store.getTokens()).map((t) => t.id)).toEqual(['3']);
  });

  it("a blind index copied from another row does not leak that row's secrets", async () => {
    const { store } = await threeRows();
    // The index only points a lookup at a row; what comes back is that row's own authenticated secrets,
    // and a lookup whose row does not hold the value it was asked for answers nothing.
    store.database
      .prepare(
        'UPDATE tokens SET refresh_token_bidx = (SELECT refresh_token_bidx FROM tokens WHERE id = 3) WHERE id = 1',
      )
      .run();
    const found = await store.findToken(emptyToken({ refreshToken: secretsFor(3).refreshToken }));
    expect(found).toBeNull();
  });

  // The plain columns stay readable for lookups but are bound into every secret's AAD: relabelling a row
  // as another user, or pointing its api_domain (where the access token is sent) elsewhere, is detected.
  it.each([
    ['user name', "user_name = 'user1@example.com'"],
    ['client id', "client_id = '1000.OTHERCLIENT'"],
    ['data center', "data_center = 'EU'"],
    ['environment', "environment = 'sandbox'"],
    ['API domain', "api_domain = 'https://attacker.example'"],
    ['API domain (NULL to "")', "api_domain = ''"],
    ['expiry time', "expiry_time = '9999999999999'"],
    ['redirect URL', "redirect_url = 'http://127.0.0.1:1/callback'"],
  ])('a row whose %s was edited outside the store is unreadable, the others still read', async (_l, set) => {
    const { store } = await threeRows();
    store.database.prepare(`UPDATE tokens SET ${set} WHERE id = 2`).run();
    const entries = await store.listEntries();
    expect(entries.map((e) => e.ok)).toEqual([true, false, true]);
    const bad = entries[1];
    if (bad && !bad.ok) {
      expectUnreadable(bad.error, '2');
      expect(bad.error.message).toMatch(/user, client, data center or API domain/);
    }
    expect((await store.getTokens()).map((t) => t.id)).toEqual(['1', '3']);
    await expect(store.findTokenById('2')).rejects.toMatchObject({ code: 'UNREADABLE_ROW' });
  });

  it('a save that changes the identity or api_domain re-seals the row: it reads back and survives a reopen', async () => {
    const { store, path } = await threeRows();
    const moved = token(2, { id: '2', apiDomain: 'https://www.zohoapis.eu', dataCenter: 'EU' });
    await store.saveToken(moved);
    await store.saveToken(token(3, { id: '3', userName: 'renamed@example.com' }));
    store.close();
    const again = await SqliteTokenStore.open({ path, protector: testProtector() });
    cleanups.push(() => again.close());
    expect((await again.listEntries()).every((e) => e.ok)).toBe(true);
    expect(await again.findTokenById('2')).toMatchObject({
      apiDomain: 'https://www.zohoapis.eu',
      dataCenter: 'EU',
    });
    expect((await again.findTokenById('3'))?.userName).toBe('renamed@example.com');
  });

  it('an unreadable row can still be deleted, and saving its identity then makes a new row', async () => {
    const { store } = await threeRows();
    store.database.prepare("UPDATE tokens SET secrets_enc = x'00' WHERE id = 2").run();
    await expect(store.saveToken(token(2))).rejects.toMatchObject({ code: 'UNREADABLE_ROW' });
    await store.deleteToken('2');
    await store.saveToken(token(2));
    expect((await store.getTokens()).map((t) => t.userName)).toContain('user2@example.com');
  });
});

describe('SqliteTokenStore keys', () => {
  it('reopens with the right passphrase and reads everything; a wrong one fails clearly', async () => {
    const { store, path } = await temp('first passphrase');
    for (let i = 0; i < 12; i++) await store.saveToken(token(i));
    const before = await store.getTokens();
    store.close();

    const err = await SqliteTokenStore.open({ path, protector: testProtector('not it') }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TokenStoreError);
    expect((err as TokenStoreError).code).toBe('WRONG_PASSPHRASE');
    expect((err as TokenStoreError).message).toContain('wrong passphrase');

    const again = await SqliteTokenStore.open({ path, protector: testProtector('first passphrase') });
    cleanups.push(() => again.close());
    expect(await again.getTokens()).toEqual(before);
    expect((await again.findToken(emptyToken({ refreshToken: secretsFor(4).refreshToken })))?.id).toBe('5');
  });

  it('changeProtector re-keys: the new passphrase opens it; the old one does not, even with an old copy of the wrapped key', async () => {
    const { store, path } = await temp('old passphrase');
    for (let i = 0; i < 5; i++) await store.saveToken(token(i));
    const before = await store.getTokens();
    const meta = "SELECT value FROM meta WHERE key = 'wrapped_data_key'";
    const oldWrapped = (store.database.prepare(meta).get() as Row).value;
    const result = await store.changeProtector(testProtector('new passphrase'));
    expect(result).toEqual({ reencrypted: 5, unreadableIds: [] });
    expect(await store.getTokens()).toEqual(before);
    await store.saveToken(token(9));
    store.close();
    await expect(
      SqliteTokenStore.open({ path, protector: testProtector('old passphrase') }),
    ).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    const again = await SqliteTokenStore.open({ path, protector: testProtector('new passphrase') });
    expect(await again.getTokens()).toHaveLength(6);
    again.close();

    // Someone holding a backup of the old wrapped key and the old passphrase gets the old data key,
    // which opens nothing in the current file.
    const raw = new Database(path);
    raw.prepare("UPDATE meta SET value = ? WHERE key = 'wrapped_data_key'").run(oldWrapped);
    raw.close();
    const stale = await SqliteTokenStore.open({ path, protector: testProtector('old passphrase') });
    cleanups.push(() => stale.close());
    expect((await stale.listEntries()).map((e) => e.ok)).toEqual([false, false, false, false, false, false]);
  });

  it('changeProtector and rotateDataKey leave no old wrapped key or old envelope in the WAL or the file, while the store stays open', async () => {
    const { store, path } = await temp('old passphrase');
    for (let i = 0; i < 5; i++) await store.saveToken(token(i));
    const wrappedKey = () =>
      (store.database.prepare("SELECT value FROM meta WHERE key = 'wrapped_data_key'").get() as Row)
        .value as string;
    const envelopes = () =>
      (store.database.prepare('SELECT secrets_enc FROM tokens').all() as Row[]).map(
        (r) => r.secrets_enc as Buffer,
      );
    const onDisk = () => [path, `${path}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
    const leftovers = (wrapped: string, sealed: Buffer[]) =>
      onDisk().flatMap((bytes) => [
        ...(bytes.includes(wrapped) ? ['wrapped key'] : []),
        ...sealed.filter((e) => bytes.includes(e)).map(() => 'envelope'),
      ]);

    let oldWrapped = wrappedKey();
    let oldEnvelopes = envelopes();
    // The old key and envelopes are in the WAL now: what the re-key must not leave behind.
    expect(readFileSync(`${path}-wal`).includes(oldWrapped)).toBe(true);
    await store.changeProtector(testProtector('new passphrase'));
    expect(leftovers(oldWrapped, oldEnvelopes)).toEqual([]);

    await store.saveToken(token(7));
    oldWrapped = wrappedKey();
    oldEnvelopes = envelopes();
    await store.rotateDataKey();
    expect(wrappedKey()).not.toBe(oldWrapped);
    expect(leftovers(oldWrapped, oldEnvelopes)).toEqual([]);
    expect(await store.getTokens()).toHaveLength(6);
  });

  it('destroys the protector it stops using: the old one at changeProtector, the current one at close', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const destroyed: string[] = [];
    const tracked = (name: string, passphrase: string): KeyProtector => {
      const inner = testProtector(passphrase);
      return {
        kind: inner.kind,
        wrap: (key) => inner.wrap(key),
        unwrap: (wrapped) => inner.unwrap(wrapped),
        destroy: () => {
          destroyed.push(name);
          inner.destroy();
        },
      };
    };
    const store = await SqliteTokenStore.open({
      path: join(dir, 'tokens.db'),
      protector: tracked('old', 'a'),
    });
    cleanups.push(() => store.close());
    await store.saveToken(token(1));
    await store.rotateDataKey(); // same protector: kept
    expect(destroyed).toEqual([]);
    await store.changeProtector(tracked('new', 'b'));
    expect(destroyed).toEqual(['old']);
    store.close();
    expect(destroyed).toEqual(['old', 'new']);
    store.close();
    expect(destroyed).toEqual(['old', 'new']);
  });

  it('destroys a protector it was given when the open or the re-key with it fails', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'tokens.db');
    const destroyed: string[] = [];
    const tracked = (name: string, passphrase: string, failWrap = false): KeyProtector => {
      const inner = testProtector(passphrase);
      return {
        kind: inner.kind,
        wrap: (key) => (failWrap ? Promise.reject(new Error('wrap failed')) : inner.wrap(key)),
        unwrap: (wrapped) => inner.unwrap(wrapped),
        destroy: () => {
          destroyed.push(name);
          inner.destroy();
        },
      };
    };
    const store = await SqliteTokenStore.open({ path, protector: tracked('current', 'a') });
    cleanups.push(() => store.close());
    await store.saveToken(token(1));
    await expect(store.changeProtector(tracked('unwrappable', 'b', true))).rejects.toThrow('wrap failed');
    expect(destroyed).toEqual(['unwrappable']);
    expect(await store.getTokens()).toHaveLength(1);
    await expect(SqliteTokenStore.open({ path, protector: tracked('wrong', 'z') })).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    expect(destroyed).toEqual(['unwrappable', 'wrong']);
  });

  it('refuses a protector of another kind', async () => {
    const { store, path } = await temp();
    store.close();
    const other = { kind: 'safeStorage', wrap: async () => 'x', unwrap: async () => Buffer.alloc(32) };
    await expect(SqliteTokenStore.open({ path, protector: other })).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it('rotateDataKey re-seals every row; lookups and reopen still work', async () => {
    const { store, path } = await temp();
    for (let i = 0; i < 15; i++) await store.saveToken(token(i));
    const before = await store.getTokens();
    const oldCipher = (
      store.database.prepare('SELECT secrets_enc AS c FROM tokens WHERE id = 1').get() as Row
    ).c;
    const wrappedBefore = (
      store.database.prepare("SELECT value FROM meta WHERE key = 'wrapped_data_key'").get() as Row
    ).value;

    const result = await store.rotateDataKey();
    expect(result).toEqual({ reencrypted: 15, unreadableIds: [] });
    expect(await store.getTokens()).toEqual(before);
    const newCipher = (
      store.database.prepare('SELECT secrets_enc AS c FROM tokens WHERE id = 1').get() as Row
    ).c;
    expect(Buffer.compare(oldCipher as Buffer, newCipher as Buffer)).not.toBe(0);
    const wrappedAfter = (
      store.database.prepare("SELECT value FROM meta WHERE key = 'wrapped_data_key'").get() as Row
    ).value;
    expect(wrappedAfter).not.toBe(wrappedBefore);
    expect((await store.findToken(emptyToken({ accessToken: secretsFor(7).accessToken })))?.id).toBe('8');
    store.close();

    const again = await SqliteTokenStore.open({ path, protector: testProtector() });
    cleanups.push(() => again.close());
    expect(await again.getTokens()).toEqual(before);
  });

  it('rotateDataKey leaves an unreadable row unreadable and reports it', async () => {
    const { store } = await temp();
    for (let i = 1; i <= 3; i++) await store.saveToken(token(i));
    store.database.prepare("UPDATE tokens SET secrets_enc = x'01' WHERE id = 2").run();
    const result = await store.rotateDataKey();
    expect(result).toEqual({ reencrypted: 2, unreadableIds: ['2'] });
    expect((await store.getTokens()).map((t) => t.id)).toEqual(['1', '3']);
  });

  it('a failed rotation (crash mid-transaction) keeps the old key and rows', async () => {
    const { store, path } = await temp();
    for (let i = 1; i <= 5; i++) await store.saveToken(token(i));
    const before = await store.getTokens();
    // Make the last row's update fail inside the rotation transaction.
    store.database.exec(`CREATE TRIGGER fail_rotation BEFORE UPDATE OF secrets_enc ON tokens
      WHEN NEW.id = 5 BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
    await expect(store.rotateDataKey()).rejects.toMatchObject({ code: 'STORAGE' });
    store.database.exec('DROP TRIGGER fail_rotation');
    expect(await store.getTokens()).toEqual(before);
    store.close();
    const again = await SqliteTokenStore.open({ path, protector: testProtector() });
    cleanups.push(() => again.close());
    expect(await again.getTokens()).toEqual(before);
  });

  it('two opens of a new file agree on one data key', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'race.db');
    const [a, b] = await Promise.all([
      SqliteTokenStore.open({ path, protector: testProtector() }),
      SqliteTokenStore.open({ path, protector: testProtector() }),
    ]);
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    await a.saveToken(token(1));
    expect((await b.findTokenById('1'))?.refreshToken).toBe(secretsFor(1).refreshToken);
  });

  it('rejects use after close', async () => {
    const { store } = await temp();
    store.close();
    await expect(store.getTokens()).rejects.toMatchObject({ code: 'STORAGE' });
  });
});

/**
 * The decrypted-row cache (see the class comment): any change to a row made through SQLite, on this
 * connection or another, is seen by the next read; a row tampered after it was cached is unreadable on
 * the next read. Only bytes edited behind SQLite's back are missed until the row changes or a reopen.
 */
describe('SqliteTokenStore decrypted-row cache', () => {
  async function warmThree(options: { cacheRows?: number } = {}) {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'tokens.db');
    const store = await SqliteTokenStore.open({ path, protector: testProtector(), ...options });
    cleanups.push(() => store.close());
    for (let i = 1; i <= 3; i++) await store.saveToken(token(i));
    await store.listEntries(); // fills the cache
    return { store, path };
  }

  const ids = async (store: SqliteTokenStore) => (await store.getTokens()).map((t) => t.id);

  it('fills on a list, and serves the same values as a fresh decrypt', async () => {
    const { store, path } = await warmThree();
    expect(store.cachedRowCount).toBe(3);
    const warm = await store.getTokens();
    const fresh = await SqliteTokenStore.open({ path, protector: testProtector(), cacheRows: 0 });
    try {
      expect(await fresh.getTokens()).toEqual(warm);
      expect(fresh.cachedRowCount).toBe(0);
    } finally {
      fresh.close();
    }
  });

  it('a save, update, delete and clear are visible in the next read', async () => {
    const { store } = await warmThree();
    await store.saveToken(token(2, { accessToken: '1000.access2.rotated00000' }));
    expect((await store.findTokenById('2'))?.accessToken).toBe('1000.access2.rotated00000');
    expect((await store.getTokens()).find((t) => t.id === '2')?.accessToken).toBe(
      '1000.access2.rotated00000',
    );
    const listed = await store.listEntries();
    expect(listed.map((e) => (e.ok ? e.token.accessToken : null))[1]).toBe('1000.access2.rotated00000');

    await store.saveToken(token(4));
    expect(await ids(store)).toEqual(['1', '2', '3', '4']);
    await store.deleteToken('1');
    expect(await ids(store)).toEqual(['2', '3', '4']);
    expect(await store.findTokenById('1')).toBeNull();
    await store.deleteTokens();
    expect(await store.getTokens()).toEqual([]);
    expect(store.cachedRowCount).toBe(0);
  });

  it('no caller changes the next read: getTokens hands out frozen tokens, listEntries copies', async () => {
    const { store } = await warmThree();
    const [first] = await store.getTokens();
    expect(() => {
      (first as OAuthToken).accessToken = 'changed';
    }).toThrow(TypeError);
    const entries = await store.listEntries();
    if (entries[0]?.ok) entries[0].token.refreshToken = 'changed';
    const again = (await store.getTokens())[0]!;
    expect(again.accessToken).toBe(secretsFor(1).accessToken);
    expect(again.refreshToken).toBe(secretsFor(1).refreshToken);
    // A token read that way can be saved back as it is (it keeps its id: nothing is written into it).
    await store.saveToken(first as OAuthToken);
    expect((await store.findTokenById(first!.id!))?.accessToken).toBe(secretsFor(1).accessToken);
  });

  it('a repeated getTokens with nothing changed reads nothing again; any change is seen at once', async () => {
    const { store } = await warmThree();
    const before = await store.getTokens();
    const again = await store.getTokens();
    expect(again[0]).toBe(before[0]);
    // Through this connection (the cache triggers) and through another one (data_version).
    await store.saveToken(token(2, { accessToken: '1000.access2.changed0000000' }));
    expect((await store.getTokens())[1]?.accessToken).toBe('1000.access2.changed0000000');
    const other = new Database(store.database.name);
    try {
      other.prepare('DELETE FROM tokens WHERE id = 3').run();
    } finally {
      other.close();
    }
    expect((await store.getTokens()).map((t) => t.id)).toEqual(['1', '2']);
  });

  it('readEntries shares frozen cached rows: the same object while unchanged, a new one after a change', async () => {
    const { store } = await warmThree();
    const first = await store.readEntries();
    const second = await store.readEntries();
    expect(second.map((e) => (e.ok ? e.token : null))).toEqual(first.map((e) => (e.ok ? e.token : null)));
    expect(second[0]).toBe(first[0]);
    expect(Object.isFrozen(first[0]!.ok && first[0]!.token)).toBe(true);
    expect(first.map((e) => e.ok && e.token)).toEqual(
      (await store.listEntries()).map((e) => e.ok && e.token),
    );
    await store.saveToken(token(1, { accessToken: '1000.access1.changed0000000' }));
    const third = await store.readEntries();
    expect(third[0]).not.toBe(first[0]);
    expect(third[0]?.ok && third[0].token.accessToken).toBe('1000.access1.changed0000000');
    expect(third[1]).toBe(first[1]);
  });

  it('a row tampered after it was cached is unreadable on the next read (same connection)', async () => {
    const { store } = await warmThree();
    store.database
      .prepare('UPDATE tokens SET secrets_enc = (SELECT secrets_enc FROM tokens WHERE id = 1) WHERE id = 2')
      .run();
    const entries = await store.listEntries();
    expect(entries.map((e) => e.ok)).toEqual([true, false, true]);
    expect((await store.readEntries()).map((e) => e.ok)).toEqual([true, false, true]);
    expect(await ids(store)).toEqual(['1', '3']);
    await expect(store.findTokenById('2')).rejects.toMatchObject({ code: 'UNREADABLE_ROW' });
  });

  it('a row tampered by another connection after it was cached is unreadable on the next read', async () => {
    const { store, path } = await warmThree();
    const other = new Database(path);
    try {
      other.prepare("UPDATE tokens SET secrets_enc = x'0100' WHERE id = 3").run();
      other.prepare("UPDATE tokens SET last_error = 'changed elsewhere' WHERE id = 1").run();
    } finally {
      other.close();
    }
    const entries = await store.listEntries();
    expect(entries.map((e) => e.ok)).toEqual([true, true, false]);
    expect((await store.findTokenById('1'))?.lastError).toBe('changed elsewhere');
    await expect(store.findTokenById('3')).rejects.toMatchObject({ code: 'UNREADABLE_ROW' });
  });

  it('documents the limit: an edit SQLite does not report is missed until the row changes or a reopen', async () => {
    const { store, path } = await warmThree();
    // Stand-in for bytes edited behind SQLite's back: the same UPDATE with this connection's triggers gone.
    store.database.exec('DROP TRIGGER temp.tokendesk_cache_on_update');
    store.database.prepare("UPDATE tokens SET secrets_enc = x'01' WHERE id = 2").run();
    // Served from the cache: the values read before the edit (authenticated then), never forged ones.
    expect((await store.findTokenById('2'))?.accessToken).toBe(secretsFor(2).accessToken);
    store.close();
    const reopened = await SqliteTokenStore.open({ path, protector: testProtector() });
    cleanups.push(() => reopened.close());
    expect((await reopened.listEntries()).map((e) => e.ok)).toEqual([true, false, true]);
  });

  it('rotateDataKey drops the cache: reads decrypt under the new key, an old ciphertext put back fails', async () => {
    const { store } = await warmThree();
    const old = store.database.prepare('SELECT secrets_enc FROM tokens WHERE id = 1').get() as Row;
    await store.rotateDataKey();
    expect(store.cachedRowCount).toBe(0);
    expect((await store.getTokens()).map((t) => t.accessToken)).toEqual(
      [1, 2, 3].map((i) => secretsFor(i).accessToken),
    );
    store.database.prepare('UPDATE tokens SET secrets_enc = ? WHERE id = 1').run(old.secrets_enc);
    expect((await store.listEntries()).map((e) => e.ok)).toEqual([false, true, true]);
  });

  it('changeProtector and close empty the cache', async () => {
    const { store } = await warmThree();
    await store.changeProtector(testProtector('another passphrase'));
    expect(store.cachedRowCount).toBe(0);
    await store.getTokens();
    expect(store.cachedRowCount).toBe(3);
    store.close();
    expect(store.cachedRowCount).toBe(0);
  });

  it('never holds more than cacheRows rows, and still reads every row', async () => {
    const { store } = await warmThree({ cacheRows: 2 });
    expect(store.cachedRowCount).toBe(2);
    expect(await ids(store)).toEqual(['1', '2', '3']);
    expect((await store.getTokens())[2]?.refreshToken).toBe(secretsFor(3).refreshToken);
  });

  it('a read inside a caller transaction that rolls back does not cache the uncommitted row', async () => {
    const { store } = await warmThree();
    await store.deleteToken('2'); // not cached now
    await store.saveToken(token(5));
    const rollback = new Error('roll back');
    expect(() =>
      store.database.transaction(() => {
        store.database.prepare("UPDATE tokens SET last_error = 'uncommitted' WHERE id = 4").run();
        // The synchronous part of listEntries reads inside this transaction.
        void store.listEntries();
        throw rollback;
      })(),
    ).toThrow(rollback);
    expect(await store.findTokenById('4')).toMatchObject({ userName: 'user5@example.com', lastError: null });
    expect(await ids(store)).toEqual(['1', '3', '4']);
  });
});

describe('SqliteTokenStore listing without secrets', () => {
  async function threeRows() {
    const opened = await temp();
    for (let i = 1; i <= 3; i++) {
      await opened.store.saveToken(token(i, { scopes: ['ZohoCRM.modules.ALL'], lastError: null }));
    }
    return opened;
  }

  const status = async (store: SqliteTokenStore) =>
    (await store.listWithoutSecrets()).map((e) => (e.ok ? 'ok' : 'unreadable'));

  it('lists every row with masked previews and no secret, as the decrypting read would show it', async () => {
    const { store } = await threeRows();
    const listed = await store.listWithoutSecrets();
    const entries = await store.listEntries();
    expect(listed).toHaveLength(3);
    listed.forEach((entry, i) => {
      const full = entries[i];
      if (!entry.ok || !full?.ok) throw new Error('expected readable rows');
      expect(entry.token).toEqual({
        id: full.token.id,
        userName: full.token.userName,
        clientId: full.token.clientId,
        dataCenter: full.token.dataCenter,
        environment: full.token.environment,
        expiryTime: full.token.expiryTime,
        apiDomain: full.token.apiDomain,
        scopes: full.token.scopes,
        createdAt: full.token.createdAt,
        updatedAt: full.token.updatedAt,
        lastRefreshedAt: full.token.lastRefreshedAt,
        lastError: full.token.lastError,
        accessTokenPreview: maskSecret(full.token.accessToken),
        refreshTokenPreview: maskSecret(full.token.refreshToken),
      });
    });
    const text = JSON.stringify(listed);
    for (const i of [1, 2, 3])
      for (const secret of Object.values(secretsFor(i))) expect(text).not.toContain(secret);
  });

  it('a token without an access or refresh token lists null previews (the status rule reads them as absent)', async () => {
    const { store } = await temp();
    await store.saveToken(token(1, { accessToken: null, refreshToken: '' }));
    const [entry] = await store.listWithoutSecrets();
    expect(entry).toMatchObject({ ok: true, token: { accessTokenPreview: null, refreshTokenPreview: null } });
  });

  it.each([
    ['user_name', "'mallory@example.com'"],
    ['client_id', "'1000.OTHER'"],
    ['data_center', "'EU'"],
    ['environment', "'sandbox'"],
    ['expiry_time', "'1999999999999'"],
    ['redirect_url', "'https://evil.example/cb'"],
    ['api_domain', "'https://evil.example'"],
    ['scopes', `'["ZohoCRM.org.ALL"]'`],
    ['created_at', '1'],
    ['updated_at', '2'],
    ['last_refreshed_at', '3'],
    ['last_error', "'all fine'"],
    ['access_token_preview', "'1000.zz…zzzz'"],
    ['refresh_token_preview', 'NULL'],
    ['list_mac', 'NULL'],
    ['list_mac', '(SELECT list_mac FROM tokens WHERE id = 1)'],
  ])(
    'a listed column edited outside the store (%s = %s) lists that row, and only that row, as unreadable',
    async (column, value) => {
      const { store } = await threeRows();
      store.database.prepare(`UPDATE tokens SET ${column} = ${value} WHERE id = 2`).run();
      expect(await status(store)).toEqual(['ok', 'unreadable', 'ok']);
      const [, bad] = await store.listWithoutSecrets();
      expect(bad).toMatchObject({ ok: false, id: '2', error: { code: 'UNREADABLE_ROW' } });
    },
  );

  it('a row moved whole (every column) onto another id, or sealed under another key, is listed as unreadable', async () => {
    const { store } = await threeRows();
    const other = await temp();
    await other.store.saveToken(token(2));
    // The other store's row 1, columns and MAC and envelope, copied over this store's row 2.
    const row = other.store.database.prepare('SELECT * FROM tokens WHERE id = 1').get() as Row;
    const columns = Object.keys(row).filter((c) => c !== 'id');
    store.database
      .prepare(`UPDATE tokens SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = 2`)
      .run({ ...row });
    // This store's row 1 copied onto row 3 (same key, another id).
    store.database
      .prepare(
        `UPDATE tokens SET ${columns.map((c) => `${c} = (SELECT ${c} FROM tokens WHERE id = 1)`).join(', ')} WHERE id = 3`,
      )
      .run();
    expect(await status(store)).toEqual(['ok', 'unreadable', 'unreadable']);
  });

  it('a repeated list checks only changed rows: a row edited after it was listed, here or by another connection, is unreadable on the next list', async () => {
    const { store, path } = await threeRows();
    const first = await store.listWithoutSecrets();
    const second = await store.listWithoutSecrets();
    // Unchanged rows come back as the same (frozen) objects: nothing was checked again.
    expect(second[0]).toBe(first[0]);
    store.database.prepare("UPDATE tokens SET user_name = 'mallory@example.com' WHERE id = 1").run();
    expect(await status(store)).toEqual(['unreadable', 'ok', 'ok']);
    const other = new Database(path);
    try {
      other.prepare("UPDATE tokens SET last_error = 'edited' WHERE id = 3").run();
    } finally {
      other.close();
    }
    expect(await status(store)).toEqual(['unreadable', 'ok', 'unreadable']);
    // A save through the store re-makes the listing: the row lists again.
    await store.saveToken(token(3));
    expect(await status(store)).toEqual(['unreadable', 'ok', 'ok']);
  });

  it('stays valid across saves, updates and a data-key rotation; a listing from before the rotation fails', async () => {
    const { store } = await threeRows();
    await store.saveToken(token(2, { accessToken: '1000.rotated.aa11bb22cc33dd' }));
    const before = store.database
      .prepare('SELECT secrets_enc, list_mac FROM tokens WHERE id = 3')
      .get() as Row;
    await store.rotateDataKey();
    const listed = await store.listWithoutSecrets();
    expect(listed.map((e) => e.ok)).toEqual([true, true, true]);
    expect(listed[1]).toMatchObject({
      token: { accessTokenPreview: maskSecret('1000.rotated.aa11bb22cc33dd') },
    });
    store.database
      .prepare('UPDATE tokens SET secrets_enc = @secrets_enc, list_mac = @list_mac WHERE id = 3')
      .run(before);
    expect(await status(store)).toEqual(['ok', 'ok', 'unreadable']);
  });
});
