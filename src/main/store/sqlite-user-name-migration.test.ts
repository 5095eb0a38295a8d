import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { emptyToken } from './oauth-token';
import { SqliteTokenStore } from './sqlite-token-store';
import { tempDir, testProtector } from './test-support/temp-store';

/**
 * Schema v3: a row TokenDesk saved under the bare email and the row the SDK saved as `<email>:<zgid>` for
 * the same client, DC and environment become one row when they hold the same refresh token (or the bare
 * one holds none). A bare-email row with another refresh token is another grant alive at Zoho: it stays.
 */
const EMAIL = 'admin@demo-us.example.com';
const SDK_NAME = `${EMAIL}:805123456`;
let cleanup: () => void = () => {};
afterEach(() => cleanup());

it('merges the same token stored under both user-name forms, and keeps a different live grant', async () => {
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  const path = join(tmp.dir, 'tokens.db');
  let store = await SqliteTokenStore.open({ path, protector: testProtector() });
  const token = (userName: string, refreshToken: string | null, clientId: string) =>
    emptyToken({
      userName,
      clientId,
      clientSecret: 'secret',
      refreshToken,
      accessToken: '1000.access',
      dataCenter: 'US',
      environment: 'production',
    });
  const sdk = token(SDK_NAME, '1000.shared', '1000.CLIENT');
  await store.saveToken(sdk);
  // What an older TokenDesk could hold: the same person under the bare email. Saved under other clients
  // (today's rules would merge them on save), then relabelled to the SDK row's client, as a v2 file had it.
  const sameToken = token(EMAIL, '1000.shared', '1000.X1');
  const noToken = token(EMAIL, null, '1000.X2');
  const otherGrant = token(EMAIL, '1000.other-live-grant', '1000.X3');
  const unrelated = token('someone@demo-us.example.com', '1000.unrelated', '1000.X4');
  for (const t of [sameToken, noToken, otherGrant, unrelated]) await store.saveToken(t);
  const db = store.database;
  db.prepare("UPDATE tokens SET client_id = '1000.CLIENT' WHERE id IN (?, ?, ?, ?)").run(
    sameToken.id,
    noToken.id,
    otherGrant.id,
    unrelated.id,
  );
  db.pragma('user_version = 2');
  store.close();

  store = await SqliteTokenStore.open({ path, protector: testProtector() });
  const ids = store.database.prepare('SELECT id FROM tokens ORDER BY id').pluck().all().map(String);
  expect(ids).toEqual([sdk.id, otherGrant.id, unrelated.id]);
  expect(store.database.pragma('user_version', { simple: true })).toBe(6);
  // The row the SDK finds is intact, with its name and secrets.
  expect(await store.findTokenById(sdk.id ?? '')).toMatchObject({
    userName: SDK_NAME,
    refreshToken: '1000.shared',
  });
  store.close();
});
