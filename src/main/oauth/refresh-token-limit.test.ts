import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../../sim/clock';
import { DEMO_CLIENT, DEMO_SELF_CLIENT, DEMO_USERS } from '../../../sim/demo-data';
import { startZohoSimulator, type ZohoSimulator } from '../../../sim/simulator';
import { emptyToken, type OAuthToken } from '../store/oauth-token';
import { MemoryTokenStore } from '../store/test-support/memory-token-store';
import { SessionTokenNotes } from '../tokens/session-token-notes';
import { connectZoho } from '../zoho';
import { localEndpoints } from '../zoho/endpoints';
import { runBrowserSignIn } from './browser-sign-in';
import type { SignInProgressUpdate } from './granted-token';
import {
  EVICTED_MESSAGE,
  evictedBy,
  markEvictedBySignIn,
  REFRESH_TOKENS_PER_USER_PER_CLIENT,
  refreshTokenLimitWarning,
} from './refresh-token-limit';
import { exchangeSelfClientCode } from './self-client';

/**
 * Zoho keeps 20 refresh tokens per user and client and deletes the oldest for a 21st. The simulator
 * enforces it; TokenDesk warns before such a sign-in and says so on the row Zoho deleted.
 */
const USER = DEMO_USERS.find((u) => u.dataCenter === 'US')!;
let sim: ZohoSimulator;
let clock: ManualClock;

beforeEach(async () => {
  clock = createManualClock(Date.UTC(2030, 0, 1));
  sim = await startZohoSimulator({ clock });
});
afterEach(() => sim.close());

/** A Self Client sign-in for USER, as TokenDesk makes it, with `createdAt` of the n-th token. */
async function signIn(n: number): Promise<OAuthToken> {
  const grant = sim.issueSelfClientGrantCode({
    clientId: DEMO_SELF_CLIENT.clientId,
    scopes: 'ZohoCRM.users.READ,ZohoCRM.org.READ',
    userEmail: USER.email,
  });
  clock.advance(61_000); // 10 grant codes per 10 minutes per client
  const { token } = await exchangeSelfClientCode({
    zoho: connectZoho({ endpoints: localEndpoints(sim.dataCenters), now: () => clock.now() }),
    clientId: DEMO_SELF_CLIENT.clientId,
    clientSecret: DEMO_SELF_CLIENT.clientSecret,
    dataCenter: 'US',
    environment: 'production',
    grantCode: grant.code,
  });
  // The same Zoho user in 20 CRM orgs: 20 rows, each its own SDK name (one person for Zoho's limit).
  return { ...token, id: String(n), userName: `${USER.email}:${1000 + n}`, createdAt: n };
}

