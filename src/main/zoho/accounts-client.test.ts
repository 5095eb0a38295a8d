import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../../sim/clock';
import { DEFAULT_REDIRECT_URI, DEMO_CLIENT, DEMO_SELF_CLIENT } from '../../../sim/demo-data';
import { simulatorEndpoints } from '../../../sim/endpoints';
import { startZohoSimulator, type ZohoSimulator } from '../../../sim/simulator';
import { EU_USER, grantCode, US_USER, ZOHO_TOKEN_SHAPE } from '../../../sim/test-support';
import { AppError } from '../errors';
import { setLogSink } from '../log';
import { type AccountsClient, createAccountsClient } from './accounts-client';
import { ZohoError, type ZohoErrorCode } from './errors';
import type { FetchLike } from './http';

const NOW = 1_750_000_000_000;
let sim: ZohoSimulator;
let clock: ManualClock;
let client: AccountsClient;

// Logging is exercised (and scanned for secrets) in secrets.test.ts; keep this output quiet.
let restoreLogs: () => void;
beforeAll(() => {
  restoreLogs = setLogSink(() => {});
});
afterAll(() => restoreLogs());

beforeEach(async () => {
  clock = createManualClock(NOW);
  sim = await startZohoSimulator({ clock });
  client = createAccountsClient({ endpoints: simulatorEndpoints(sim), now: () => NOW, timeoutMs: 5_000 });
});
afterEach(() => sim.close());

const creds = { clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret };

async function exchangeNew(options: Parameters<typeof grantCode>[1] = {}) {
  const cb = await grantCode(sim, options);
  return client.exchangeCode({
    ...creds,
    accountsServer: cb.accountsServer,
    code: cb.code,
    redirectUri: DEFAULT_REDIRECT_URI,
  });
}

async function expectZohoError(promise: Promise<unknown>, code: ZohoErrorCode): Promise<ZohoError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZohoError);
  // An AppError, so the IPC router and the flows pass its plain words through as they are.
  expect(error).toBeInstanceOf(AppError);
  const z = error as ZohoError;
  expect(z.code).toBe(code);
  expect(z.message.length).toBeGreaterThan(10);
  expect(z.hint?.length).toBeGreaterThan(10);
  return z;
}

/** A fetch that answers every request with `body` (for answers the simulator does not produce). */
function answering(body: string, status = 200): FetchLike {
  return async () => new Response(body, { status, headers: { 'content-type': 'application/json' } });
}

