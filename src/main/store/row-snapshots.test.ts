import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it, vi } from 'vitest';
import { emptyToken } from './oauth-token';
import { RowCrypto } from './row-crypto';
import { SNAPSHOT_GROUP_ROWS } from './row-snapshots';
import { SqliteTokenStore } from './sqlite-token-store';
import { tempDir, testProtector } from './test-support/temp-store';
import type { ListedEntry } from './token-store';

/**
 * Row snapshots (row-snapshots.ts): a cold list or getTokens takes a group of rows from its snapshot with
 * one check, and reads anything a snapshot does not match row by row, so what it returns is exactly what
 * the per-row checks return, or (for an edit made with the triggers switched off) what they returned
 * when the snapshot was made: never anything they would refuse as written by TokenDesk.
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

const snapshotGroups = (path: string, part: 'listing' | 'secrets' = 'listing') =>
  withFile(path, (db) =>
    db
      .prepare(`SELECT snapshot_group FROM row_snapshots WHERE ${part} IS NOT NULL ORDER BY snapshot_group`)
      .pluck()
      .all(),
  );

const summary = (entries: readonly ListedEntry[]) =>
  entries.map((e) => (e.ok ? `${e.token.id} ${e.token.userName}` : `unreadable ${e.id}`));

/** How many rows a list checked one by one with their own listing MAC. */
const countListingChecks = () => vi.spyOn(RowCrypto.prototype, 'listingMacMatches');
/** How many envelopes a read opened one by one. */
const countEnvelopeOpens = () => vi.spyOn(RowCrypto.prototype, 'open');

/** Re-creates a trigger exactly as it was after `edit`: the edit is made with the trigger switched off. */
function behindTrigger(db: Database.Database, trigger: string, edit: string): void {
  const sql = db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(trigger) as string;
  db.exec(`DROP TRIGGER ${trigger}`);
  db.exec(edit);
  db.exec(sql);
}

const ROWS = 600; // groups 0 (ids 1-255), 1 (256-511), 2 (512-600)

it('a cold list checks rows one by one once, snapshots every group, and the next cold list uses the snapshots', async () => {
  const path = await storeFile(ROWS);
  expect(snapshotGroups(path)).toEqual([]);
  const perRow = countListingChecks();
  const first = await openCold(path);
  const firstList = summary(await first.listWithoutSecrets());
  expect(perRow).toHaveBeenCalledTimes(ROWS);
  expect(snapshotGroups(path)).toEqual([0, 1, 2]);
  expect(snapshotGroups(path, 'secrets')).toEqual([]); // a list opens no envelope, so it seals no secret
  first.close();

  perRow.mockClear();
  const second = await openCold(path);
  expect(summary(await second.listWithoutSecrets())).toEqual(firstList);
  expect(perRow).not.toHaveBeenCalled();
  expect(firstList).toHaveLength(ROWS);
});

it('a cold getTokens opens every envelope once, and the next one opens none and returns the same tokens', async () => {
  const path = await storeFile(ROWS);
  const opens = countEnvelopeOpens();
  const first = await openCold(path);
  const before = await first.getTokens();
  expect(opens).toHaveBeenCalledTimes(ROWS);
  expect(snapshotGroups(path, 'secrets')).toEqual([0, 1, 2]);
  first.close();

  opens.mockClear();
  const second = await openCold(path);
  const after = await second.getTokens();
  expect(opens).not.toHaveBeenCalled();
  expect(after).toEqual(before);
  expect(after[299]).toMatchObject({
    id: '300',
    clientSecret: 'secret-300',
    refreshToken: '1000.refresh300.aa',
  });
  // Read-only, as without snapshots: no caller can change what the next read returns.
  expect(Object.isFrozen(after[0])).toBe(true);
});

it('a list after getTokens keeps the secrets; getTokens after a list adds them to the listing snapshot', async () => {
  const path = await storeFile(ROWS);
  const lister = await openCold(path);
  await lister.listWithoutSecrets();
  lister.close();
  const perRow = countListingChecks();
  const opens = countEnvelopeOpens();
  const reader = await openCold(path);
  await reader.getTokens();
  // The listing snapshots matched: no listing MAC checked again, only the envelopes opened.
  expect(perRow).not.toHaveBeenCalled();
  expect(opens).toHaveBeenCalledTimes(ROWS);
  expect(snapshotGroups(path, 'secrets')).toEqual([0, 1, 2]);
});

