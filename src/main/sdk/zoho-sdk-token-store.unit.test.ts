import { OAuthToken, SDKException, UserSignature } from '@zohocrm/typescript-sdk-8.0';
import { beforeEach, describe, expect, it } from 'vitest';
import { emptyToken } from '../store/oauth-token';
import { MemoryTokenStore } from '../store/test-support/memory-token-store';
import { SdkAdapterError, UNKNOWN_ID_MESSAGE, ZohoSdkTokenStore } from './zoho-sdk-token-store';

const CLIENT = { clientId: '1000.CLIENT', clientSecret: 'secret-1' };

function sdkToken(fields: { refreshToken?: string; userName?: string; accessToken?: string } = {}) {
  return new OAuthToken(
    CLIENT.clientId,
    CLIENT.clientSecret,
    null,
    fields.refreshToken ?? null,
    null,
    null,
    fields.accessToken ?? null,
    fields.userName ? new UserSignature(fields.userName) : null,
  );
}

let store: MemoryTokenStore;
let us: ZohoSdkTokenStore<UserSignature, OAuthToken>;

beforeEach(async () => {
  store = new MemoryTokenStore();
  us = new ZohoSdkTokenStore(store, {
    dataCenter: 'US',
    environment: 'production',
    sdk: { OAuthToken, UserSignature, SDKException },
  });
  await store.saveToken(
    emptyToken({
      ...CLIENT,
      userName: 'eu@example.com',
      refreshToken: '1000.eu-refresh',
      accessToken: '1000.eu-access',
      dataCenter: 'EU',
      environment: 'production',
    }),
  );
});

describe('ZohoSdkTokenStore', () => {
  it('saves an SDK token stamped with its data center and environment, and sets its id', async () => {
    const token = sdkToken({
      refreshToken: '1000.us-refresh',
      accessToken: '1000.us-access',
      userName: 'us@example.com',
    });
    token.setExpiresIn('1893456000000');
    token.setAPIDomain('https://www.zohoapis.com');
    await us.saveToken(token);
    expect(token.getId()).toBe('2');
    expect(await store.findTokenById('2')).toMatchObject({
      userName: 'us@example.com',
      refreshToken: '1000.us-refresh',
      accessToken: '1000.us-access',
      expiryTime: '1893456000000',
      apiDomain: 'https://www.zohoapis.com',
      dataCenter: 'US',
      environment: 'production',
    });
  });

  it('fills only the fields the SDK token lacks and returns that same instance', async () => {
    await us.saveToken(sdkToken({ refreshToken: '1000.us-refresh', accessToken: '1000.stored-access' }));
    const probe = sdkToken({ refreshToken: '1000.us-refresh' });
    probe.setAPIDomain('https://kept.example');
    const found = await us.findToken(probe);
    expect(found).toBe(probe);
    expect(probe.getId()).toBe('2');
    expect(probe.getAccessToken()).toBe('1000.stored-access');
    expect(probe.getAPIDomain()).toBe('https://kept.example');
  });

  it('keeps to its own data center: other DCs are neither found, listed, nor deleted', async () => {
    expect(await us.findToken(sdkToken({ refreshToken: '1000.eu-refresh' }))).toBeNull();
    await expect(us.findTokenById('1')).rejects.toThrow('Given ID is invalid');
    await us.saveToken(sdkToken({ refreshToken: '1000.us-refresh', userName: 'us@example.com' }));
    const listed = await us.getTokens();
    expect(listed.map((t) => t.getUserSignature()?.getName())).toEqual(['us@example.com']);
    expect(listed[0]).toBeInstanceOf(OAuthToken);
    await us.deleteToken('1');
    await us.deleteTokens();
    expect((await store.getTokens()).map((t) => t.userName)).toEqual(['eu@example.com']);
  });

  it("returns a real SDK OAuthToken by id; an unknown id fails as the SDK's own stores do", async () => {
    await us.saveToken(sdkToken({ refreshToken: '1000.us-refresh', userName: 'us@example.com' }));
    const byId = await us.findTokenById('2');
    expect(byId).toBeInstanceOf(OAuthToken);
    expect(byId?.getRefreshToken()).toBe('1000.us-refresh');
    expect(byId?.getUserSignature()).toBeInstanceOf(UserSignature);
    const unknown = await us.findTokenById('999').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(SDKException);
    expect((unknown as Error).message).toMatch(/getTokenById - .*: Given ID is invalid$/);
    expect((unknown as SDKException).toString()).toMatch(/TOKEN_STORE/);
    // Without the SDK's exception class: the adapter's own error, same code and words.
    const bare = new ZohoSdkTokenStore(store, {
      dataCenter: 'US',
      environment: 'production',
      sdk: { OAuthToken, UserSignature },
    });
    const own = await bare.findTokenById('not-an-id').catch((e: unknown) => e);
    expect(own).toBeInstanceOf(SdkAdapterError);
    expect(own).toMatchObject({ code: 'TOKEN_STORE', message: UNKNOWN_ID_MESSAGE });
  });

  it('labels a saved token with the DC and environment of its api_domain, not the fixed options', async () => {
    const token = sdkToken({ refreshToken: '1000.eu-sandbox', userName: 'eu2@example.com' });
    token.setAPIDomain('https://sandbox.zohoapis.eu');
    await us.saveToken(token);
    expect(await store.findTokenById(token.getId() ?? '')).toMatchObject({
      dataCenter: 'EU',
      environment: 'sandbox',
      apiDomain: 'https://sandbox.zohoapis.eu',
    });
    // The same token, passed again (with its api_domain), is found where it was saved.
    const again = sdkToken({ userName: 'eu2@example.com' });
    again.setAPIDomain('https://sandbox.zohoapis.eu');
    expect((await us.findToken(again))?.getRefreshToken()).toBe('1000.eu-sandbox');
  });

  it('refuses a token that is not an OAuthToken, in plain words', async () => {
    const other = { getId: () => null };
    await expect(us.saveToken(other)).rejects.toBeInstanceOf(SdkAdapterError);
  });
});
