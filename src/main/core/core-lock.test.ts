import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_SELF_CLIENT, startZohoSimulator, type ZohoSimulator } from '../../../sim';
import type { AppStatus } from '../../shared/ipc/views';
import type { ScheduleTimer } from '../common/clock';
import { MemoryClipboard } from '../common/test-support/memory-clipboard';
import { MemorySettings } from '../common/test-support/memory-settings';
import { PassphraseKeyProtector } from '../store/passphrase-key-protector';
import { TEST_SCRYPT_COST, tempDir } from '../store/test-support/temp-store';
import type { SystemLockEvent, TokenDeskCore } from './core';
import { StoreLifecycle } from './store-lifecycle';
import { type CoreEvent, startTestCore, TEST_PASSPHRASE, testKeychain } from './test-support/test-core';

/**
 * Lock (docs/store-lifecycle.md "Lock") through the real core, router, SQLite store and Zoho simulator:
 * a read after a lock fails LOCKED, running work finishes first, the idle timer on a fake clock, sleep
 * and screen-lock events, and a keychain store that stays locked until the person asks.
 */

const PASS = TEST_PASSPHRASE;
const EU = 'admin@demo-eu.example.com';

/** A clock and a timer that only move when the test says so. */
function fakeTime() {
  let now = Date.UTC(2026, 10, 2, 9, 0, 0);
  let pending: { at: number; run: () => void; cancelled: boolean }[] = [];
  const timer: ScheduleTimer = (ms, run) => {
    const entry = { at: now + ms, run, cancelled: false };
    pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  return {
    clock: { now: () => now },
    timer,
    /** Moves time on, running each timer that falls due, in order (timers may set new ones). */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        pending = pending.filter((p) => !p.cancelled);
        const next = pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        now = Math.max(now, next.at);
        next.cancelled = true;
        next.run();
      }
      now = end;
    },
  };
}

let dir: { dir: string; cleanup: () => void };
let events: CoreEvent[];
let sim: ZohoSimulator | null;
let clipboard: MemoryClipboard;
const running: TokenDeskCore[] = [];

beforeEach(() => {
  dir = tempDir();
  events = [];
  sim = null;
  clipboard = new MemoryClipboard();
});
afterEach(async () => {
  for (const core of running.splice(0)) await core.close();
  dir.cleanup();
});

const fakeKeychain = testKeychain();

function systemEvents() {
  const listeners = new Set<(event: SystemLockEvent) => void>();
  return {
    subscribe(listener: (event: SystemLockEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (event: SystemLockEvent) => {
      for (const listener of listeners) listener(event);
    },
    get count() {
      return listeners.size;
    },
  };
}

async function start(
  options: {
    time?: ReturnType<typeof fakeTime>;
    keychain?: boolean;
    system?: ReturnType<typeof systemEvents>;
    autoLockSeconds?: number;
  } = {},
) {
  const settings = new MemorySettings(
    options.autoLockSeconds === undefined ? {} : { autoLockSeconds: options.autoLockSeconds },
  );
  const app = await startTestCore({
    dataDir: dir.dir,
    settings,
    clipboard,
    keychain: options.keychain ? fakeKeychain : null,
    notify: (event, payload) => events.push({ event, payload }),
    loopbackPort: 0,
    startSimulator: async () => {
      sim = await startZohoSimulator();
      return sim;
    },
    ...(options.time ? { clock: options.time.clock, timer: options.time.timer } : {}),
    ...(options.system ? { systemEvents: options.system } : {}),
  });
  running.push(app.core);
  return { ...app, settings };
}

type App = Awaited<ReturnType<typeof start>>;

/** Sets up a passphrase store and stores one token signed in at the demo simulator. */
async function withToken(app: App): Promise<string> {
  await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
  await app.ok('startDemo');
  const simulator = sim as ZohoSimulator;
  const code = simulator.issueSelfClientGrantCode({
    clientId: DEMO_SELF_CLIENT.clientId,
    scopes: ['ZohoCRM.users.READ'],
    userEmail: EU,
  });
  const view = await app.ok<{ id: string }>('signInWithGrantCode', {
    dataCenter: 'EU',
    environment: 'production',
    clientId: DEMO_SELF_CLIENT.clientId,
    clientSecret: DEMO_SELF_CLIENT.clientSecret,
    grantCode: code.code,
  });
  return view.id;
}

async function lockAudit(app: App): Promise<{ action: string; detail: string }[]> {
  const entries = await app.ok<{ action: string; detail: string }[]>('listAudit', { action: 'lock' });
  return entries;
}

describe('Lock now', () => {
  it('drops the decrypted rows: every read after the lock fails LOCKED; the passphrase opens the same rows', async () => {
    const app = await start();
    const id = await withToken(app);
    expect(await app.list()).toHaveLength(1);

    const status = await app.ok<AppStatus>('lockStore');
    expect(status).toMatchObject({ store: 'locked', protector: 'passphrase', lockedBy: 'manual' });
    expect(events.filter((e) => e.event === 'store.locked').map((e) => e.payload)).toEqual([
      { reason: 'manual' },
    ]);
    for (const [method, request] of [
      ['listTokens', {}],
      ['testToken', { id }],
      ['copyAccessToken', { id }],
      ['listAudit', {}],
    ] as const) {
      const result = await app.call(method, request);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'LOCKED', message: 'The token store is locked.' },
      });
    }
    // A second lock is harmless and writes no second row.
    expect(await app.ok<AppStatus>('lockStore')).toMatchObject({ store: 'locked' });

    await app.ok('unlockStore', { passphrase: PASS });
    expect((await app.ok<AppStatus>('getStatus')).lockedBy).toBeNull();
    const list = await app.list();
    expect(list.map((t) => t.id)).toEqual([id]);
    expect(await lockAudit(app)).toEqual([expect.objectContaining({ detail: 'Locked by the user.' })]);
  });

  it('waits for a token action already running, refuses new ones meanwhile, and then locks', async () => {
    const app = await start();
    const id = await withToken(app);
    const simulator = sim as ZohoSimulator;
    simulator.injectFault({ kind: 'refresh', fault: 'hold' });
    const refreshing = app.call<{ id: string }>('refreshToken', { id });
    await vi.waitFor(() => expect(simulator.heldRequests).toBe(1));

    let lockDone = false;
    const locking = app.ok<AppStatus>('lockStore').then((s) => {
      lockDone = true;
      return s;
    });
    // The lock is waiting: new store work is refused at once, the running refresh is not cut off.
    const late = await app.call('listTokens', {});
    expect(late).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(lockDone).toBe(false);

    simulator.releaseHeld();
    const refreshed = await refreshing;
    expect(refreshed).toMatchObject({ ok: true, value: { id } });
    expect(await locking).toMatchObject({ store: 'locked' });
    // What the refresh answered is what is stored: the new access token survived the lock.
    await app.ok('unlockStore', { passphrase: PASS });
    const audit = await app.ok<{ action: string; outcome: string }[]>('listAudit', {});
    const actions = audit.map((e) => e.action);
    expect(actions.indexOf('refresh')).toBeGreaterThan(actions.indexOf('lock')); // newest first
    expect(audit.find((e) => e.action === 'refresh')?.outcome).toBe('success');
  });
});