it('a save drops only its own group snapshot; the next cold reads re-check that group alone', async () => {
  const path = await storeFile(ROWS);
  const store = await openCold(path);
  await store.getTokens();
  const token = await store.findTokenById('300');
  await store.saveToken({ ...token!, accessToken: '1000.renewed.cc', lastError: 'checked again' });
  expect(snapshotGroups(path)).toEqual([0, 2]);
  store.close();

  const perRow = countListingChecks();
  const opens = countEnvelopeOpens();
  const again = await openCold(path);
  const listed = await again.listWithoutSecrets();
  expect(perRow).toHaveBeenCalledTimes(SNAPSHOT_GROUP_ROWS);
  expect(listed.find((e) => e.ok && e.token.id === '300')).toMatchObject({
    token: { lastError: 'checked again' },
  });
  again.close();
  const reader = await openCold(path);
  const tokens = await reader.getTokens();
  expect(opens).toHaveBeenCalledTimes(SNAPSHOT_GROUP_ROWS);
  expect(tokens.find((t) => t.id === '300')).toMatchObject({ accessToken: '1000.renewed.cc' });
  expect(snapshotGroups(path, 'secrets')).toEqual([0, 1, 2]);
});

// The last value: whether a read with secrets refuses the edit too (a preview is not bound to the envelope).
it.each([
  ['a listed column', "UPDATE tokens SET user_name = 'mallory@example.com' WHERE id = 260", true],
  ['a masked preview', "UPDATE tokens SET access_token_preview = '1000.zz…zzzz' WHERE id = 260", false],
  [
    'the envelope',
    'UPDATE tokens SET secrets_enc = (SELECT secrets_enc FROM tokens WHERE id = 261) WHERE id = 260',
    true,
  ],
  [
    'a listed column turned into a BLOB',
    'UPDATE tokens SET user_name = CAST(user_name AS BLOB) WHERE id = 260',
    true,
  ],
  [
    'text after a NUL character',
    "UPDATE tokens SET user_name = user_name || char(0) || 'x' WHERE id = 260",
    true,
  ],
])('%s edited through SQLite shows that row unreadable, never its snapshot', async (_what, edit, bound) => {
  const path = await storeFile(ROWS);
  const snapshotting = await openCold(path);
  await snapshotting.getTokens();
  snapshotting.close();
  expect(snapshotGroups(path, 'secrets')).toEqual([0, 1, 2]);
  withFile(path, (db) => db.exec(edit));
  expect(snapshotGroups(path)).toEqual([0, 2]);

  for (let read = 0; read < 2; read++) {
    const store = await openCold(path);
    const listed = await store.listWithoutSecrets();
    expect(listed.filter((e) => !e.ok).map((e) => e.id)).toEqual(['260']);
    expect(listed.find((e) => !e.ok)).toMatchObject({ error: { code: 'UNREADABLE_ROW' } });
    store.close();
    const reader = await openCold(path);
    const entries = await reader.listEntries();
    expect(entries.flatMap((e) => (e.ok ? [] : [e.id]))).toEqual(bound ? ['260'] : []);
    reader.close();
    // The group holding the edited row is never snapshotted over it.
    expect(snapshotGroups(path)).toEqual([0, 2]);
  }
});

it('with a snapshot trigger dropped, no snapshot is trusted: an edit made meanwhile shows, as without them', async () => {
  const path = await storeFile(ROWS);
  const snapshotting = await openCold(path);
  await snapshotting.getTokens();
  snapshotting.close();
  withFile(path, (db) => {
    db.exec('DROP TRIGGER row_snapshots_on_update');
    db.exec("UPDATE tokens SET user_name = 'mallory@example.com' WHERE id = 260");
  });
  const store = await openCold(path);
  const listed = await store.listWithoutSecrets();
  expect(listed.filter((e) => !e.ok).map((e) => e.id)).toEqual(['260']);
  expect((await store.listEntries()).filter((e) => !e.ok)).toHaveLength(1);
});

it('an edit made with the triggers switched off is never served: reads show the row as last verified', async () => {
  const path = await storeFile(ROWS);
  const snapshotting = await openCold(path);
  const verified = await snapshotting.getTokens();
  snapshotting.close();
  withFile(path, (db) =>
    behindTrigger(
      db,
      'row_snapshots_on_update',
      "UPDATE tokens SET user_name = 'mallory@example.com' WHERE id = 260",
    ),
  );
  const store = await openCold(path);
  // The snapshot vouches for what the row held when it was made (as an older copy of the file would).
  expect(summary(await store.listWithoutSecrets())).not.toContain('260 mallory@example.com');
  expect((await store.getTokens()).find((t) => t.id === '260')).toEqual(verified.find((t) => t.id === '260'));
  // Using the row (on a connection that has not cached it) opens its envelope, which refuses the edit; so
  // does any read once the group changes.
  const user = await openCold(path);
  await expect(user.findTokenById('260')).rejects.toMatchObject({ code: 'UNREADABLE_ROW' });
  user.close();
  const neighbour = await store.findTokenById('261');
  await store.saveToken({ ...neighbour!, lastError: 'touched' });
  store.close();
  const after = await openCold(path);
  expect((await after.listWithoutSecrets()).filter((e) => !e.ok).map((e) => e.id)).toEqual(['260']);
});