describe('exchangeCode', () => {
  it('returns the tokens, api_domain and the SDK expiry (now + expires_in*1000, as a string)', async () => {
    const grant = await exchangeNew();
    expect(grant.accessToken).toMatch(ZOHO_TOKEN_SHAPE);
    expect(grant.refreshToken).toMatch(ZOHO_TOKEN_SHAPE);
    expect(grant.refreshTokenIsNew).toBe(true);
    expect(grant.apiDomain).toBe(sim.dataCenter('US').apiDomain);
    expect(grant.tokenType).toBe('Bearer');
    expect(grant.expiresInMs).toBe(3_600_000);
    expect(grant.expiryTime).toBe(String(NOW + 3_600_000));
  });

  it('sends a form-urlencoded body to the token endpoint, nothing in the URL', async () => {
    const seen: { url: string; contentType: string | null; body: string }[] = [];
    const spying: FetchLike = async (url, init) => {
      const req = new Request(url, init);
      seen.push({
        url: url.toString(),
        contentType: req.headers.get('content-type'),
        body: await req.clone().text(),
      });
      return fetch(req);
    };
    const c = createAccountsClient({ endpoints: simulatorEndpoints(sim), fetch: spying });
    const cb = await grantCode(sim);
    await c.exchangeCode({
      ...creds,
      accountsServer: cb.accountsServer,
      code: cb.code,
      redirectUri: DEFAULT_REDIRECT_URI,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(`${sim.dataCenter('US').accountsUrl}/oauth/v2/token`);
    expect(seen[0]?.contentType).toContain('application/x-www-form-urlencoded');
    expect(new URLSearchParams(seen[0]?.body).get('grant_type')).toBe('authorization_code');
  });

  it('honours the access-token lifetime the server gives', async () => {
    sim.setAccessTokenLifetime(90);
    expect((await exchangeNew()).expiryTime).toBe(String(NOW + 90_000));
  });

  it('treats expires_in as ms when the answer also has expires_in_sec', async () => {
    sim.setExpiresInStyle('legacy-ms');
    const grant = await exchangeNew();
    expect(grant.expiresInMs).toBe(3_600_000);
    expect(grant.expiryTime).toBe(String(NOW + 3_600_000));
  });

  it('exchanges a Self Client code without a redirect URI', async () => {
    const code = sim.issueSelfClientGrantCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      scopes: ['ZohoCRM.users.READ'],
      userEmail: US_USER.email,
    });
    const grant = await client.exchangeCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      clientSecret: DEMO_SELF_CLIENT.clientSecret,
      accountsServer: code.accountsServer,
      code: code.code,
    });
    expect(grant.refreshToken).toMatch(ZOHO_TOKEN_SHAPE);
  });

  it('INVALID_CODE for an unknown code and for a reused one', async () => {
    const cb = await grantCode(sim);
    const input = {
      ...creds,
      accountsServer: cb.accountsServer,
      code: cb.code,
      redirectUri: DEFAULT_REDIRECT_URI,
    };
    await expectZohoError(client.exchangeCode({ ...input, code: '1000.0.0' }), 'INVALID_CODE');
    await client.exchangeCode(input);
    const reused = await expectZohoError(client.exchangeCode(input), 'INVALID_CODE');
    expect(reused.zohoCode).toBe('invalid_code');
    expect(reused.message).toMatch(/already used|expired/);
  });

  it('INVALID_CODE for an expired code (clock moved 2 minutes)', async () => {
    const cb = await grantCode(sim);
    clock.advance(120_000);
    await expectZohoError(
      client.exchangeCode({
        ...creds,
        accountsServer: cb.accountsServer,
        code: cb.code,
        redirectUri: DEFAULT_REDIRECT_URI,
      }),
      'INVALID_CODE',
    );
  });

  it('INVALID_CLIENT for a wrong secret', async () => {
    const cb = await grantCode(sim);
    await expectZohoError(
      client.exchangeCode({
        ...creds,
        clientSecret: 'wrong',
        accountsServer: cb.accountsServer,
        code: cb.code,
        redirectUri: DEFAULT_REDIRECT_URI,
      }),
      'INVALID_CLIENT',
    );
  });

  it('INVALID_REDIRECT_URI when the redirect URI differs from the authorization request', async () => {
    const cb = await grantCode(sim);
    await expectZohoError(
      client.exchangeCode({
        ...creds,
        accountsServer: cb.accountsServer,
        code: cb.code,
        redirectUri: 'http://127.0.0.1:1/x',
      }),
      'INVALID_REDIRECT_URI',
    );
  });

  it('an EU code is exchanged at the EU server; at the US server it is INVALID_CODE', async () => {
    const cb = await grantCode(sim, { userEmail: EU_USER.email });
    const input = { ...creds, code: cb.code, redirectUri: DEFAULT_REDIRECT_URI };
    await expectZohoError(
      client.exchangeCode({ ...input, accountsServer: sim.dataCenter('US').accountsUrl }),
      'INVALID_CODE',
    );
    const grant = await client.exchangeCode({ ...input, accountsServer: cb.accountsServer });
    expect(grant.apiDomain).toBe(sim.dataCenter('EU').apiDomain);
  });

  it('UNTRUSTED_SERVER before any request when accounts-server is not a known one', async () => {
    let calls = 0;
    const c = createAccountsClient({
      endpoints: simulatorEndpoints(sim),
      fetch: async () => {
        calls += 1;
        return new Response('{}');
      },
    });
    for (const server of [
      'https://accounts.zoho.com',
      'http://127.0.0.1:1',
      `${sim.dataCenter('US').accountsUrl}/x`,
    ]) {
      await expectZohoError(
        c.exchangeCode({ ...creds, accountsServer: server, code: '1000.a.b' }),
        'UNTRUSTED_SERVER',
      );
    }
    expect(calls).toBe(0);
  });

  it('UNTRUSTED_SERVER when the answer names an unknown api_domain', async () => {
    const c = createAccountsClient({
      endpoints: simulatorEndpoints(sim),
      fetch: answering(
        JSON.stringify({ access_token: '1000.a.b', api_domain: 'https://evil.example', expires_in: 3600 }),
      ),
    });
    await expectZohoError(
      c.exchangeCode({ ...creds, accountsServer: sim.dataCenter('US').accountsUrl, code: '1000.a.b' }),
      'UNTRUSTED_SERVER',
    );
  });
});