describe('work in flight', () => {
  it('a browser sign-in waiting at the consent page is cancelled; nothing is stored', async () => {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const status = await app.ok<AppStatus>('startDemo');
    const flowId = '5b0b6f1e-7c1a-4d3e-9a55-0c2f4b8e1d01';
    // The browser opener does nothing: the flow waits for a consent that never comes.
    const signingIn = app.call('signInWithBrowser', {
      flowId,
      dataCenter: 'US',
      environment: 'production',
      clientId: status.demo?.clientId,
      clientSecret: status.demo?.clientSecret,
      scopes: ['ZohoCRM.users.READ'],
    });
    await vi.waitFor(() =>
      expect(
        events.some(
          (e) => (e.payload as { flowId?: string; stage?: string }).stage === 'waiting-for-browser',
        ),
      ).toBe(true),
    );
    expect(await app.ok<AppStatus>('lockStore')).toMatchObject({ store: 'locked' });
    const outcome = await signingIn;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const stages = events
      .filter((e) => e.event === 'signin.progress')
      .map((e) => (e.payload as { stage: string }).stage);
    expect(stages.at(-1)).toBe('cancelled');
    await app.ok('unlockStore', { passphrase: PASS });
    expect(await app.list()).toEqual([]);
  });

  it('a copied access token is taken off the clipboard by the lock', async () => {
    const app = await start();
    const id = await withToken(app);
    await app.ok('copyAccessToken', { id });
    expect(clipboard.text).toMatch(/\S{20,}/);
    await app.ok('lockStore');
    expect(clipboard.text).toBeNull();
  });
});

