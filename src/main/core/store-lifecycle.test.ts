import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '../../shared/ipc/views';
import { type KeyProtector, KeyProtectorError } from '../store/key-protector';
import { PassphraseKeyProtector } from '../store/passphrase-key-protector';
import { META_WRAPPED_KEY, SqliteTokenStore } from '../store/sqlite-token-store';
import { TEST_SCRYPT_COST, tempDir, testKeychainProtector } from '../store/test-support/temp-store';
import type { TokenDeskCore } from './core';
import { DB_FILE, type KeychainAccess } from './store-lifecycle';
import { startTestCore, TEST_PASSPHRASE, type TestCore, testKeychain } from './test-support/test-core';
import { FREE_FAILURES, unlockDelayMs } from './unlock-backoff';

/**
 * The store's life on disk, through the core and the real IPC router, with real SQLite files: set-up
 * that fails, a store that has gone missing or been emptied, a damaged key, a failed audit write beside
 * an unlock, parallel calls, and the unlock back-off.
 */

const PASS = TEST_PASSPHRASE;
const WRONG = 'not the passphrase at all';

let dir: { dir: string; cleanup: () => void };
let now: number;
const clock = { now: () => now };
const running: TokenDeskCore[] = [];

beforeEach(() => {
  dir = tempDir();
  now = Date.UTC(2026, 0, 5, 9, 0, 0);
});
afterEach(async () => {
  for (const core of running.splice(0)) await core.close();
  vi.restoreAllMocks();
  dir.cleanup();
});

interface App extends TestCore {
  status(): Promise<AppStatus>;
}

type Keychain = KeychainAccess;

async function start(
  options: { keychain?: Keychain; protector?: (p: string) => KeyProtector } = {},
): Promise<App> {
  const app = await startTestCore({
    dataDir: dir.dir,
    keychain: options.keychain ?? null,
    clock,
    ...(options.protector ? { passphraseProtector: options.protector } : {}),
  });
  running.push(app.core);
  return { ...app, status: () => app.ok<AppStatus>('getStatus') };
}

async function restart(app: App, options: Parameters<typeof start>[0] = {}): Promise<App> {
  await app.core.close();
  running.splice(running.indexOf(app.core), 1);
  return start(options);
}

const dbPath = () => join(dir.dir, DB_FILE);
const filesInDataDir = () => readdirSync(dir.dir).sort();

/** Every SqliteTokenStore opened from here on, to check that none is left open. */
function recordOpenedStores(): SqliteTokenStore[] {
  const opened: SqliteTokenStore[] = [];
  const original = SqliteTokenStore.open.bind(SqliteTokenStore);
  vi.spyOn(SqliteTokenStore, 'open').mockImplementation(async (options) => {
    const store = await original(options);
    opened.push(store);
    return store;
  });
  return opened;
}

function auditRows(): { action: string; outcome: string; detail: string }[] {
  const db = new Database(dbPath(), { readonly: true });
  try {
    return db.prepare('SELECT action, outcome, detail FROM audit_log ORDER BY id').all() as {
      action: string;
      outcome: string;
      detail: string;
    }[];
  } finally {
    db.close();
  }
}

