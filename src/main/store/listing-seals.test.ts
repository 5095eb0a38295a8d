import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it, vi } from 'vitest';
import { SEAL_GROUP_ROWS } from './listing-seals';
import { emptyToken } from './oauth-token';
import { RowCrypto } from './row-crypto';
import { SqliteTokenStore } from './sqlite-token-store';
import { tempDir, testProtector } from './test-support/temp-store';
import type { ListedEntry } from './token-store';

/**
 * Listing seals (listing-seals.ts): a cold list checks a group of rows with one seal, and anything a
 * seal does not vouch for is checked row by row, so the list shows exactly what per-row checks show.
 */

const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A store file with `count` tokens (ids 1..count), closed: each test opens it cold. */
async function storeFile(count: number): Promise<string> {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const path = join(dir, 'tokens.db');
  const store = await SqliteTokenStore.open({ path, protector: testProtector() });
  await store.saveTokens(
    Array.from({ length: count }, (_, i) =>
      emptyToken({
        userName: `user${i + 1}@example.com`,
        clientId: '1000.CLIENT',
        clientSecret: `secret-${i + 1}`,
        refreshToken: `1000.refresh${i + 1}.aa`,
        accessToken: `1000.access${i + 1}.bb`,
        dataCenter: 'EU',
        environment: 'production',
        scopes: ['ZohoCRM.modules.ALL'],
      }),
    ),
  );
  store.close();
  return path;
}

async function openCold(path: string): Promise<SqliteTokenStore> {
  const store = await SqliteTokenStore.open({ path, protector: testProtector() });
  cleanups.push(() => store.close());
  return store;
}

/** The file as another program sees it (no TokenDesk connection involved). */
function withFile<T>(path: string, body: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return body(db);
  } finally {
    db.close();
  }
}

const sealedGroups = (path: string) =>
  withFile(path, (db) =>
    db.prepare('SELECT seal_group FROM listing_seals ORDER BY seal_group').pluck().all(),
  );

const summary = (entries: readonly ListedEntry[]) =>
  entries.map((e) => (e.ok ? `${e.token.id} ${e.token.userName}` : `unreadable ${e.id}`));

/** How many rows the list checked one by one with their own listing MAC. */
function countPerRowChecks() {
  return vi.spyOn(RowCrypto.prototype, 'listingMacMatches');
}

const ROWS = 600; // groups 0 (ids 1-255), 1 (256-511), 2 (512-600)

it('a cold list checks rows one by one once, seals every group, and the next cold list uses the seals', async () => {
  const path = await storeFile(ROWS);
  expect(sealedGroups(path)).toEqual([]);
  const perRow = countPerRowChecks();
  const first = await openCold(path);
  const firstList = summary(await first.listWithoutSecrets());
  expect(perRow).toHaveBeenCalledTimes(ROWS);
  expect(sealedGroups(path)).toEqual([0, 1, 2]);
  first.close();

  perRow.mockClear();
  const second = await openCold(path);
  expect(summary(await second.listWithoutSecrets())).toEqual(firstList);
  expect(perRow).not.toHaveBeenCalled();
  expect(firstList).toHaveLength(ROWS);
});

it('a save drops only its own group seal; the next cold list re-checks that group alone', async () => {
  const path = await storeFile(ROWS);
  const store = await openCold(path);
  await store.listWithoutSecrets();
  const token = await store.findTokenById('300');
  await store.saveToken({ ...token!, lastError: 'checked again' });
  expect(sealedGroups(path)).toEqual([0, 2]);
  store.close();

  const perRow = countPerRowChecks();
  const again = await openCold(path);
  const listed = await again.listWithoutSecrets();
  expect(perRow).toHaveBeenCalledTimes(SEAL_GROUP_ROWS);
  expect(listed.find((e) => e.ok && e.token.id === '300')).toMatchObject({
    token: { lastError: 'checked again' },
  });
  expect(sealedGroups(path)).toEqual([0, 1, 2]);
});