describe('the 20 refresh tokens per user and client', () => {
  it('warns before a 21st, and names the row Zoho then deleted, as the simulator did', async () => {
    const held: OAuthToken[] = [];
    for (let n = 1; n <= REFRESH_TOKENS_PER_USER_PER_CLIENT; n++) held.push(await signIn(n));
    const who = { clientId: DEMO_SELF_CLIENT.clientId, dataCenter: 'US' };
    expect(refreshTokenLimitWarning(held.slice(1), who)).toBeNull();
    const warning = refreshTokenLimitWarning(held, who);
    expect(warning).toContain(USER.email);
    expect(warning).toContain('token #1');
    expect(refreshTokenLimitWarning(held, { ...who, dataCenter: 'EU' })).toBeNull();
    expect(refreshTokenLimitWarning(held, { ...who, userName: 'someone@else.example' })).toBeNull();
    expect(held.every((t) => sim.isRefreshTokenActive(t.refreshToken ?? ''))).toBe(true);

    const newest = await signIn(21);
    const evicted = evictedBy([...held, newest], newest);
    // What TokenDesk says equals what happened at Zoho.
    expect(evicted.map((t) => t.id)).toEqual(['1']);
    expect(sim.isRefreshTokenEvicted(held[0]?.refreshToken ?? '')).toBe(true);
    expect(held.slice(1).every((t) => sim.isRefreshTokenActive(t.refreshToken ?? ''))).toBe(true);
    expect(sim.activeRefreshTokenCount(USER.email, DEMO_SELF_CLIENT.clientId)).toBe(20);
  });

  it('marks the deleted row in the store: its last error and re-authorisation required', async () => {
    const store = new MemoryTokenStore();
    const notes = new SessionTokenNotes();
    const saved: OAuthToken[] = [];
    for (let n = 1; n <= REFRESH_TOKENS_PER_USER_PER_CLIENT + 1; n++) {
      const token = { ...(await signIn(n)), id: null, createdAt: null };
      await store.saveToken(token);
      saved.push(token);
    }
    const newest = saved.at(-1)?.id ?? '';
    expect(await markEvictedBySignIn(store, notes, newest)).toEqual([saved[0]?.id]);
    expect(await store.findTokenById(saved[0]?.id ?? '')).toMatchObject({ lastError: EVICTED_MESSAGE });
    expect(notes.get(saved[0]?.id ?? '')?.reauthRequired).toBe(true);
    expect(sim.isRefreshTokenEvicted(saved[0]?.refreshToken ?? '')).toBe(true);
    // Every other row is untouched, at TokenDesk and at Zoho.
    for (const t of saved.slice(1)) {
      expect((await store.findTokenById(t.id ?? ''))?.lastError).toBeNull();
      expect(notes.get(t.id ?? '')?.reauthRequired ?? false).toBe(false);
      expect(sim.isRefreshTokenActive(t.refreshToken ?? '')).toBe(true);
    }
  });

  it('counts only tokens of the same client and data center, with a refresh token', () => {
    const row = (n: number, extra: Partial<OAuthToken> = {}) =>
      emptyToken({
        id: String(n),
        userName: `${USER.email}:${n}`,
        clientId: 'C',
        dataCenter: 'US',
        refreshToken: `r${n}`,
        createdAt: n,
        ...extra,
      });
    const held = Array.from({ length: 19 }, (_, i) => row(i + 1));
    const others = [
      row(30, { clientId: 'D' }),
      row(31, { dataCenter: 'EU' }),
      row(32, { refreshToken: null }),
    ];
    expect(refreshTokenLimitWarning([...held, ...others], { clientId: 'C', dataCenter: 'US' })).toBeNull();
    expect(evictedBy([...held, ...others, row(40)], row(40))).toEqual([]);
    expect(evictedBy([...held, row(20), row(40)], row(40)).map((t) => t.id)).toEqual(['1']);
  });
});

it('the browser flow shows the warning before the consent page, so the user can cancel', async () => {
  const held = Array.from({ length: REFRESH_TOKENS_PER_USER_PER_CLIENT }, (_, i) =>
    emptyToken({
      id: String(i + 1),
      userName: USER.email,
      clientId: DEMO_CLIENT.clientId,
      dataCenter: 'US',
      environment: 'production',
      refreshToken: `1000.r${i}`,
      createdAt: i,
    }),
  );
  const progress: SignInProgressUpdate[] = [];
  let seenWhenOpened: SignInProgressUpdate[] = [];
  const cancel = new AbortController();
  const flow = runBrowserSignIn({
    zoho: connectZoho({ endpoints: localEndpoints(sim.dataCenters) }),
    opener: {
      open: async () => {
        seenWhenOpened = [...progress];
        cancel.abort();
      },
    },
    clientId: DEMO_CLIENT.clientId,
    clientSecret: DEMO_CLIENT.clientSecret,
    dataCenter: 'US',
    environment: 'production',
    scopes: ['ZohoCRM.users.READ'],
    port: 0,
    signal: cancel.signal,
    onProgress: (p) => progress.push(p),
    heldTokens: async () => held,
  });
  await expect(flow).rejects.toMatchObject({ code: 'CANCELLED' });
  expect(seenWhenOpened.at(-1)?.message).toMatch(/holds 20 for admin@demo-us\.example\.com.*token #1/);
  // Cancelled before consent: Zoho made no token, so nothing was deleted.
  expect(sim.stats.grantCodesIssued).toBe(0);
  expect(sim.activeRefreshTokenCount(USER.email, DEMO_CLIENT.clientId)).toBe(0);
});