describe('refresh', () => {
  it('gets a new access token and keeps the refresh token when none is sent', async () => {
    const first = await exchangeNew();
    const rt = first.refreshToken ?? '';
    const grant = await client.refresh({
      ...creds,
      accountsServer: sim.dataCenter('US').accountsUrl,
      refreshToken: rt,
    });
    expect(grant.accessToken).not.toBe(first.accessToken);
    expect(grant.refreshToken).toBe(rt);
    expect(grant.refreshTokenIsNew).toBe(false);
    expect(grant.expiryTime).toBe(String(NOW + 3_600_000));
    expect(sim.stats.refreshesByToken.get(rt)).toBe(1);
  });

  it('keeps a new refresh token when Zoho sends one', async () => {
    const c = createAccountsClient({
      endpoints: simulatorEndpoints(sim),
      now: () => NOW,
      fetch: answering(
        JSON.stringify({
          access_token: '1000.new.at',
          refresh_token: '1000.new.rt',
          api_domain: sim.dataCenter('US').apiDomain,
          token_type: 'Bearer',
          expires_in: '3600',
        }),
      ),
    });
    const grant = await c.refresh({
      ...creds,
      accountsServer: sim.dataCenter('US').accountsUrl,
      refreshToken: '1000.old.rt',
    });
    expect(grant.refreshToken).toBe('1000.new.rt');
    expect(grant.refreshTokenIsNew).toBe(true);
    expect(grant.expiryTime).toBe(String(NOW + 3_600_000));
    expect(grant.accessToken).toBe('1000.new.at');
    expect(grant.apiDomain).toBe(sim.dataCenter('US').apiDomain);
  });

  it('an EU refresh token refreshes at the EU server and is refused (INVALID_CODE) at the US server', async () => {
    const rt = (await exchangeNew({ userEmail: EU_USER.email })).refreshToken ?? '';
    const us = await expectZohoError(
      client.refresh({ ...creds, accountsServer: sim.dataCenter('US').accountsUrl, refreshToken: rt }),
      'INVALID_CODE',
    );
    expect(us.message).toMatch(/refresh token/);
    const eu = await client.refresh({
      ...creds,
      accountsServer: sim.dataCenter('EU').accountsUrl,
      refreshToken: rt,
    });
    expect(eu.apiDomain).toBe(sim.dataCenter('EU').apiDomain);
  });

  it('THROTTLED after 10 refreshes in 10 minutes', async () => {
    const rt = (await exchangeNew()).refreshToken ?? '';
    const input = { ...creds, accountsServer: sim.dataCenter('US').accountsUrl, refreshToken: rt };
    for (let i = 0; i < 10; i++) await client.refresh(input);
    const e = await expectZohoError(client.refresh(input), 'THROTTLED');
    expect(e.hint).toMatch(/Wait/);
    // The simulator answered with the wording of Zoho's token-limits page, not the older one.
    expect(e.zohoCode).toBe('Access Denied');
    expect(e.message).not.toMatch(/declined/);
  });

  it('INVALID_CODE for a revoked refresh token', async () => {
    const rt = (await exchangeNew()).refreshToken ?? '';
    const accountsServer = sim.dataCenter('US').accountsUrl;
    await client.revoke({ accountsServer, token: rt });
    await expectZohoError(client.refresh({ ...creds, accountsServer, refreshToken: rt }), 'INVALID_CODE');
  });

  it.each([
    ['invalid_client', 'INVALID_CLIENT'],
    ['5xx', 'SERVER_ERROR'],
    ['drop', 'NETWORK'],
  ] as const)('maps an injected %s fault to %s', async (fault, code) => {
    const rt = (await exchangeNew()).refreshToken ?? '';
    sim.injectFault({ kind: 'refresh', fault });
    const e = await expectZohoError(
      client.refresh({ ...creds, accountsServer: sim.dataCenter('US').accountsUrl, refreshToken: rt }),
      code,
    );
    if (code === 'SERVER_ERROR') expect(e.httpStatus).toBe(500);
  });

  it('TIMEOUT when the answer is slower than the configured timeout', async () => {
    const rt = (await exchangeNew()).refreshToken ?? '';
    sim.injectFault({ kind: 'refresh', fault: 'slow', delayMs: 60_000 });
    const fast = createAccountsClient({ endpoints: simulatorEndpoints(sim), timeoutMs: 100 });
    await expectZohoError(
      fast.refresh({ ...creds, accountsServer: sim.dataCenter('US').accountsUrl, refreshToken: rt }),
      'TIMEOUT',
    );
  });

  it('NETWORK when nothing listens at the accounts server', async () => {
    const dead = await startZohoSimulator({ dataCenters: ['US'] });
    const endpoints = simulatorEndpoints(dead);
    const accountsServer = dead.dataCenter('US').accountsUrl;
    await dead.close();
    const c = createAccountsClient({ endpoints });
    const e = await expectZohoError(
      c.refresh({ ...creds, accountsServer, refreshToken: '1000.a.b' }),
      'NETWORK',
    );
    expect(e.causeCode).toBe('ECONNREFUSED');
  });

  it.each([
    ['not json', 200, 'UNEXPECTED_RESPONSE'],
    ['{"access_token":""}', 200, 'UNEXPECTED_RESPONSE'],
    ['{"error":"something_new"}', 200, 'UNEXPECTED_RESPONSE'],
    ['{"error":"access_denied"}', 200, 'ACCESS_DENIED'],
    [
      '{"error":"Access Denied","error_description":"You have made too many requests continuously. Please try again after some time.","status":"failure"}',
      400,
      'THROTTLED',
    ],
    [
      '{"error_description":"Token creation throttle limit reached. Please reuse the valid tokens you currently have.","error":"Access Denied"}',
      200,
      'THROTTLED',
    ],
    ['{"error":"Access Denied","error_description":"Something else"}', 200, 'ACCESS_DENIED'],
    ['', 429, 'THROTTLED'],
    ['<html>', 502, 'SERVER_ERROR'],
    ['<html>', 404, 'UNEXPECTED_RESPONSE'],
  ] as const)('maps answer %s (HTTP %i) to %s', async (body, status, code) => {
    const c = createAccountsClient({ endpoints: simulatorEndpoints(sim), fetch: answering(body, status) });
    await expectZohoError(
      c.refresh({ ...creds, accountsServer: sim.dataCenter('US').accountsUrl, refreshToken: '1000.a.b' }),
      code,
    );
  });
});