it('a forged snapshot, or one copied from another group, only costs the per-row reads', async () => {
  const path = await storeFile(ROWS);
  const snapshotting = await openCold(path);
  const expected = summary(await snapshotting.listWithoutSecrets());
  const tokens = await snapshotting.getTokens();
  snapshotting.close();
  withFile(path, (db) => {
    // Row 600 edited through the trigger (its group's snapshot dropped), then given group 1's snapshot.
    db.exec("UPDATE tokens SET user_name = 'mallory@example.com' WHERE id = 600");
    db.exec(
      'INSERT INTO row_snapshots SELECT 2, listing, listing_mac, secrets FROM row_snapshots WHERE snapshot_group = 1',
    );
    // Group 0 given a forged listing MAC; group 1 the secrets of group 0 (its listing left intact).
    db.exec('UPDATE row_snapshots SET listing_mac = randomblob(32) WHERE snapshot_group = 0');
    db.exec(
      'UPDATE row_snapshots SET secrets = (SELECT secrets FROM row_snapshots WHERE snapshot_group = 0) WHERE snapshot_group = 1',
    );
  });
  const perRow = countListingChecks();
  const opens = countEnvelopeOpens();
  const store = await openCold(path);
  const listed = await store.listWithoutSecrets();
  expect(perRow).toHaveBeenCalledTimes(ROWS - SNAPSHOT_GROUP_ROWS);
  expect(summary(listed)).toEqual(
    expected.map((line) => (line.startsWith('600 ') ? 'unreadable 600' : line)),
  );
  store.close();
  const reader = await openCold(path);
  const read = await reader.getTokens();
  // Groups 0 and 2 were snapshotted again by the list above (listing only); group 1's secrets failed.
  expect(opens).toHaveBeenCalledTimes(ROWS);
  expect(read).toEqual(tokens.filter((t) => t.id !== '600'));
});

it('a re-key leaves no snapshot that the new key would accept, and the reads after it are right', async () => {
  const path = await storeFile(ROWS);
  const store = await openCold(path);
  const before = summary(await store.listWithoutSecrets());
  const tokens = await store.getTokens();
  expect(snapshotGroups(path, 'secrets')).toEqual([0, 1, 2]);
  await store.rotateDataKey();
  expect(snapshotGroups(path)).toEqual([]);
  store.close();
  const after = await openCold(path);
  expect(summary(await after.listWithoutSecrets())).toEqual(before);
  expect(await after.getTokens()).toEqual(tokens);
  expect(snapshotGroups(path, 'secrets')).toEqual([0, 1, 2]);
});

it('while another program holds the write lock, reads answer and simply store no snapshot', async () => {
  const path = await storeFile(ROWS);
  const holder = new Database(path);
  cleanups.push(() => holder.close());
  holder.exec('BEGIN IMMEDIATE');
  const store = await openCold(path);
  expect(await store.listWithoutSecrets()).toHaveLength(ROWS);
  expect(await store.getTokens()).toHaveLength(ROWS);
  holder.exec('COMMIT');
  expect(snapshotGroups(path)).toEqual([]);
  store.close();
  await (await openCold(path)).listWithoutSecrets();
  const perRow = countListingChecks();
  const snapshotted = await openCold(path);
  await snapshotted.listWithoutSecrets();
  expect(snapshotGroups(path)).toEqual([0, 1, 2]);
  expect(perRow).not.toHaveBeenCalled();
});

it('text of every kind reads back from a snapshot exactly as from its rows', async () => {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const path = join(dir, 'tokens.db');
  const names = [
    'zoë@example.com',
    '管理者@example.jp',
    'emoji👩‍💻@example.com',
    'nul\u0000char@example.com',
  ];
  const store = await SqliteTokenStore.open({ path, protector: testProtector() });
  await store.saveTokens(
    names.map((userName, i) =>
      emptyToken({
        userName,
        clientId: '1000.CLIENT',
        clientSecret: `sécret "${i}" \\ ${'\u2028'}`,
        refreshToken: `1000.refresh${i}.ü`,
        scopes: ['ZohoCRM.modules.ALL', 'ZohoCRM.users.READ'],
        lastError: i === 0 ? 'Zoho said: "invalid_code" — try again' : null,
      }),
    ),
  );
  store.close();
  const opens = countEnvelopeOpens();
  const first = await openCold(path);
  const fromRows = await first.getTokens();
  const listedFromRows = summary(await first.listWithoutSecrets());
  first.close();
  expect(opens).toHaveBeenCalledTimes(names.length);
  opens.mockClear();
  const second = await openCold(path);
  expect(await second.getTokens()).toEqual(fromRows);
  expect(summary(await second.listWithoutSecrets())).toEqual(listedFromRows);
  expect(opens).not.toHaveBeenCalled();
  expect(fromRows.map((t) => t.userName)).toEqual(names);
});