it.each([
  ['a listed column', "UPDATE tokens SET user_name = 'mallory@example.com' WHERE id = 260"],
  ['a masked preview', "UPDATE tokens SET access_token_preview = '1000.zz…zzzz' WHERE id = 260"],
  [
    'the envelope',
    'UPDATE tokens SET secrets_enc = (SELECT secrets_enc FROM tokens WHERE id = 261) WHERE id = 260',
  ],
  [
    'a listed column turned into a BLOB',
    'UPDATE tokens SET user_name = CAST(user_name AS BLOB) WHERE id = 260',
  ],
  ['text after a NUL character', "UPDATE tokens SET user_name = user_name || char(0) || 'x' WHERE id = 260"],
])(
  '%s edited behind a seal (its trigger dropped first) shows that row unreadable, as without seals',
  async (_what, edit) => {
    const path = await storeFile(ROWS);
    (await openCold(path)).close();
    const sealing = await openCold(path);
    await sealing.listWithoutSecrets();
    sealing.close();
    expect(sealedGroups(path)).toEqual([0, 1, 2]);
    const sealOfGroup1 = () =>
      withFile(path, (db) => db.prepare('SELECT seal FROM listing_seals WHERE seal_group = 1').pluck().get());
    const before = sealOfGroup1();
    withFile(path, (db) => {
      db.exec('DROP TRIGGER listing_seals_on_update');
      db.exec(edit);
    });

    for (let list = 0; list < 2; list++) {
      const store = await openCold(path);
      const listed = await store.listWithoutSecrets();
      expect(listed.filter((e) => !e.ok).map((e) => e.id)).toEqual(['260']);
      expect(listed.find((e) => !e.ok)).toMatchObject({ error: { code: 'UNREADABLE_ROW' } });
      store.close();
      // The group holding the edited row is never sealed over it: every cold list checks it again.
      expect(sealOfGroup1()).toEqual(before);
    }
  },
);

it('a forged seal, or one copied from another group, only costs the per-row check', async () => {
  const path = await storeFile(ROWS);
  const sealing = await openCold(path);
  const expected = summary(await sealing.listWithoutSecrets());
  sealing.close();
  withFile(path, (db) => {
    // Row 600 edited through the trigger (its group's seal dropped), then given group 1's seal.
    db.exec("UPDATE tokens SET user_name = 'mallory@example.com' WHERE id = 600");
    db.exec('INSERT INTO listing_seals SELECT 2, seal FROM listing_seals WHERE seal_group = 1');
    // Row 3 edited behind the trigger, under a forged seal.
    db.exec('DROP TRIGGER listing_seals_on_update');
    db.exec("UPDATE tokens SET user_name = 'eve@example.com' WHERE id = 3");
    db.exec('UPDATE listing_seals SET seal = randomblob(32) WHERE seal_group = 0');
  });
  const perRow = countPerRowChecks();
  const store = await openCold(path);
  const listed = await store.listWithoutSecrets();
  expect(perRow).toHaveBeenCalledTimes(ROWS - SEAL_GROUP_ROWS);
  expect(summary(listed)).toEqual(
    expected.map((line) =>
      line.startsWith('3 ') ? 'unreadable 3' : line.startsWith('600 ') ? 'unreadable 600' : line,
    ),
  );
});

it('a re-key leaves no seal that the new key would accept, and the list after it is right', async () => {
  const path = await storeFile(ROWS);
  const store = await openCold(path);
  const before = summary(await store.listWithoutSecrets());
  expect(sealedGroups(path)).toEqual([0, 1, 2]);
  await store.rotateDataKey();
  expect(sealedGroups(path)).toEqual([]);
  store.close();
  const after = await openCold(path);
  expect(summary(await after.listWithoutSecrets())).toEqual(before);
  expect(sealedGroups(path)).toEqual([0, 1, 2]);
});

it('while another program holds the write lock, a list answers and simply stores no seal', async () => {
  const path = await storeFile(ROWS);
  const holder = new Database(path);
  cleanups.push(() => holder.close());
  holder.exec('BEGIN IMMEDIATE');
  const store = await openCold(path);
  expect(await store.listWithoutSecrets()).toHaveLength(ROWS);
  holder.exec('COMMIT');
  expect(sealedGroups(path)).toEqual([]);
  expect(await store.listWithoutSecrets()).toHaveLength(ROWS);
  store.close();
  await (await openCold(path)).listWithoutSecrets();
  const perRow = countPerRowChecks();
  const sealed = await openCold(path);
  await sealed.listWithoutSecrets();
  expect(sealedGroups(path)).toEqual([0, 1, 2]);
  expect(perRow).not.toHaveBeenCalled();
});
