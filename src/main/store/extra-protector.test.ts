import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyToken } from './oauth-token';
import { SqliteTokenStore } from './sqlite-token-store';
import { tempDir, testKeychainProtector, testProtector } from './test-support/temp-store';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const token = (i: number) =>
  emptyToken({
    userName: `user${i}@example.com`,
    clientId: '1000.CLIENT',
    refreshToken: `1000.refresh${i}.aa`,
    accessToken: `1000.access${i}.bb`,
    expiryTime: '1893456000000',
  });

/** A keychain store with two tokens, closed: what the command line finds on disk. */
async function keychainStoreFile() {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const path = join(dir.dir, 'tokens.db');
  const store = await SqliteTokenStore.open({ path, protector: testKeychainProtector() });
  await store.saveToken(token(1));
  await store.saveToken(token(2));
  return { path, store };
}

function metaKeys(path: string): Record<string, string> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
    return Object.fromEntries(rows.map((row) => [row.key, row.value]));
  } finally {
    db.close();
  }
}

describe('a store with a second protector', () => {
  it('a keychain store given a passphrase opens with either, and both see the same tokens', async () => {
    const { path, store } = await keychainStoreFile();
    await expect(
      SqliteTokenStore.open({ path, protector: testProtector('second pass') }),
    ).rejects.toMatchObject({
      code: 'LOCKED',
    });
    await store.addExtraProtector(testProtector('second pass'));
    expect(store.protectorKinds()).toEqual({ primary: 'safeStorage', extra: 'passphrase' });
    store.close();

    const byPassphrase = await SqliteTokenStore.open({ path, protector: testProtector('second pass') });
    expect((await byPassphrase.getTokens()).map((t) => t.refreshToken)).toEqual([
      '1000.refresh1.aa',
      '1000.refresh2.aa',
    ]);
    await byPassphrase.saveToken(token(3));
    byPassphrase.close();

    const byKeychain = await SqliteTokenStore.open({ path, protector: testKeychainProtector() });
    expect(await byKeychain.getTokens()).toHaveLength(3);
    byKeychain.close();
  });

  it('a wrong second passphrase is told apart from a missing one, and changes nothing', async () => {
    const { path, store } = await keychainStoreFile();
    await store.addExtraProtector(testProtector('second pass'));
    store.close();
    const before = metaKeys(path);
    await expect(SqliteTokenStore.open({ path, protector: testProtector('not it') })).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    expect(metaKeys(path)).toEqual(before);
  });

  it('refuses a second protector of the kind it already has', async () => {
    const { store } = await keychainStoreFile();
    await expect(store.addExtraProtector(testKeychainProtector())).rejects.toThrow(/already protected/);
    expect(store.protectorKinds()).toEqual({ primary: 'safeStorage', extra: null });
    store.close();
  });

  it('a re-key wraps the new key for both, and never drops the second one silently', async () => {
    const { path, store } = await keychainStoreFile();
    await store.addExtraProtector(testProtector('old second'));
    const oldExtra = metaKeys(path).extra_wrapped_data_key;
    await expect(store.rotateDataKey()).rejects.toThrow(/also opens with "passphrase"/);
    expect(metaKeys(path).extra_wrapped_data_key).toBe(oldExtra);

    await store.changeProtector(testKeychainProtector(), { extra: testProtector('new second') });
    expect(metaKeys(path).extra_wrapped_data_key).not.toBe(oldExtra);
    store.close();
    await expect(
      SqliteTokenStore.open({ path, protector: testProtector('old second') }),
    ).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    const reopened = await SqliteTokenStore.open({ path, protector: testProtector('new second') });
    expect(await reopened.getTokens()).toHaveLength(2);
    reopened.close();
  });

  it('removing the second protector re-keys: the old second wrapped key opens nothing written afterwards', async () => {
    const { path, store } = await keychainStoreFile();
    await store.addExtraProtector(testProtector('second pass'));
    const stolen = metaKeys(path);
    const result = await store.removeExtraProtector(testKeychainProtector());
    expect(result.reencrypted).toBe(2);
    expect(store.protectorKinds()).toEqual({ primary: 'safeStorage', extra: null });
    const after = metaKeys(path);
    expect(after.extra_wrapped_data_key).toBeUndefined();
    expect(after.extra_protector_kind).toBeUndefined();
    store.close();
    await expect(
      SqliteTokenStore.open({ path, protector: testProtector('second pass') }),
    ).rejects.toMatchObject({
      code: 'LOCKED',
    });

    // Someone who kept the old second wrapped key puts it back: it unwraps the OLD data key, which opens
    // no row any more.
    const db = new Database(path);
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('extra_wrapped_data_key', ?), ('extra_protector_kind', 'passphrase')",
    ).run(stolen.extra_wrapped_data_key);
    db.close();
    const withStolenKey = await SqliteTokenStore.open({ path, protector: testProtector('second pass') });
    const entries = await withStolenKey.listEntries();
    expect(entries).toHaveLength(2);
    expect(entries.every((entry) => !entry.ok)).toBe(true);
    expect(await withStolenKey.getTokens()).toEqual([]);
    withStolenKey.close();
  });

  it('removing needs the first protector, and there must be a second one', async () => {
    const { store } = await keychainStoreFile();
    await expect(store.removeExtraProtector(testKeychainProtector())).rejects.toThrow(/no second protector/);
    await store.addExtraProtector(testProtector('second pass'));
    await expect(store.removeExtraProtector(testProtector('second pass'))).rejects.toThrow(/first one/);
    expect(store.protectorKinds().extra).toBe('passphrase');
    store.close();
  });
});