describe('set-up creates the store under a temporary name', () => {
  it('a set-up that fails leaves no store file, the status and set-up agree, and a retry works', async () => {
    let failWrap = true;
    const protector = (p: string): KeyProtector => {
      const real = new PassphraseKeyProtector(p, { cost: TEST_SCRYPT_COST });
      return {
        kind: real.kind,
        wrap: async (key) => {
          if (failWrap) throw new KeyProtectorError('UNAVAILABLE', 'The keychain rejected the encryption.');
          return real.wrap(key);
        },
        unwrap: (wrapped) => real.unwrap(wrapped),
      };
    };
    const app = await start({ protector });
    const failed = await app.call('setupStore', { protector: 'passphrase', passphrase: PASS });
    expect(failed).toMatchObject({
      ok: false,
      error: { message: 'The keychain rejected the encryption.' },
    });
    // Nothing that looks like a store, and no temporary file either.
    expect(filesInDataDir()).toEqual([]);
    expect(await app.status()).toMatchObject({ store: 'uninitialised', missingStore: null });

    failWrap = false;
    expect(await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS })).toMatchObject({
      store: 'unlocked',
      warning: null,
    });
    expect(filesInDataDir()).toContain(DB_FILE);
    expect(filesInDataDir().filter((f) => f.includes('.setup-'))).toEqual([]);
  });

  it('a 0-byte file with no note beside it (an old failed set-up) is a first run, not a store', async () => {
    writeFileSync(dbPath(), '');
    let app = await start();
    expect(await app.status()).toMatchObject({ store: 'uninitialised', protector: null, missingStore: null });
    // Nothing unlocks it, whatever is typed.
    expect(await app.call('unlockStore', { passphrase: WRONG })).toMatchObject({
      ok: false,
      error: { code: 'NOT_SET_UP' },
    });
    expect(statSync(dbPath()).size).toBe(0);

    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    app = await restart(app);
    expect(await app.call('unlockStore', { passphrase: WRONG })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE' },
    });
    expect(await app.ok('unlockStore', { passphrase: PASS })).toMatchObject({ store: 'unlocked' });
  });

  it('a store whose note was lost is still found, and its note is written again', async () => {
    let app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await app.core.close();
    rmSync(join(dir.dir, 'store.json'));
    app = await restart(app);
    expect(await app.status()).toMatchObject({ store: 'locked', protector: 'passphrase' });
    expect(existsSync(join(dir.dir, 'store.json'))).toBe(true);
    expect(await app.call('setupStore', { protector: 'passphrase', passphrase: WRONG })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_SET_UP' },
    });
  });
});

describe('a damaged note beside the store', () => {
  it('a keychain store whose note is unreadable is still opened by the keychain, not taken for a passphrase store', async () => {
    const keychain = testKeychain();
    let app = await start({ keychain });
    await app.ok('setupStore', { protector: 'keychain' });
    await app.core.close();
    writeFileSync(join(dir.dir, 'store.json'), '{ not json');
    app = await restart(app, { keychain });
    expect(await app.status()).toMatchObject({ store: 'unlocked', protector: 'keychain' });
  });
});

