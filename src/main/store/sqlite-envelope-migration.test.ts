import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { emptyToken, type OAuthToken } from './oauth-token';
import { SqliteTokenStore } from './sqlite-token-store';
import { writeLegacyStore } from './test-support/legacy-store';
import { tempDir, testProtector } from './test-support/temp-store';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function legacyToken(i: number, fields: Partial<OAuthToken> = {}): OAuthToken {
  return emptyToken({
    userName: `legacy${i}@example.com`,
    clientId: '1000.LEGACY',
    clientSecret: `legacy-client-secret-${i}`,
    refreshToken: `1000.legacyrefresh${i}.aa`,
    accessToken: `1000.legacyaccess${i}.bb`,
    dataCenter: 'EU',
    environment: 'production',
    apiDomain: 'https://www.zohoapis.eu',
    scopes: ['ZohoCRM.users.READ'],
    ...fields,
  });
}

async function legacyFile(tokens: OAuthToken[]) {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const path = join(dir, 'legacy.db');
  await writeLegacyStore(path, tokens);
  return path;
}

async function open(path: string, passphrase?: string) {
  const store = await SqliteTokenStore.open({ path, protector: testProtector(passphrase) });
  cleanups.push(() => store.close());
  return store;
}

it('converts a schema-v1 database (per-field ciphertexts) to envelopes at open, keeping every secret', async () => {
  const tokens = [legacyToken(1), legacyToken(2, { grantToken: '', accessToken: null }), legacyToken(3)];
  const path = await legacyFile(tokens);
  const store = await open(path);
  expect(store.database.pragma('user_version', { simple: true })).toBe(3);
  const columns = (store.database.prepare('PRAGMA table_info(tokens)').all() as { name: string }[]).map(
    (c) => c.name,
  );
  expect(columns).toContain('secrets_enc');
  expect(columns.filter((c) => c.endsWith('_enc'))).toEqual(['secrets_enc']);
  const read = await store.getTokens();
  expect(read.map((t) => [t.clientSecret, t.refreshToken, t.accessToken, t.grantToken])).toEqual(
    tokens.map((t) => [t.clientSecret, t.refreshToken, t.accessToken, t.grantToken]),
  );
  // Blind indexes carried over: lookups by value still work, and so do writes.
  expect((await store.findToken(emptyToken({ refreshToken: tokens[2]!.refreshToken })))?.id).toBe('3');
  await store.saveToken({ ...read[0]!, accessToken: '1000.after.migration' });
  expect((await store.findTokenById('1'))?.accessToken).toBe('1000.after.migration');
  store.close();
  // Reopening does not convert again.
  const again = await open(path);
  expect((await again.listEntries()).every((e) => e.ok)).toBe(true);
});

it('a legacy row that fails authentication stays unreadable after the conversion; the others convert', async () => {
  const path = await legacyFile([legacyToken(1), legacyToken(2), legacyToken(3)]);
  const raw = new Database(path);
  raw.prepare("UPDATE tokens SET user_name = 'relabelled@example.com' WHERE id = 2").run();
  raw.close();
  const store = await open(path);
  const entries = await store.listEntries();
  expect(entries.map((e) => e.ok)).toEqual([true, false, true]);
  const bad = entries[1];
  expect(bad && !bad.ok && bad.error.message).toContain('row 2 failed its integrity check');
  // Putting the label back does not repair it: the conversion left it without an envelope.
  store.database.prepare("UPDATE tokens SET user_name = 'legacy2@example.com' WHERE id = 2").run();
  expect((await store.listEntries()).map((e) => e.ok)).toEqual([true, false, true]);
});

it('a wrong passphrase converts nothing; the right one then does', async () => {
  const path = await legacyFile([legacyToken(1)]);
  await expect(SqliteTokenStore.open({ path, protector: testProtector('wrong') })).rejects.toMatchObject({
    code: 'WRONG_PASSPHRASE',
  });
  const raw = new Database(path, { readonly: true });
  expect(raw.pragma('user_version', { simple: true })).toBe(1);
  raw.close();
  const store = await open(path);
  expect((await store.findTokenById('1'))?.refreshToken).toBe(legacyToken(1).refreshToken);
});

it('a failed conversion (crash mid-transaction) leaves the v1 database as it was', async () => {
  const path = await legacyFile([legacyToken(1), legacyToken(2)]);
  const before = readFileSync(path);
  const raw = new Database(path);
  // Fails the second row's re-seal inside the conversion transaction.
  raw.exec(`CREATE TRIGGER fail_conversion BEFORE UPDATE OF secrets_enc ON tokens WHEN NEW.id = 2
    BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
  raw.close();
  await expect(SqliteTokenStore.open({ path, protector: testProtector() })).rejects.toThrow();
  const check = new Database(path);
  expect(check.pragma('user_version', { simple: true })).toBe(1);
  expect(
    (check.prepare('PRAGMA table_info(tokens)').all() as { name: string }[]).some(
      (c) => c.name === 'secrets_enc',
    ),
  ).toBe(false);
  check.exec('DROP TRIGGER fail_conversion');
  check.close();
  expect(before.length).toBeGreaterThan(0);
  const store = await open(path);
  expect((await store.getTokens()).map((t) => t.userName)).toEqual([
    'legacy1@example.com',
    'legacy2@example.com',
  ]);
});

it('leaves no plaintext secret in the converted file or its WAL', async () => {
  const tokens = [1, 2, 3, 4].map((i) => legacyToken(i));
  const path = await legacyFile(tokens);
  const store = await open(path);
  await store.getTokens();
  const files = [path, `${path}-wal`].filter((f) => existsSync(f));
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const t of tokens) {
      for (const secret of [t.clientSecret, t.refreshToken, t.accessToken]) {
        expect(bytes.includes(Buffer.from(secret!, 'utf8')), `${secret} in ${file}`).toBe(false);
      }
    }
  }
});