describe('revoke', () => {
  it('revokes a refresh token; a second revoke is INVALID_TOKEN (HTTP 400)', async () => {
    const rt = (await exchangeNew()).refreshToken ?? '';
    const accountsServer = sim.dataCenter('US').accountsUrl;
    await client.revoke({ accountsServer, token: rt });
    expect(sim.isRefreshTokenActive(rt)).toBe(false);
    const e = await expectZohoError(client.revoke({ accountsServer, token: rt }), 'INVALID_TOKEN');
    expect(e.httpStatus).toBe(400);
    expect(e.message).toMatch(/already revoked/);
  });

  it('an EU token cannot be revoked at the US server', async () => {
    const rt = (await exchangeNew({ userEmail: EU_USER.email })).refreshToken ?? '';
    await expectZohoError(
      client.revoke({ accountsServer: sim.dataCenter('US').accountsUrl, token: rt }),
      'INVALID_TOKEN',
    );
    expect(sim.isRefreshTokenActive(rt)).toBe(true);
    await client.revoke({ accountsServer: sim.dataCenter('EU').accountsUrl, token: rt });
    expect(sim.isRefreshTokenActive(rt)).toBe(false);
  });

  it('maps faults: 5xx SERVER_ERROR, drop NETWORK; untrusted server refused', async () => {
    const accountsServer = sim.dataCenter('US').accountsUrl;
    sim.injectFault({ kind: 'revoke', fault: '5xx' });
    await expectZohoError(client.revoke({ accountsServer, token: '1000.a.b' }), 'SERVER_ERROR');
    sim.injectFault({ kind: 'revoke', fault: 'drop' });
    await expectZohoError(client.revoke({ accountsServer, token: '1000.a.b' }), 'NETWORK');
    await expectZohoError(
      client.revoke({ accountsServer: 'https://evil.example', token: '1000.a.b' }),
      'UNTRUSTED_SERVER',
    );
  });
});
