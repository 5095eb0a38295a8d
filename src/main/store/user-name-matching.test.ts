import { afterEach, describe, expect, it } from 'vitest';
import { emptyToken, type OAuthToken } from './oauth-token';
import { MemoryTokenStore } from './test-support/memory-token-store';
import { openTempStore } from './test-support/temp-store';
import type { TokenStore } from './token-store';

/**
 * One person under either user-name form (sdk-user-name.ts): the SDK's `<email>:<zgid>` and a bare email.
 * Both stores answer lookups the same way, through the shared matching rules.
 */
const EMAIL = 'admin@demo-us.example.com';
const SDK_NAME = `${EMAIL}:805123456`;
const row = (userName: string, refreshToken: string, extra: Partial<OAuthToken> = {}) =>
  emptyToken({
    userName,
    clientId: '1000.CLIENT',
    clientSecret: 'secret',
    refreshToken,
    accessToken: `${refreshToken}-access`,
    dataCenter: 'US',
    environment: 'production',
    ...extra,
  });
const probe = (userName: string, extra: Partial<OAuthToken> = {}) =>
  emptyToken({ userName, clientId: '1000.CLIENT', dataCenter: 'US', environment: 'production', ...extra });

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

const stores: [string, () => Promise<TokenStore>][] = [
  ['memory', async () => new MemoryTokenStore()],
  [
    'sqlite',
    async () => {
      const { store, cleanup } = await openTempStore();
      closers.push(() => {
        store.close();
        cleanup();
      });
      return store;
    },
  ],
];

describe.each(stores)('%s store: the SDK name and the bare email are one person', (_name, open) => {
  it('a bare-email lookup finds the SDK-named row, and the SDK name finds a bare-email row', async () => {
    const store = await open();
    await store.saveToken(row(SDK_NAME, '1000.sdk'));
    expect((await store.findToken(probe(EMAIL)))?.refreshToken).toBe('1000.sdk');

    const other = await open();
    await other.saveToken(row(EMAIL, '1000.bare'));
    expect((await other.findToken(probe(SDK_NAME)))?.refreshToken).toBe('1000.bare');
  });

  it('two orgs (zgids) are two people; another environment is another token', async () => {
    const store = await open();
    await store.saveToken(row(`${EMAIL}:999`, '1000.other-org'));
    await store.saveToken(row(SDK_NAME, '1000.sdk'));
    await store.saveToken(row(SDK_NAME, '1000.sandbox', { environment: 'sandbox' }));
    expect(await store.getTokens()).toHaveLength(3);
    expect((await store.findToken(probe(SDK_NAME)))?.refreshToken).toBe('1000.sdk');
    expect((await store.findToken(probe(`${EMAIL}:999`)))?.refreshToken).toBe('1000.other-org');
    expect((await store.findToken(probe(SDK_NAME, { environment: 'sandbox' })))?.refreshToken).toBe(
      '1000.sandbox',
    );
    expect(await store.findToken(probe('someone@demo-us.example.com'))).toBeNull();
    expect(await store.findToken(probe(`${EMAIL}x`))).toBeNull();
  });

  it('a save under the bare email updates the SDK-named row and keeps the name the SDK finds', async () => {
    const store = await open();
    const sdkRow = row(SDK_NAME, '1000.sdk');
    await store.saveToken(sdkRow);
    await store.saveToken(row(EMAIL, '1000.new'));
    const all = await store.getTokens();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ id: sdkRow.id, userName: SDK_NAME, refreshToken: '1000.new' });
  });

  it('a save under the SDK name upgrades a bare-email row to that name', async () => {
    const store = await open();
    const bare = row(EMAIL, '1000.bare');
    await store.saveToken(bare);
    await store.saveToken(row(SDK_NAME, '1000.bare'));
    const all = await store.getTokens();
    expect(all.map((t) => [t.id, t.userName])).toEqual([[bare.id, SDK_NAME]]);
  });
});
