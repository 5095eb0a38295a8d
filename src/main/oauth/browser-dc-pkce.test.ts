import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT } from '../../../sim/demo-data';
import { startZohoSimulator, type ZohoSimulator } from '../../../sim/simulator';
import type { SimUser } from '../../../sim/types';
import { connectZoho } from '../zoho';
import { localEndpoints } from '../zoho/endpoints';
import { runBrowserSignIn } from './browser-sign-in';
import { SignInError } from './errors';
import { SimBrowser } from './test-support/sim-browser';

/** The browser flow against a simulator running US and UK: Zoho's multi-DC redirect, and PKCE. */
const UK_USER: SimUser = {
  email: 'admin@demo-uk.example.com',
  fullName: 'Una Kingdom',
  zuid: '700000009',
  dataCenter: 'UK',
  orgName: 'Demo Ltd (UK)',
};
const US_USER: SimUser = { ...UK_USER, email: 'admin@demo-us2.example.com', dataCenter: 'US', zuid: '7001' };
const SCOPES = ['ZohoCRM.users.READ', 'ZohoCRM.org.READ'];

let sim: ZohoSimulator;
/** Token endpoint requests, by origin, with whether a code_verifier was sent. */
let tokenRequests: { origin: string; verifier: string | null }[] = [];

beforeAll(async () => {
  sim = await startZohoSimulator({ dataCenters: ['US', 'UK'], users: [UK_USER, US_USER] });
});
afterAll(() => sim.close());

function signIn(browser: SimBrowser) {
  tokenRequests = [];
  const zoho = connectZoho({
    endpoints: localEndpoints(sim.dataCenters),
    fetch: async (input, init) => {
      if (input.pathname === '/oauth/v2/token') {
        const body = new URLSearchParams(String(init.body));
        tokenRequests.push({ origin: input.origin, verifier: body.get('code_verifier') });
      }
      return fetch(input, init);
    },
  });
  return runBrowserSignIn({
    zoho,
    opener: browser,
    clientId: DEMO_CLIENT.clientId,
    clientSecret: DEMO_CLIENT.clientSecret,
    dataCenter: 'US',
    environment: 'production',
    scopes: SCOPES,
    port: 0,
  });
}

describe('multi-DC callback', () => {
  it('a UK user who starts at US is signed in at the UK accounts server', async () => {
    const browser = new SimBrowser(sim, { email: UK_USER.email });
    const granted = await signIn(browser);
    const [visit] = await browser.finished();
    const callback = new URL(visit?.callbackUrl ?? '');
    expect(callback.searchParams.get('location')).toBe('uk');
    expect(callback.searchParams.get('accounts-server')).toBe(sim.dataCenter('UK').accountsUrl);
    expect(tokenRequests.map((r) => r.origin)).toEqual([sim.dataCenter('UK').accountsUrl]);
    expect(granted.token).toMatchObject({ dataCenter: 'UK', apiDomain: sim.dataCenter('UK').apiDomain });
    expect(sim.isRefreshTokenActive(granted.token.refreshToken ?? '')).toBe(true);
  });

  it('refuses a callback whose location and accounts-server name different data centers', async () => {
    const browser = new SimBrowser(sim, {
      email: UK_USER.email,
      callbacks: [
        (real) => {
          real.searchParams.set('location', 'us');
          return real;
        },
      ],
    });
    const err = await signIn(browser).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignInError);
    expect((err as SignInError).code).toBe('UNTRUSTED_ACCOUNTS_SERVER');
    // Nothing was sent to any token endpoint: no secret left, no token was made.
    expect(tokenRequests).toEqual([]);
    expect(sim.activeRefreshTokenCount(UK_USER.email, DEMO_CLIENT.clientId)).toBe(1);
  });
});

describe('PKCE (RFC 7636) on the browser flow', () => {
  it('sends an S256 challenge and redeems the code with its verifier', async () => {
    const browser = new SimBrowser(sim, { email: US_USER.email });
    const granted = await signIn(browser);
    const auth = new URL(browser.openedUrls[0] ?? '');
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    const challenge = auth.searchParams.get('code_challenge') ?? '';
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const verifier = tokenRequests[0]?.verifier ?? '';
    expect(verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(challenge);
    // The verifier never went through the browser.
    expect(browser.openedUrls.join(' ')).not.toContain(verifier);
    expect(sim.isRefreshTokenActive(granted.token.refreshToken ?? '')).toBe(true);
  });

  it('the simulator refuses a code issued with a challenge when the verifier is missing or wrong', async () => {
    const verifier = 'a'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = 'http://127.0.0.1:1/callback';
    sim.allowRedirectUri(DEMO_CLIENT.clientId, redirectUri);
    const us = sim.dataCenter('US').accountsUrl;
    const code = async () => {
      const form = new URLSearchParams({
        client_id: DEMO_CLIENT.clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'ZohoCRM.users.READ',
        access_type: 'offline',
        prompt: 'consent',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        email: US_USER.email,
        decision: 'accept',
      });
      const res = await fetch(`${us}/oauth/v2/auth/approve`, {
        method: 'POST',
        body: form,
        redirect: 'manual',
      });
      return new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
    };
    const exchange = async (c: string, extra: Record<string, string>) =>
      (
        await fetch(`${us}/oauth/v2/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            client_id: DEMO_CLIENT.clientId,
            client_secret: DEMO_CLIENT.clientSecret,
            redirect_uri: redirectUri,
            code: c,
            ...extra,
          }),
        })
      ).json();
    expect(await exchange(await code(), {})).toEqual({ error: 'invalid_code' });
    expect(await exchange(await code(), { code_verifier: 'b'.repeat(43) })).toEqual({
      error: 'invalid_code',
    });
    expect(await exchange(await code(), { code_verifier: verifier })).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
  });
});
