import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/ipc/views';
import type { TokenDeskCore } from '../core/core';
import { DB_FILE } from '../core/store-lifecycle';
import {
  type CoreEvent,
  startTestCore,
  TEST_PASSPHRASE,
  testPassphraseProtector,
} from '../core/test-support/test-core';
import { emptyToken } from '../store/oauth-token';
import { SqliteTokenStore } from '../store/sqlite-token-store';
import { tempDir } from '../store/test-support/temp-store';
import { SqlitePendingRevokeStore } from '../tokens/pending-revoke-store';
import { sealBackup } from './backup-file';

const PASS = TEST_PASSPHRASE;
const protector = testPassphraseProtector;
const DAY = 86_400_000;

let data: { dir: string; cleanup: () => void };
let elsewhere: { dir: string; cleanup: () => void };
let core: TokenDeskCore | null;
let now: number;
let events: CoreEvent[];

beforeEach(() => {
  data = tempDir();
  elsewhere = tempDir();
  core = null;
  now = Date.UTC(2030, 0, 1);
  events = [];
});
afterEach(async () => {
  await core?.close();
  data.cleanup();
  elsewhere.cleanup();
});

async function start() {
  const app = await startTestCore({
    dataDir: data.dir,
    notify: (event, payload) => events.push({ event, payload }),
    clock: { now: () => now },
  });
  core = app.core;
  return app;
}

/** Tokens written by another program on the same file (an SDK app), with recognisable secrets. */
async function saveTokens(passphrase: string, names: readonly string[]) {
  const store = await SqliteTokenStore.open({
    path: join(data.dir, DB_FILE),
    protector: protector(passphrase),
  });
  try {
    for (const name of names) {
      await store.saveToken(
        emptyToken({
          userName: `${name}@example.com`,
          clientId: '1000.CLIENT',
          clientSecret: `secret-of-${name}`,
          refreshToken: `1000.refresh-of-${name}`,
          accessToken: `1000.access-of-${name}`,
          dataCenter: 'US',
          environment: 'production',
        }),
      );
    }
  } finally {
    store.close();
  }
}

async function withStore<T>(passphrase: string, use: (store: SqliteTokenStore) => T): Promise<T> {
  const store = await SqliteTokenStore.open({
    path: join(data.dir, DB_FILE),
    protector: protector(passphrase),
  });
  try {
    return use(store);
  } finally {
    store.close();
  }
}

async function storedRefreshTokens(passphrase: string): Promise<string[]> {
  const store = await SqliteTokenStore.open({
    path: join(data.dir, DB_FILE),
    protector: protector(passphrase),
  });
  try {
    return (await store.getTokens()).map((t) => t.refreshToken ?? '');
  } finally {
    store.close();
  }
}

