import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteAuditLog } from '../audit/sqlite-audit-log';
import { SqliteTokenNotes } from '../tokens/token-notes';
import {
  type BusyRetryPolicy,
  DATABASE_BUSY_MESSAGE,
  DatabaseBusyError,
  retryWhileBusy,
} from './database-busy';
import { emptyToken, type OAuthToken } from './oauth-token';
import { SqliteTokenStore } from './sqlite-token-store';
import { tempDir, testProtector } from './test-support/temp-store';
import { type HeldWriteLock, holdWriteLock } from './test-support/write-lock';

/**
 * A database whose write lock is held by a second, real process (an SDK app, the sqlite3 shell). What
 * matters is what happens on this process's event loop while a write waits, and what is true at the end;
 * no assertion depends on how fast the machine is (order of events, not durations).
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Short bounds so a test that waits for "give up" takes about a second, not three. */
const QUICK: BusyRetryPolicy = { maxWaitMs: 800, firstDelayMs: 5, maxDelayMs: 100 };

function token(n: number, fields: Partial<OAuthToken> = {}): OAuthToken {
  return emptyToken({
    userName: `user${n}@example.com`,
    clientId: '1000.CLIENT',
    dataCenter: 'US',
    environment: 'production',
    refreshToken: `1000.refresh.${n}`,
    accessToken: `1000.access.${n}`,
    ...fields,
  });
}

async function openStore(busyRetry = QUICK) {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'tokens.db');
  const store = await SqliteTokenStore.open({ path, protector: testProtector(), busyRetry });
  cleanups.push(cleanup, () => store.close());
  return { store, path };
}

async function lockedBy(path: string): Promise<HeldWriteLock> {
  const lock = await holdWriteLock(path);
  cleanups.push(() => lock.release());
  return lock;
}

/**
 * Runs `operation` and records, in order, each tick of a 1 ms interval and the moment the operation
 * settles. A blocked event loop shows as no tick before the settle.
 */
async function withTicks<T>(operation: () => Promise<T>) {
  const events: string[] = [];
  const interval = setInterval(() => events.push('tick'), 1);
  let zeroTimerFired = false;
  setTimeout(() => {
    zeroTimerFired = true;
  }, 0);
  try {
    const result = await operation().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    events.push('settled');
    return { result, ticksBefore: events.indexOf('settled'), zeroTimerFired };
  } finally {
    clearInterval(interval);
  }
}