describe('a store that was here is gone or empty', () => {
  async function setUpThenLose(lose: () => void): Promise<App> {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await app.core.close();
    lose();
    return restart(app);
  }

  it('deleted: says so, accepts no passphrase, creates nothing until asked, then asks for a new store', async () => {
    const app = await setUpThenLose(() => rmSync(dbPath()));
    const status = await app.status();
    expect(status).toMatchObject({ store: 'locked', missingStore: { reason: 'missing' } });
    expect(status.missingStore?.message).toMatch(/gone/);

    for (const passphrase of [PASS, WRONG]) {
      const refused = await app.call('unlockStore', { passphrase });
      expect(refused).toMatchObject({ ok: false, error: { code: 'STORE_MISSING' } });
      if (!refused.ok) expect(refused.error.message).toMatch(/no passphrase can open it/i);
    }
    expect(existsSync(dbPath())).toBe(false);
    // Set-up without the explicit choice is refused too.
    expect(await app.call('setupStore', { protector: 'passphrase', passphrase: PASS })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_SET_UP' },
    });
    expect(existsSync(dbPath())).toBe(false);

    const created = await app.ok<AppStatus & { warning: string | null }>('setupStore', {
      protector: 'passphrase',
      passphrase: 'a brand new passphrase',
      startOver: true,
    });
    expect(created).toMatchObject({ store: 'unlocked', missingStore: null, warning: null });
    expect(auditRows().at(-1)?.detail).toMatch(/replaces the store that was missing/);
  });

  it('emptied to 0 bytes: says so, and the file is left exactly as it was', async () => {
    const app = await setUpThenLose(() => {
      for (const suffix of ['-wal', '-shm']) rmSync(`${dbPath()}${suffix}`, { force: true });
      writeFileSync(dbPath(), '');
    });
    expect(await app.status()).toMatchObject({ store: 'locked', missingStore: { reason: 'empty' } });
    expect(await app.call('unlockStore', { passphrase: PASS })).toMatchObject({
      ok: false,
      error: { code: 'STORE_MISSING' },
    });
    expect(statSync(dbPath()).size).toBe(0);
    expect(filesInDataDir()).toEqual(['store.json', DB_FILE]);
  });

  it('a keychain store that is gone is not re-created at start', async () => {
    const keychain = testKeychain();
    let app = await start({ keychain });
    await app.ok('setupStore', { protector: 'keychain' });
    await app.core.close();
    rmSync(dbPath());
    app = await restart(app, { keychain });
    expect(await app.status()).toMatchObject({
      store: 'locked',
      protector: 'keychain',
      missingStore: { reason: 'missing' },
    });
    expect(existsSync(dbPath())).toBe(false);
  });

  it('a store file put back (from a backup) is found without a restart', async () => {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await app.core.close();
    const backup = readFileSync(dbPath());
    rmSync(dbPath());
    const again = await restart(app);
    expect((await again.status()).missingStore).not.toBeNull();
    writeFileSync(dbPath(), backup);
    expect((await again.status()).missingStore).toBeNull();
    expect(await again.ok('unlockStore', { passphrase: PASS })).toMatchObject({ store: 'unlocked' });
  });
});

describe('unlock says what really happened', () => {
  it('a damaged wrapped key is reported as damaged, not as a wrong passphrase', async () => {
    let app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await app.core.close();
    const db = new Database(dbPath());
    const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(META_WRAPPED_KEY) as { value: string };
    const wrapped = JSON.parse(row.value) as Record<string, string>;
    const ct = Buffer.from(wrapped.ct ?? '', 'base64');
    ct[3] = (ct[3] ?? 0) ^ 0x10;
    db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(
      JSON.stringify({ ...wrapped, ct: ct.toString('base64') }),
      META_WRAPPED_KEY,
    );
    db.close();

    app = await restart(app);
    const result = await app.call('unlockStore', { passphrase: PASS });
    expect(result).toMatchObject({ ok: false, error: { code: 'KEY_CORRUPT' } });
    if (!result.ok) expect(result.error.message).toMatch(/damaged/);
    // Not counted as a guess.
    expect((await app.status()).unlockRetryAt).toBeNull();
    expect(JSON.parse(readFileSync(join(dir.dir, 'store.json'), 'utf8'))).not.toHaveProperty(
      'unlockFailures',
    );
    expect(auditRows().at(-1)).toMatchObject({
      action: 'unlock_failed',
      detail: expect.stringMatching(/damaged/),
    });
  });

  it('an audit row that cannot be written does not turn a done unlock into an error', async () => {
    let app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await app.core.close();
    // An injected write failure on the audit table (a full disk fails the same insert).
    const db = new Database(dbPath());
    db.exec(
      "CREATE TRIGGER audit_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;",
    );
    db.close();

    app = await restart(app);
    const unlocked = await app.call<AppStatus & { warning: string | null }>('unlockStore', {
      passphrase: PASS,
    });
    expect(unlocked.ok).toBe(true);
    if (unlocked.ok) {
      expect(unlocked.value.store).toBe('unlocked');
      expect(unlocked.value.warning).toMatch(/audit entry could not be written/);
    }
    expect(await app.status()).toMatchObject({ store: 'unlocked' });
    // The store is really open: its tokens list answers.
    expect(await app.call('listTokens')).toMatchObject({ ok: true });
  });

  it('parallel unlocks open one connection, and close() leaves none open', async () => {
    let app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    app = await restart(app);
    const opened = recordOpenedStores();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => app.call('unlockStore', { passphrase: PASS })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(opened).toHaveLength(1);
    await app.core.close();
    expect(opened.map((s) => s.database.open)).toEqual([false]);
  });

  it('an unlock still running when the app closes closes what it opened', async () => {
    let app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    app = await restart(app);
    const opened = recordOpenedStores();
    const pending = app.call('unlockStore', { passphrase: PASS });
    await app.core.close();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CLOSED' } });
    expect(opened.every((s) => !s.database.open)).toBe(true);
  });

  it('two parallel passphrase changes: one succeeds, the other is told its current passphrase is wrong', async () => {
    let app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const [first, second] = await Promise.all([
      app.call('changePassphrase', { current: PASS, next: 'first new passphrase' }),
      app.call('changePassphrase', { current: PASS, next: 'second new passphrase' }),
    ]);
    expect(first).toMatchObject({ ok: true, value: { changed: true } });
    expect(second).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    app = await restart(app);
    expect(await app.call('unlockStore', { passphrase: 'second new passphrase' })).toMatchObject({
      ok: false,
    });
    expect(await app.ok('unlockStore', { passphrase: 'first new passphrase' })).toMatchObject({
      store: 'unlocked',
    });
  });
});