describe('auto-lock', () => {
  it('locks after the idle time with no activity; activity restarts it, passive reads do not', async () => {
    const time = fakeTime();
    const app = await start({ time });
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });

    time.advance(14 * 60_000);
    await app.ok('noteActivity');
    time.advance(14 * 60_000);
    expect((await app.ok<AppStatus>('getStatus')).store).toBe('unlocked');
    // The window's own reads (refetches) are not a person at the keyboard.
    await app.ok('listTokens', {});
    time.advance(60_000 + 1);
    await vi.waitFor(async () => expect((await app.ok<AppStatus>('getStatus')).store).toBe('locked'));
    expect((await app.ok<AppStatus>('getStatus')).lockedBy).toBe('idle');
    expect(events.filter((e) => e.event === 'store.locked').map((e) => e.payload)).toEqual([
      { reason: 'idle' },
    ]);
    expect(await app.call('listTokens', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });

    await app.ok('unlockStore', { passphrase: PASS });
    expect(await lockAudit(app)).toEqual([
      expect.objectContaining({ detail: 'Locked after no activity for the auto-lock time.' }),
    ]);
  });

  it('0 means never; a shorter setting applies from the last activity at once', async () => {
    const time = fakeTime();
    const app = await start({ time, autoLockSeconds: 0 });
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    time.advance(24 * 60 * 60_000);
    expect((await app.ok<AppStatus>('getStatus')).store).toBe('unlocked');

    await app.ok('updateSettings', { autoLockSeconds: 60 });
    time.advance(59_000);
    expect((await app.ok<AppStatus>('getStatus')).store).toBe('unlocked');
    time.advance(1_000);
    await vi.waitFor(async () => expect((await app.ok<AppStatus>('getStatus')).store).toBe('locked'));
  });

  it('an out-of-range setting is refused and changes nothing', async () => {
    const app = await start();
    const result = await app.call('updateSettings', { autoLockSeconds: -1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect((await app.ok<{ autoLockSeconds: number }>('getSettings')).autoLockSeconds).toBe(15 * 60);
  });
});

describe('sleep and screen lock', () => {
  it.each([['suspend'], ['lock-screen']] as const)(
    '%s locks the store, audited as a system lock',
    async (event) => {
      const system = systemEvents();
      const app = await start({ system });
      await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
      system.emit(event);
      await vi.waitFor(async () => expect((await app.ok<AppStatus>('getStatus')).store).toBe('locked'));
      expect((await app.ok<AppStatus>('getStatus')).lockedBy).toBe('system');
      await app.ok('unlockStore', { passphrase: PASS });
      expect(await lockAudit(app)).toEqual([
        expect.objectContaining({
          detail: 'Locked because the computer went to sleep or its screen was locked.',
        }),
      ]);
    },
  );

  it('stops listening when the core closes', async () => {
    const system = systemEvents();
    const app = await start({ system });
    expect(system.count).toBe(1);
    await app.core.close();
    expect(system.count).toBe(0);
  });
});

describe('keychain store', () => {
  it('stays locked after a lock until the person asks to unlock with the keychain', async () => {
    const app = await start({ keychain: true });
    await app.ok('setupStore', { protector: 'keychain' });
    await app.ok('lockStore');
    const status = await app.ok<AppStatus>('getStatus');
    expect(status).toMatchObject({ store: 'locked', protector: 'keychain', lockedBy: 'manual' });
    expect(await app.call('listTokens', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });

    const unlocked = await app.ok<AppStatus>('unlockWithKeychain');
    expect(unlocked.store).toBe('unlocked');
    expect(await app.list()).toEqual([]);
  });

  it('a passphrase store cannot be opened with the keychain', async () => {
    const app = await start({ keychain: true });
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await app.ok('lockStore');
    const result = await app.call('unlockWithKeychain');
    expect(result).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } });
    expect((await app.ok<AppStatus>('getStatus')).store).toBe('locked');
  });
});

describe('StoreLifecycle.lock', () => {
  it('closes the store and zeroes the data key and the row keys', async () => {
    const lifecycle = new StoreLifecycle({
      dataDir: dir.dir,
      keychain: null,
      clock: { now: () => Date.now() },
      passphraseProtector: (p) => new PassphraseKeyProtector(p, { cost: TEST_SCRYPT_COST }),
    });
    await lifecycle.start();
    await lifecycle.setup({ protector: 'passphrase', passphrase: PASS });
    const open = lifecycle.require();
    // Private fields, read here only to check the bytes are gone (SqliteTokenStore.close, RowCrypto.destroy).
    const inside = open.store as unknown as {
      keys: {
        crypto: {
          dataKey: Buffer;
          envelopeKey: Buffer;
          indexKey: Buffer;
          listingKey: Buffer;
          snapshotCrypto: { listingKey: Buffer; secretsKey: Buffer };
        };
      };
    };
    const { dataKey, envelopeKey, indexKey, listingKey, snapshotCrypto } = inside.keys.crypto;
    const keys = [
      dataKey,
      envelopeKey,
      indexKey,
      listingKey,
      snapshotCrypto.listingKey,
      snapshotCrypto.secretsKey,
    ];
    expect(keys.every((k) => k.some((b) => b !== 0))).toBe(true);

    expect(await lifecycle.lock('manual')).toBe(true);
    expect(keys.every((k) => k.length === 32 && k.every((b) => b === 0))).toBe(true);
    expect(() => lifecycle.require()).toThrow(expect.objectContaining({ code: 'LOCKED' }));
    expect(lifecycle.state).toBe('locked');
    await expect(open.store.getTokens()).rejects.toThrow();
    lifecycle.close();
  });
});
