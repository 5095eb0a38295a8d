import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { maskSecret } from '../common/mask';
import { emptyToken } from './oauth-token';
import { SqliteTokenStore } from './sqlite-token-store';
import { tempDir, testProtector } from './test-support/temp-store';

/**
 * The schema versions (sqlite-schema.ts): a new store reaches the latest version in the current shape, a
 * store at the latest version opens as it is, and the v1 shape of development builds (per-field
 * ciphertext columns) is reshaped when empty and refused, untouched, when it holds rows.
 */
const LATEST = 6;
const CURRENT_COLUMNS = [
  'id',
  'user_name',
  'client_id',
  'data_center',
  'environment',
  'expiry_time',
  'redirect_url',
  'api_domain',
  'scopes',
  'created_at',
  'updated_at',
  'last_refreshed_at',
  'last_error',
  'refresh_token_bidx',
  'access_token_bidx',
  'grant_token_bidx',
  'secrets_enc',
  'access_token_preview',
  'refresh_token_preview',
  'list_mac',
];

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempPath(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return join(dir, 'tokens.db');
}

async function open(path: string): Promise<SqliteTokenStore> {
  const store = await SqliteTokenStore.open({ path, protector: testProtector() });
  cleanups.push(() => store.close());
  return store;
}

function columnsOf(db: Database.Database): string[] {
  return (db.prepare('PRAGMA table_info(tokens)').all() as { name: string }[]).map((c) => c.name);
}

const sample = (i: number) =>
  emptyToken({
    userName: `user${i}@example.com`,
    clientId: '1000.CLIENT',
    clientSecret: `client-secret-${i}`,
    refreshToken: `1000.refresh${i}.aa`,
    accessToken: `1000.access${i}.bb`,
    dataCenter: 'EU',
    environment: 'production',
  });