describe('a database whose write lock another process holds', () => {
  it('a save waits without blocking the event loop, then fails with DATABASE_BUSY and writes nothing', async () => {
    const { store, path } = await openStore();
    await store.saveToken(token(1));
    await lockedBy(path);

    let readDuringWait: OAuthToken | null = null;
    const { result, ticksBefore, zeroTimerFired } = await withTicks(() => {
      const save = store.saveToken(token(2));
      // Reads answer meanwhile (WAL readers never wait for a writer).
      void store.findTokenById('1').then((t) => {
        readDuringWait = t;
      });
      return save;
    });

    // SQLite itself never waits on this thread...
    expect(store.database.pragma('busy_timeout', { simple: true })).toBe(0);
    // ...so the event loop ran while the save waited: timers fired before it settled.
    expect(zeroTimerFired).toBe(true);
    expect(ticksBefore).toBeGreaterThan(2);
    expect(readDuringWait).toMatchObject({ id: '1', userName: 'user1@example.com' });
    // What the user is told: a typed, plain-words error.
    expect(result.ok).toBe(false);
    const error = result.ok ? null : result.error;
    expect(error).toBeInstanceOf(DatabaseBusyError);
    expect(error).toMatchObject({
      code: 'DATABASE_BUSY',
      message: `${DATABASE_BUSY_MESSAGE}. Nothing was written.`,
    });
    expect(store.databaseState()).toEqual({ busy: true, pendingWrites: 0 });
    // What is true on disk, seen by another connection: only the first token.
    const other = new Database(path, { readonly: true });
    try {
      expect(other.prepare('SELECT id, user_name FROM tokens').all()).toEqual([
        { id: 1, user_name: 'user1@example.com' },
      ]);
    } finally {
      other.close();
    }
  });

  it('a save that starts while the lock is held is written once the other process lets go', async () => {
    const { store, path } = await openStore({ ...QUICK, maxWaitMs: 60_000 });
    const lock = await lockedBy(path);
    const busyChanges: boolean[] = [];
    store.onDatabaseStateChange(() => busyChanges.push(store.databaseState().busy));

    const saved = store.saveToken(token(7));
    // Released only after the store has met the lock at least once.
    await until(() => busyChanges.includes(true));
    await lock.release();
    await saved;

    expect((await store.findToken(emptyToken({ userName: 'user7@example.com' })))?.refreshToken).toBe(
      '1000.refresh.7',
    );
    expect(store.databaseState()).toEqual({ busy: false, pendingWrites: 0 });
    expect(busyChanges).toEqual([true, false]);
  });

  it('unlocks (opens a second connection) while another process holds the lock', async () => {
    const { store, path } = await openStore();
    await store.saveToken(token(1));
    await lockedBy(path);
    const second = await SqliteTokenStore.open({ path, protector: testProtector(), busyRetry: QUICK });
    try {
      expect((await second.listEntries()).map((e) => e.ok)).toEqual([true]);
    } finally {
      second.close();
    }
  });

  it('audit rows and notes wait for the lock in order, without throwing or blocking, and are then written', async () => {
    const { store, path } = await openStore();
    const audit = new SqliteAuditLog(store.database, { now: () => 1_700_000_000_000 });
    const notes = new SqliteTokenNotes(store.database);
    await store.saveToken(token(1));
    const lock = await lockedBy(path);

    const first = audit.record({ action: 'copy', outcome: 'success', tokenId: '1', detail: 'first' });
    notes.setReauthRequired('1', true);
    audit.record({ action: 'test', outcome: 'success', tokenId: '1', detail: 'second' });

    // Accepted, not written yet: the entry has no id, the state says what waits.
    expect(first.id).toBe(0);
    expect(store.databaseState()).toEqual({ busy: true, pendingWrites: 3 });
    expect(audit.list()).toEqual([]);
    // The console reads the note it was told about.
    expect(notes.get('1')?.reauthRequired).toBe(true);

    await lock.release();
    await until(() => store.databaseState().pendingWrites === 0);
    expect(audit.list().map((e) => e.detail)).toEqual(['second', 'first']);
    expect(audit.list().every((e) => e.id > 0 && e.at === 1_700_000_000_000)).toBe(true);
    expect(new SqliteTokenNotes(store.database).get('1')?.reauthRequired).toBe(true);
    expect(store.databaseState()).toEqual({ busy: false, pendingWrites: 0 });
  });

  it('reports the database free again once the other process has let go (status asks SQLite, not a guess)', async () => {
    const { store, path } = await openStore();
    const lock = await lockedBy(path);
    await expect(store.deleteToken('1')).rejects.toMatchObject({ code: 'DATABASE_BUSY' });
    expect(store.databaseState().busy).toBe(true);
    await lock.release();
    expect(store.databaseState().busy).toBe(false);
  });

  it('notices by itself that the other process has let go, with no write or status call to tell it', async () => {
    const { store, path } = await openStore();
    const lock = await lockedBy(path);
    const changes: boolean[] = [];
    store.onDatabaseStateChange(() => changes.push(store.databaseState().busy));
    await expect(store.deleteToken('1')).rejects.toMatchObject({ code: 'DATABASE_BUSY' });
    await lock.release();
    await until(() => changes.at(-1) === false);
    expect(changes).toEqual([true, false]);
  });
});

describe('retryWhileBusy', () => {
  it('passes other errors through at once and gives up on busy after its bound', async () => {
    let calls = 0;
    await expect(
      retryWhileBusy(() => {
        calls++;
        throw new TypeError('not busy');
      }),
    ).rejects.toThrow('not busy');
    expect(calls).toBe(1);

    calls = 0;
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    await expect(
      retryWhileBusy(
        () => {
          calls++;
          throw busy;
        },
        { policy: { maxWaitMs: 50, firstDelayMs: 1, maxDelayMs: 5 } },
      ),
    ).rejects.toMatchObject({ code: 'DATABASE_BUSY', cause: busy });
    expect(calls).toBeGreaterThan(1);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}