describe('unlock back-off', () => {
  async function lockedStore(): Promise<App> {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    return restart(app);
  }

  it('after the free tries, even the right passphrase waits; the wait survives a restart', async () => {
    let app = await lockedStore();
    for (let i = 0; i < FREE_FAILURES; i++) {
      expect(await app.call('unlockStore', { passphrase: WRONG })).toMatchObject({
        ok: false,
        error: { code: 'WRONG_PASSPHRASE' },
      });
    }
    const delay = unlockDelayMs(FREE_FAILURES);
    expect(delay).toBeGreaterThan(0);
    expect((await app.status()).unlockRetryAt).toBe(now + delay);

    app = await restart(app);
    const refused = await app.call('unlockStore', { passphrase: PASS });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNLOCK_BACKOFF' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/wait 1 second/i);
    expect(await app.status()).toMatchObject({ store: 'locked', unlockRetryAt: now + delay });

    now += delay;
    const unlocked = await app.ok<AppStatus>('unlockStore', { passphrase: PASS });
    expect(unlocked).toMatchObject({ store: 'unlocked', unlockRetryAt: null });
    // The count starts again after a success.
    app = await restart(app);
    expect((await app.status()).unlockRetryAt).toBeNull();
    expect(JSON.parse(readFileSync(join(dir.dir, 'store.json'), 'utf8'))).not.toHaveProperty(
      'unlockFailures',
    );
  });

  it('parallel guesses are tried one at a time and stop at the back-off', async () => {
    const app = await lockedStore();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => app.call('unlockStore', { passphrase: `${WRONG} ${i}` })),
    );
    const codes = results.map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.filter((c) => c === 'WRONG_PASSPHRASE')).toHaveLength(FREE_FAILURES);
    expect(codes.filter((c) => c === 'UNLOCK_BACKOFF')).toHaveLength(8 - FREE_FAILURES);
  });

  it('repeated failures leave a few audit rows that count them, and the unlock row says how many', async () => {
    const app = await lockedStore();
    for (let i = 0; i < 10; i++) {
      now += 10 * 60_000; // past any wait
      await app.call('unlockStore', { passphrase: WRONG });
    }
    now += 10 * 60_000;
    await app.ok('unlockStore', { passphrase: PASS });
    const failures = auditRows().filter((r) => r.action === 'unlock_failed');
    expect(failures.map((r) => r.detail)).toEqual([
      'Unlock failed: wrong passphrase.',
      expect.stringContaining('2 times in a row'),
      expect.stringContaining('4 times in a row'),
      expect.stringContaining('8 times in a row'),
    ]);
    expect(auditRows().at(-1)?.detail).toBe(
      'Unlocked with the master passphrase, after 10 wrong passphrases in a row.',
    );
  });
});