describe('backup and restore of the whole store', () => {
  it('writes an encrypted backup and restores it with the passphrase, keeping the replaced store', async () => {
    const { ok } = await start();
    await ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    expect(await ok('getBackupStatus')).toMatchObject({
      lastBackupAt: null,
      reminderDue: true,
      fileDialogs: false,
    });
    await saveTokens(PASS, ['ann', 'bob', 'cy']);

    const path = join(elsewhere.dir, 'store.tdbackup');
    const written = await ok<{ outcome: string; tokens: number; bytes: number; at: number }>('createBackup', {
      path,
    });
    expect(written).toMatchObject({ outcome: 'written', tokens: 3, at: now });
    // Encrypted as a whole: no secret, no user name, not even SQLite's header, in the file.
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(written.bytes);
    for (const text of [
      'secret-of-ann',
      '1000.refresh-of-bob',
      'cy@example.com',
      'SQLite format 3',
      'audit_log',
    ]) {
      expect(bytes.includes(Buffer.from(text)), text).toBe(false);
    }
    expect(await ok('getBackupStatus')).toMatchObject({ lastBackupAt: now, reminderDue: false });
    expect(events.filter((e) => e.event === 'backup.progress').at(-1)?.payload).toEqual({
      operation: 'backup',
      stage: 'done',
      percent: 100,
    });

    // The store moves on: one token deleted, one added.
    await ok('deleteToken', { id: '1', revoke: false });
    await saveTokens(PASS, ['dee']);
    // And a refresh token waiting to be revoked (replaced by a sign-in whose revoke of it failed).
    await withStore(PASS, (store) =>
      new SqlitePendingRevokeStore(store).add({
        tokenId: '9',
        userName: 'eve@example.com',
        clientId: '1000.CLIENT',
        dataCenter: 'US',
        environment: 'production',
        apiDomain: 'https://www.zohoapis.com',
        reason: 'replaced by a new sign-in',
        createdAt: now,
        attempts: 1,
        lastAttemptAt: now,
        nextAttemptAt: now + 60_000,
        lastError: 'Zoho answered 500',
        refreshToken: '1000.refresh-of-eve',
        clientSecret: 'secret-of-eve',
      }),
    );
    now += DAY;

    const restored = await ok<{ outcome: string; tokens: number; previousStoreKeptAs: string }>(
      'restoreBackup',
      { path, passphrase: PASS },
    );
    expect(restored).toMatchObject({
      outcome: 'restored',
      tokens: 3,
      keptTokens: 1,
      backupMadeAt: now - DAY,
    });
    // On disk: the backed-up tokens, secrets intact (ann is back), and dee, added since and live at Zoho,
    // kept rather than left unheld; the store stays unlocked.
    expect((await storedRefreshTokens(PASS)).sort()).toEqual([
      '1000.refresh-of-ann',
      '1000.refresh-of-bob',
      '1000.refresh-of-cy',
      '1000.refresh-of-dee',
    ]);
    expect(await ok('getStatus')).toMatchObject({ store: 'unlocked' });
    const pending = await withStore(PASS, (store) => new SqlitePendingRevokeStore(store).list());
    expect(pending.map((p) => p.refreshToken)).toEqual(['1000.refresh-of-eve']);
    // The replaced store is kept in the data folder, and holds what was replaced.
    const kept = join(data.dir, restored.previousStoreKeptAs);
    const keptDb = new Database(kept, { readonly: true });
    expect(keptDb.prepare('SELECT user_name FROM tokens ORDER BY id').pluck().all()).toEqual([
      'bob@example.com',
      'cy@example.com',
      'dee@example.com',
    ]);
    keptDb.close();
    // Audited in the restored store, which also keeps the backup's own audit rows.
    const audit = await ok<AuditEntry[]>('listAudit', {});
    expect(audit[0]).toMatchObject({ action: 'restore', outcome: 'success' });
    expect(audit[0]?.detail).toContain('Restored 3 tokens from store.tdbackup');
    // The audit trail is not rolled back: what happened after the backup (the backup itself, the delete)
    // is carried over into the restored store.
    expect(audit.some((e) => e.action === 'backup' && e.outcome === 'success')).toBe(true);
    expect(audit.some((e) => e.action === 'delete' && e.tokenId === '1')).toBe(true);
    expect(events).toContainEqual({ event: 'tokens.changed', payload: { reason: 'restore' } });
  });

  it('refuses a wrong passphrase, a damaged file and a file that is not a backup, replacing nothing', async () => {
    const { ok, call } = await start();
    await ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await saveTokens(PASS, ['ann']);
    const path = join(elsewhere.dir, 'store.tdbackup');
    await ok('createBackup', { path });
    await saveTokens(PASS, ['bob']);
    const before = await storedRefreshTokens(PASS);

    expect(await call('restoreBackup', { path, passphrase: 'not the passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'BACKUP_WRONG_PASSPHRASE', message: 'That passphrase does not open this backup.' },
    });

    const damaged = join(elsewhere.dir, 'damaged.tdbackup');
    const bytes = readFileSync(path);
    bytes[bytes.length - 10]! ^= 0x01;
    writeFileSync(damaged, bytes);
    expect(await call('restoreBackup', { path: damaged, passphrase: PASS })).toMatchObject({
      ok: false,
      error: { code: 'BACKUP_DAMAGED' },
    });

    for (const notOurs of [join(data.dir, DB_FILE), join(elsewhere.dir, 'notes.txt')]) {
      if (!existsSync(notOurs)) writeFileSync(notOurs, 'just some text');
      expect(await call('restoreBackup', { path: notOurs, passphrase: PASS })).toMatchObject({
        ok: false,
        error: { code: 'NOT_A_BACKUP', message: 'This file is not a TokenDesk backup.' },
      });
    }

    // Nothing replaced, nothing kept aside, the store still open; each failure audited.
    expect(await storedRefreshTokens(PASS)).toEqual(before);
    expect(readdirSync(data.dir).filter((f) => f.includes('before-restore') || f.endsWith('.tmp'))).toEqual(
      [],
    );
    expect(await ok('getStatus')).toMatchObject({ store: 'unlocked' });
    const failures = (await ok<AuditEntry[]>('listAudit', { action: 'restore' })).map((e) => e.outcome);
    expect(failures).toEqual(['failure', 'failure', 'failure', 'failure']);
  });

  it('checks every row of the backup before replacing anything', async () => {
    const { ok, call } = await start();
    await ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await saveTokens(PASS, ['ann', 'bob']);
    // A backup of a store whose row 2 was relabelled (as if edited outside TokenDesk), sealed properly.
    const snapshotPath = join(elsewhere.dir, 'snapshot.db');
    const store = await SqliteTokenStore.open({ path: join(data.dir, DB_FILE), protector: protector(PASS) });
    try {
      await store.database.backup(snapshotPath);
      const snap = new Database(snapshotPath);
      snap.pragma('journal_mode = DELETE');
      snap.prepare("UPDATE tokens SET user_name = 'mallory@example.com' WHERE id = 2").run();
      snap.close();
      const { wrapped, kind } = store.wrappedDataKey();
      const key = store.deriveKey('backup-file');
      const sealed = sealBackup(
        { format: 'tokendesk-backup', createdAt: now, protectorKind: kind, wrappedKey: wrapped, tokens: 2 },
        readFileSync(snapshotPath),
        key,
      );
      writeFileSync(join(elsewhere.dir, 'tampered.tdbackup'), sealed);
    } finally {
      store.close();
    }
    expect(
      await call('restoreBackup', { path: join(elsewhere.dir, 'tampered.tdbackup'), passphrase: PASS }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BACKUP_ROWS_UNREADABLE', message: expect.stringContaining('2') },
    });
    expect(await storedRefreshTokens(PASS)).toEqual(['1000.refresh-of-ann', '1000.refresh-of-bob']);
  });

  it('restores a backup made before a passphrase change with the passphrase it was made under', async () => {
    const { ok, call } = await start();
    await ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await saveTokens(PASS, ['ann']);
    const path = join(elsewhere.dir, 'old.tdbackup');
    await ok('createBackup', { path });
    const NEW = 'a brand new passphrase';
    await ok('changePassphrase', { current: PASS, next: NEW });

    expect(await call('restoreBackup', { path, passphrase: NEW })).toMatchObject({
      ok: false,
      error: { code: 'BACKUP_WRONG_PASSPHRASE' },
    });
    await ok('restoreBackup', { path, passphrase: PASS });
    // The restored store is the backup, key protection included.
    expect(await storedRefreshTokens(PASS)).toEqual(['1000.refresh-of-ann']);
  });

  it('refuses unsafe destinations and never overwrites a file by a typed path', async () => {
    const { ok, call } = await start();
    await ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const taken = join(elsewhere.dir, 'taken.tdbackup');
    writeFileSync(taken, 'keep me');
    expect(await call('createBackup', { path: taken })).toMatchObject({
      ok: false,
      error: { code: 'BACKUP_EXISTS' },
    });
    expect(readFileSync(taken, 'utf8')).toBe('keep me');
    expect(await call('createBackup', { path: 'relative.tdbackup' })).toMatchObject({
      ok: false,
      error: { code: 'BACKUP_PATH_INVALID' },
    });
    expect(await call('createBackup', { path: join(data.dir, DB_FILE) })).toMatchObject({
      ok: false,
      error: { code: 'BACKUP_PATH_INVALID' },
    });
    expect(await call('createBackup', {})).toMatchObject({ ok: false, error: { code: 'BACKUP_NO_PATH' } });
  });

  it('reminds when there has been no backup for 30 days', async () => {
    const { ok } = await start();
    await ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await ok('createBackup', { path: join(elsewhere.dir, 'a.tdbackup') });
    now += 30 * DAY;
    expect(await ok('getBackupStatus')).toMatchObject({ reminderDue: false, remindAfterDays: 30 });
    now += 1;
    expect(await ok('getBackupStatus')).toMatchObject({ reminderDue: true });
  });
});
