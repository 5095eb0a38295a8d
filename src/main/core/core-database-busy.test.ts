import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { IpcEventName } from '../../shared/ipc/contract';
import { decodeTokenList, type TokenListWire } from '../../shared/ipc/token-list';
import { MemoryClipboard } from '../common/test-support/memory-clipboard';
import { MemorySettings } from '../common/test-support/memory-settings';
import { createIpcRouter } from '../ipc/router';
import { emptyToken } from '../store/oauth-token';
import { PassphraseKeyProtector } from '../store/passphrase-key-protector';
import { SqliteTokenStore } from '../store/sqlite-token-store';
import { TEST_SCRYPT_COST, tempDir } from '../store/test-support/temp-store';
import { type HeldWriteLock, holdWriteLock } from '../store/test-support/write-lock';
import { createTokenDeskCore, type TokenDeskCore } from './core';
import { DB_FILE } from './store-lifecycle';

/**
 * The app's face of a database held by another process: the status and the list keep answering, the
 * state reaches the renderer (status field and a push), and a write answers DATABASE_BUSY in plain
 * words with nothing changed on disk.
 */

const PASS = 'correct horse battery staple';
const protector = (passphrase: string) => new PassphraseKeyProtector(passphrase, { cost: TEST_SCRYPT_COST });

let dir: { dir: string; cleanup: () => void };
let core: TokenDeskCore | null;
let lock: HeldWriteLock | null;
let events: { event: IpcEventName; payload: unknown }[];
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
  core = await createTokenDeskCore({
    dataDir: dir.dir,
    settings: new MemorySettings(),
    clipboard: new MemoryClipboard(),
    browserOpener: { open: async () => {} },
    keychain: null,
    notify: (event, payload) => events.push({ event, payload }),
    passphraseProtector: protector,
  });
  const router = createIpcRouter(core.handlers, { isAllowedSender: () => true });
  const call = (method: string, request: unknown = {}) => router.dispatch(method, request, { url: 'app://' });
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
  const listed = await call('listTokens');
  expect(listed.ok && decodeTokenList(listed.value as TokenListWire).map((t) => t.userName)).toEqual([
    'sdk@example.com',
  ]);

  await lock.release();
  lock = null;
  // Free again, and nothing was deleted.
  expect(await call('getStatus')).toMatchObject({ ok: true, value: { database: { busy: false } } });
  const after = await call('listTokens');
  expect(after.ok && decodeTokenList(after.value as TokenListWire).map((t) => t.id)).toEqual(['1']);
});

it('a failed unlock while another process holds the lock answers at once, and its audit row follows', async () => {
  const deps = {
    dataDir: dir.dir,
    settings: new MemorySettings(),
    clipboard: new MemoryClipboard(),
    browserOpener: { open: async () => {} },
    keychain: null,
    notify: () => {},
    passphraseProtector: protector,
  };
  const first = await createTokenDeskCore(deps);
  await first.handlers.setupStore({ protector: 'passphrase', passphrase: PASS });
  await first.close();
  core = await createTokenDeskCore(deps);
  const router = createIpcRouter(core.handlers, { isAllowedSender: () => true });
  const path = join(dir.dir, DB_FILE);
  lock = await holdWriteLock(path);

  const answer = await router.dispatch(
    'unlockStore',
    { passphrase: 'not the passphrase' },
    { url: 'app://' },
  );
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
  core = await createTokenDeskCore({
    dataDir: dir.dir,
    settings: new MemorySettings(),
    clipboard: new MemoryClipboard(),
    browserOpener: { open: async () => {} },
    keychain: null,
    notify: () => {},
    passphraseProtector: protector,
  });
  const router = createIpcRouter(core.handlers, { isAllowedSender: () => true });
  await router.dispatch('setupStore', { protector: 'passphrase', passphrase: PASS }, { url: 'app://' });
  // The service's own table does not exist yet (as after an upgrade): creating it needs the lock.
  lock = await holdWriteLock(join(dir.dir, DB_FILE));
  expect(await router.dispatch('listTokens', {}, { url: 'app://' })).toMatchObject({
    ok: false,
    error: {
      code: 'DATABASE_BUSY',
      message: 'The database is busy (held by another program). Nothing was written.',
    },
  });
  await lock.release();
  lock = null;
  expect(await router.dispatch('listTokens', {}, { url: 'app://' })).toMatchObject({ ok: true });
});
