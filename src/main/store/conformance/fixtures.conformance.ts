import { afterEach, beforeEach, expect } from 'vitest';
import { DATA_CENTERS } from '../../../shared/datacenters';
import { emptyToken, type OAuthToken } from '../oauth-token';
import type { ListableTokenStore } from '../token-store';

/** What a conformance factory returns: a fresh, empty store; `close` is called (and awaited) after each test. */
export type ConformanceStore = ListableTokenStore & { close?(): void | Promise<void> };

/**
 * What a store's format can hold. The official SDK's layout (FileStore CSV, DBStore table) has ten columns:
 * data center and environment are derived from the API domain, scopes and timestamps are not kept, and a
 * table's columns may be `varchar(255)`. Every other rule is the same for every store.
 */
export interface StoreTraits {
  /** Data center and environment come from `apiDomain`; no scopes, createdAt or updatedAt. */
  readonly sdkLayout?: boolean;
  /** Longest value a column holds (characters); longer values are refused with INVALID_TOKEN. */
  readonly maxFieldLength?: number;
}

/**
 * What every part of the conformance suite (token-store.conformance.ts) works with: a fresh store per
 * test, and tokens built and checked the way the store's traits say they come back.
 */
export function conformanceFixtures(factory: () => Promise<ConformanceStore>, traits: StoreTraits) {
  let current: ConformanceStore | null = null;
  beforeEach(async () => {
    current = await factory();
  });
  afterEach(async () => {
    await current?.close?.();
    current = null;
  });
  /** The store of the running test. */
  const store = (): ConformanceStore => {
    if (!current) throw new Error('The conformance store exists only while a test runs.');
    return current;
  };

  const sdkLayout = traits.sdkLayout === true;
  /** What the store gives back for scopes it was given. */
  const keptScopes = (scopes: string[]) => (sdkLayout ? null : scopes);
  /** A value cut to what the store's columns hold. */
  const fitted = (value: string) =>
    traits.maxFieldLength === undefined ? value : [...value].slice(0, traits.maxFieldLength - 12).join('');

  const full = (fields: Partial<OAuthToken>) => {
    const token = emptyToken({
      clientId: '1000.CLIENT',
      clientSecret: 'client-secret',
      refreshToken: '1000.refresh',
      accessToken: '1000.access',
      expiryTime: '1893456000000',
      redirectUrl: 'http://127.0.0.1:53682/callback',
      apiDomain: 'https://www.zohoapis.com',
      dataCenter: 'US',
      environment: 'production',
      scopes: ['ZohoCRM.users.READ', 'ZohoCRM.org.READ'],
      ...fields,
    });
    // In the SDK's layout the API domain is what says where a token belongs.
    if (sdkLayout && fields.apiDomain === undefined && token.dataCenter && token.environment) {
      token.apiDomain = DATA_CENTERS[token.dataCenter].apiDomains[token.environment];
    }
    return token;
  };

  const saved = async (token: OAuthToken) => {
    await store().saveToken(token);
    expect(token.id).toMatch(/^[1-9][0-9]*$/);
    return token;
  };

  return { store, traits, sdkLayout, keptScopes, fitted, full, saved };
}

export type ConformanceFixtures = ReturnType<typeof conformanceFixtures>;