describe('a keychain store with a passphrase beside it', () => {
  /** A keychain that works, or (`working: false`) one that cannot unwrap, as on another login session. */
  function keychain(working = true): Keychain {
    const protector = testKeychainProtector();
    return {
      availability: async () => ({ available: true, reason: null }),
      protector: () =>
        working
          ? protector
          : {
              ...protector,
              unwrap: async () => {
                throw new KeyProtectorError('UNAVAILABLE', 'The keychain is locked.');
              },
            },
    };
  }

  it('add, unlock with it when the keychain cannot, change it, and remove it: each says and does what happened', async () => {
    let app = await start({ keychain: keychain() });
    await app.ok('setupStore', { protector: 'keychain' });
    expect(await app.status()).toMatchObject({ protector: 'keychain', alsoPassphrase: false });
    expect(await app.ok('addStorePassphrase', { passphrase: PASS })).toEqual({ added: true, warning: null });
    expect(await app.status()).toMatchObject({ protector: 'keychain', alsoPassphrase: true });

    // Next start, the keychain cannot open it: the status says the passphrase also does, and it does.
    app = await restart(app, { keychain: keychain(false) });
    expect(await app.status()).toMatchObject({
      store: 'locked',
      protector: 'keychain',
      alsoPassphrase: true,
    });
    expect(await app.call('unlockStore', { passphrase: WRONG })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE' },
    });
    expect(await app.ok('unlockStore', { passphrase: PASS })).toMatchObject({ store: 'unlocked' });

    // A change needs the current one; a wrong one changes nothing.
    expect(await app.call('changePassphrase', { current: WRONG, next: 'the next passphrase' })).toMatchObject(
      {
        ok: false,
      },
    );
    app = await restart(app, { keychain: keychain() });
    expect(await app.status()).toMatchObject({ store: 'unlocked', alsoPassphrase: true });
    await app.ok('changePassphrase', { current: PASS, next: 'the next passphrase' });
    app = await restart(app, { keychain: keychain(false) });
    expect(await app.call('unlockStore', { passphrase: PASS })).toMatchObject({ ok: false });
    expect(await app.ok('unlockStore', { passphrase: 'the next passphrase' })).toMatchObject({
      store: 'unlocked',
    });

    // Removing makes a new key that only the keychain wraps: the passphrase opens nothing afterwards.
    app = await restart(app, { keychain: keychain() });
    expect(await app.ok('removeStorePassphrase', {})).toEqual({ removed: true, warning: null });
    expect(await app.status()).toMatchObject({ alsoPassphrase: false });
    app = await restart(app, { keychain: keychain(false) });
    expect(await app.status()).toMatchObject({ store: 'locked', alsoPassphrase: false });
    expect(await app.call('unlockStore', { passphrase: 'the next passphrase' })).toMatchObject({ ok: false });

    const details = auditRows().map((row) => row.detail);
    expect(details).toContain(
      'Passphrase added: the keychain store also opens with it (for the tokendesk command).',
    );
    expect(details).toContain('Passphrase of the keychain store changed (new data key).');
    expect(details).toContain('Passphrase removed: only the keychain opens the store now (new data key).');
  });

  it('a passphrase store cannot add a second passphrase, and a keychain store has none to remove', async () => {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    expect(await app.call('addStorePassphrase', { passphrase: 'another passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_SUPPORTED' },
    });
    await app.core.close();
    running.splice(running.indexOf(app.core), 1);
    dir.cleanup();
    dir = tempDir();
    const fresh = await start({ keychain: keychain() });
    await fresh.ok('setupStore', { protector: 'keychain' });
    expect(await fresh.call('removeStorePassphrase', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_SUPPORTED', message: 'This token store has no passphrase to remove.' },
    });
  });
});
