import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { emptyToken } from '../store/oauth-token';
import { SqliteTokenStore } from '../store/sqlite-token-store';
import { tempDir } from '../store/test-support/temp-store';
import { type HeldWriteLock, holdWriteLock } from '../store/test-support/write-lock';
import type { TokenDeskCore } from './core';
import { DB_FILE } from './store-lifecycle';
import {
  type CoreEvent,
  startTestCore,
  TEST_PASSPHRASE,
  testPassphraseProtector,
} from './test-support/test-core';

/**
 * The app's face of a database held by another process: the status and the list keep answering, the
 * state reaches the renderer (status field and a push), and a write answers DATABASE_BUSY in plain
 * words with nothing changed on disk.
 */

const PASS = TEST_PASSPHRASE;
const protector = testPassphraseProtector;

let dir: { dir: string; cleanup: () => void };
let core: TokenDeskCore | null;
let lock: HeldWriteLock | null;
let events: CoreEvent[];
beforeEach(() => {
  dir = tempDir();
  core = null;
  lock = null;
  events = [];
});
afterEach(async () => {
  await lock?.release();
  await core?.close();
  dir.cleanup();
});

it('answers status and the list, pushes the busy state and refuses a write plainly while another process holds the lock', async () => {
  const app = await startTestCore({
    dataDir: dir.dir,
    notify: (event, payload) => events.push({ event, payload }),
  });
  core = app.core;
  const { call, list } = app;
  expect(await call('setupStore', { protector: 'passphrase', passphrase: PASS })).toMatchObject({ ok: true });

  // An SDK app sharing the file saves a token through its own connection.
  const path = join(dir.dir, DB_FILE);
  const sdkApp = await SqliteTokenStore.open({ path, protector: protector(PASS) });
  await sdkApp.saveToken(
    emptyToken({ userName: 'sdk@example.com', refreshToken: '1000.sdk.refresh', dataCenter: 'US' }),
  );
  sdkApp.close();

  expect(await call('getStatus')).toMatchObject({
    ok: true,
    value: { store: 'unlocked', database: { busy: false, pendingWrites: 0 } },
  });
  // The console lists the tokens right after unlocking (this also creates the service's own tables).
  expect(await call('listTokens')).toMatchObject({ ok: true });
  lock = await holdWriteLock(path);

  // What the user is told: not deleted, because the database is busy (nothing revoked, nothing written).
  const deleted = await call('deleteToken', { id: '1', revoke: false });
  expect(deleted).toMatchObject({
    ok: true,
    value: {
      id: '1',
      deleted: false,
      revoke: { state: 'skipped' },
      deleteError: 'the database is busy (held by another program)',
    },
  });
  expect(events).toContainEqual({ event: 'database.state', payload: { busy: true, pendingWrites: 0 } });
  expect(await call('getStatus')).toMatchObject({ ok: true, value: { database: { busy: true } } });
  expect((await list()).map((t) => t.userName)).toEqual(['sdk@example.com']);

  await lock.release();
  lock = null;
  // Free again, and nothing was deleted.
  expect(await call('getStatus')).toMatchObject({ ok: true, value: { database: { busy: false } } });
  expect((await list()).map((t) => t.id)).toEqual(['1']);
});

it('a failed unlock while another process holds the lock answers at once, and its audit row follows', async () => {
  const first = await startTestCore({ dataDir: dir.dir });
  await first.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
  await first.core.close();
  const app = await startTestCore({ dataDir: dir.dir });
  core = app.core;
  const path = join(dir.dir, DB_FILE);
  lock = await holdWriteLock(path);

  const answer = await app.call('unlockStore', { passphrase: 'not the passphrase' });
  expect(answer).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
  const failedUnlocks = () => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare("SELECT count(*) FROM audit_log WHERE action = 'unlock_failed'").pluck().get();
    } finally {
      db.close();
    }
  };
  // The answer came while the lock was still held: the row waits for it rather than the app.
  expect(failedUnlocks()).toBe(0);
  await lock.release();
  lock = null;
  for (let i = 0; i < 400 && failedUnlocks() === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(failedUnlocks()).toBe(1);
});

it('the first token action after an upgrade, while another process holds the lock, says the database is busy', async () => {
  const app = await startTestCore({ dataDir: dir.dir });
  core = app.core;
  await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
  // The service's own table does not exist yet (as after an upgrade): creating it needs the lock.
  lock = await holdWriteLock(join(dir.dir, DB_FILE));
  expect(await app.call('listTokens')).toMatchObject({
    ok: false,
    error: {
      code: 'DATABASE_BUSY',
      message: 'The database is busy (held by another program). Nothing was written.',
    },
  });
  await lock.release();
  lock = null;
  expect(await app.call('listTokens')).toMatchObject({ ok: true });
});