/** The v1 tables as development builds created them, before the secrets became one envelope per row. */
function writeDevelopmentV1(path: string, rows: number): void {
  const db = new Database(path);
  try {
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE tokens (
        id INTEGER PRIMARY KEY AUTOINCREMENT, user_name TEXT, client_id TEXT, data_center TEXT,
        environment TEXT, expiry_time TEXT, redirect_url TEXT, api_domain TEXT, scopes TEXT,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, last_refreshed_at INTEGER, last_error TEXT,
        client_secret_enc BLOB, refresh_token_enc BLOB, access_token_enc BLOB, grant_token_enc BLOB,
        refresh_token_bidx BLOB, access_token_bidx BLOB, grant_token_bidx BLOB
      );
      CREATE INDEX tokens_identity ON tokens (user_name, client_id, data_center, environment);
      CREATE INDEX tokens_refresh_token_bidx ON tokens (refresh_token_bidx);
      CREATE INDEX tokens_access_token_bidx ON tokens (access_token_bidx);
      CREATE INDEX tokens_grant_token_bidx ON tokens (grant_token_bidx);
      PRAGMA user_version = 1;
    `);
    const insert = db.prepare(
      "INSERT INTO tokens (user_name, created_at, updated_at, refresh_token_enc) VALUES (?, 1, 1, x'0200')",
    );
    for (let i = 0; i < rows; i++) insert.run(`dev${i}@example.com`);
  } finally {
    db.close();
  }
}

it('a brand-new store gets the latest version and the current table shape', async () => {
  const store = await open(tempPath());
  expect(store.database.pragma('user_version', { simple: true })).toBe(LATEST);
  expect(columnsOf(store.database)).toEqual(CURRENT_COLUMNS);
});

it('a store written by this version opens with its tokens, its version and its shape as they were', async () => {
  const path = tempPath();
  const first = await open(path);
  await first.saveToken(sample(1));
  await first.saveToken(sample(2));
  first.close();

  const again = await open(path);
  expect(again.database.pragma('user_version', { simple: true })).toBe(LATEST);
  expect(columnsOf(again.database)).toEqual(CURRENT_COLUMNS);
  expect((await again.getTokens()).map((t) => [t.userName, t.clientSecret, t.refreshToken])).toEqual([
    ['user1@example.com', 'client-secret-1', '1000.refresh1.aa'],
    ['user2@example.com', 'client-secret-2', '1000.refresh2.aa'],
  ]);
  // Lookup by value still finds the row through its blind index.
  expect((await again.findToken(emptyToken({ refreshToken: '1000.refresh2.aa' })))?.userName).toBe(
    'user2@example.com',
  );
});

it('an empty v1 file in the development shape takes the current shape and works', async () => {
  const path = tempPath();
  writeDevelopmentV1(path, 0);
  const store = await open(path);
  expect(store.database.pragma('user_version', { simple: true })).toBe(LATEST);
  expect(columnsOf(store.database)).toEqual(CURRENT_COLUMNS);
  await store.saveToken(sample(1));
  expect((await store.getTokens()).map((t) => t.accessToken)).toEqual(['1000.access1.bb']);
});

it('a v1 file in the development shape that holds rows is refused with a clear error and left untouched', async () => {
  const path = tempPath();
  writeDevelopmentV1(path, 2);
  await expect(SqliteTokenStore.open({ path, protector: testProtector() })).rejects.toMatchObject({
    code: 'STORAGE',
    message: expect.stringMatching(/development build of TokenDesk/),
  });
  const check = new Database(path, { readonly: true });
  try {
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    expect(check.prepare('SELECT user_name FROM tokens ORDER BY id').pluck().all()).toEqual([
      'dev0@example.com',
      'dev1@example.com',
    ]);
    expect(columnsOf(check)).toContain('refresh_token_enc');
  } finally {
    check.close();
  }
});

/** A store as every released TokenDesk wrote it (v3): no listing columns. */
async function writeV3(path: string): Promise<void> {
  const store = await SqliteTokenStore.open({ path, protector: testProtector() });
  for (const i of [1, 2, 3]) await store.saveToken(sample(i));
  // Row 3's envelope moved from row 1: it fails authentication, as a tampered v3 row would.
  store.database.exec(
    'UPDATE tokens SET secrets_enc = (SELECT secrets_enc FROM tokens WHERE id = 1) WHERE id = 3',
  );
  // What v6 adds goes first (its index holds list_mac), as a v3 file has none of it.
  store.database.exec(`DROP INDEX tokens_listing_macs; DROP TABLE row_snapshots;
    DROP TRIGGER row_snapshots_on_insert; DROP TRIGGER row_snapshots_on_update;
    DROP TRIGGER row_snapshots_on_delete;`);
  for (const column of ['access_token_preview', 'refresh_token_preview', 'list_mac']) {
    store.database.exec(`ALTER TABLE tokens DROP COLUMN ${column}`);
  }
  store.database.pragma('user_version = 3');
  store.close();
}

it('a v3 store gets its listing columns at unlock, filled for every readable row; an unreadable row stays unreadable', async () => {
  const path = tempPath();
  await writeV3(path);
  const store = await open(path);
  expect(store.database.pragma('user_version', { simple: true })).toBe(LATEST);
  expect(columnsOf(store.database)).toEqual(CURRENT_COLUMNS);
  const previews = store.database
    .prepare(
      'SELECT access_token_preview, refresh_token_preview, list_mac IS NOT NULL AS mac FROM tokens ORDER BY id',
    )
    .raw()
    .all();
  expect(previews).toEqual([
    [maskSecret('1000.access1.bb'), maskSecret('1000.refresh1.aa'), 1],
    [maskSecret('1000.access2.bb'), maskSecret('1000.refresh2.aa'), 1],
    [null, null, 0],
  ]);
  const listed = await store.listWithoutSecrets();
  expect(listed.map((e) => (e.ok ? e.token.userName : `unreadable ${e.id}`))).toEqual([
    'user1@example.com',
    'user2@example.com',
    'unreadable 3',
  ]);
  // The list and a decrypting read agree on which rows are readable.
  expect((await store.listEntries()).map((e) => e.ok)).toEqual([true, true, false]);
});

it('the v4 migration is one transaction: a failure part way leaves the v3 file exactly as it was', async () => {
  const path = tempPath();
  await writeV3(path);
  const raw = new Database(path);
  // A trigger in the file (not the store's) that refuses the fill of row 2, half way through.
  raw.exec(`CREATE TRIGGER refuse_row_2 BEFORE UPDATE ON tokens WHEN OLD.id = 2
    BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
  raw.close();
  await expect(SqliteTokenStore.open({ path, protector: testProtector() })).rejects.toMatchObject({
    code: 'STORAGE',
  });
  const check = new Database(path);
  try {
    expect(check.pragma('user_version', { simple: true })).toBe(3);
    expect(columnsOf(check)).not.toContain('list_mac');
    check.exec('DROP TRIGGER refuse_row_2');
  } finally {
    check.close();
  }
  const store = await open(path);
  expect(store.database.pragma('user_version', { simple: true })).toBe(LATEST);
  expect((await store.listWithoutSecrets()).map((e) => e.ok)).toEqual([true, true, false]);
});

it('a v5 store trades its listing seals for row snapshots at unlock, and lists and reads as before', async () => {
  const path = tempPath();
  const first = await SqliteTokenStore.open({ path, protector: testProtector() });
  for (const i of [1, 2, 3]) await first.saveToken(sample(i));
  const tokens = await first.getTokens();
  // Back to v5: its seals table (with a seal) and triggers in place of the snapshots.
  first.database.exec(`DROP INDEX tokens_listing_macs; DROP TABLE row_snapshots;
    CREATE TABLE listing_seals (seal_group INTEGER PRIMARY KEY, seal BLOB NOT NULL);
    INSERT INTO listing_seals VALUES (0, randomblob(32));
    CREATE TRIGGER listing_seals_on_delete AFTER DELETE ON tokens
    BEGIN DELETE FROM listing_seals WHERE seal_group = OLD.id / 256; END;`);
  first.database.pragma('user_version = 5');
  first.close();

  const store = await open(path);
  expect(store.database.pragma('user_version', { simple: true })).toBe(LATEST);
  const schema = store.database
    .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index')")
    .pluck()
    .all();
  expect(schema).not.toContain('listing_seals');
  expect(schema).not.toContain('listing_seals_on_delete');
  expect(schema).toEqual(
    expect.arrayContaining(['row_snapshots', 'row_snapshots_on_update', 'tokens_listing_macs']),
  );
  expect((await store.listWithoutSecrets()).map((e) => e.ok)).toEqual([true, true, true]);
  expect(await store.getTokens()).toEqual(tokens);
});
