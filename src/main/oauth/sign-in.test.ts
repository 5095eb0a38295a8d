import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_CLIENT, DEMO_SELF_CLIENT, DEMO_USERS } from '../../../sim/demo-data';
import { startZohoSimulator, type ZohoSimulator } from '../../../sim/simulator';
import type { DataCenterId } from '../../shared/datacenters';
import { type LogRecord, setLogSink } from '../log';
import { connectZoho, type ZohoPort } from '../zoho';
import { createAccountsClient } from '../zoho/accounts-client';
import { localEndpoints, type ZohoEndpoints } from '../zoho/endpoints';
import { ZohoError } from '../zoho/errors';
import type { FetchLike } from '../zoho/http';
import { runBrowserSignIn } from './browser-sign-in';
import { SignInError } from './errors';
import type { GrantedToken, SignInProgressUpdate } from './granted-token';
import { exchangeSelfClientCode, importRefreshToken } from './self-client';
import { type BrowserVisit, SimBrowser, visitCallback } from './test-support/sim-browser';

/** Every flow over real HTTP: the loopback server, the simulator's consent page, token endpoint and CRM. */
const US_USER = DEMO_USERS.find((u) => u.dataCenter === 'US')!;
const EU_USER = DEMO_USERS.find((u) => u.dataCenter === 'EU')!;
const SCOPES = ['ZohoCRM.users.READ', 'ZohoCRM.org.READ'] as const;
const WRONG_SECRET = 'ffffffffffffffffffffffffffffffffffffffffff';
/** The SDK's name for a user whose org the scopes can read: `<email>:<zgid>` (store/sdk-user-name.ts). */
const sdkNameOf = (email: string) =>
  expect.stringMatching(new RegExp(`^${email.replace(/[.]/g, '\\.')}:\\d+$`));

let sim: ZohoSimulator;
let endpoints: ZohoEndpoints;
let zoho: ZohoPort;
/** Origins the token endpoint was called at, in order, and the signal of the latest call. */
let tokenCalls: string[] = [];
let lastTokenSignal: AbortSignal | null | undefined;

// Everything the suite saw that a person or a log could read, scanned for secrets at the end.
const logRecords: LogRecord[] = [];
const errorTexts: string[] = [];
const pages: string[] = [];
const secrets = new Set<string>([DEMO_CLIENT.clientSecret, DEMO_SELF_CLIENT.clientSecret, WRONG_SECRET]);
let restoreSink: () => void;

function remember(granted: GrantedToken): GrantedToken {
  for (const s of [granted.token.accessToken, granted.token.refreshToken]) if (s) secrets.add(s);
  return granted;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    errorTexts.push(err.message, 'hint' in err && typeof err.hint === 'string' ? err.hint : '');
    return err;
  }
  throw new Error('expected the promise to reject');
}

function browserFlow(browser: SimBrowser, extra: Partial<Parameters<typeof runBrowserSignIn>[0]> = {}) {
  const progress: SignInProgressUpdate[] = [];
  const result = runBrowserSignIn({
    zoho,
    opener: browser,
    clientId: DEMO_CLIENT.clientId,
    clientSecret: DEMO_CLIENT.clientSecret,
    dataCenter: 'US',
    environment: 'production',
    scopes: SCOPES,
    port: 0,
    onProgress: (p) => progress.push(p),
    ...extra,
  });
  return { result, progress };
}

/** Final stages a flow reported itself (it must report none). */
function endStages(progress: readonly SignInProgressUpdate[]): string[] {
  return progress.map((p) => p.stage).filter((s) => s === 'failed' || s === 'cancelled' || s === 'done');
}

async function visits(browser: SimBrowser): Promise<BrowserVisit[]> {
  const seen = await browser.finished();
  for (const v of seen) {
    pages.push(v.html);
    secrets.add(new URL(v.callbackUrl).searchParams.get('code') ?? '');
    secrets.add(new URL(v.callbackUrl).searchParams.get('state') ?? '');
  }
  return seen;
}

/** A browser callback that redirects with `name` set to `value` instead of what Zoho sent. */
function withParam(name: string, value: string) {
  return (url: URL): URL => {
    url.searchParams.set(name, value);
    return url;
  };
}

function redirectUriOf(browser: SimBrowser): URL {
  const url = browser.openedUrls[0];
  if (!url) throw new Error('the browser was never opened');
  return new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
}

/** Resolves with the error code when nothing listens on `url`'s port any more. */
async function connectError(url: URL): Promise<string | undefined> {
  try {
    await fetch(url);
    return undefined;
  } catch (err) {
    const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
    return cause?.code;
  }
}

beforeAll(async () => {
  restoreSink = setLogSink((r) => logRecords.push(r));
  sim = await startZohoSimulator();
  endpoints = localEndpoints(sim.dataCenters);
  const recordingFetch: FetchLike = (input, init) => {
    if (input.pathname === '/oauth/v2/token') {
      tokenCalls.push(input.origin);
      lastTokenSignal = init.signal;
    }
    return fetch(input, init);
  };
  zoho = connectZoho({ endpoints, fetch: recordingFetch });
});

afterAll(async () => {
  restoreSink?.();
  await sim?.close();
});

describe('browser sign-in (RFC 8252 loopback)', () => {
  it('signs in when the user approves, and closes the loopback server afterwards', async () => {
    tokenCalls = [];
    const browser = new SimBrowser(sim, { email: US_USER.email });
    const { result, progress } = browserFlow(browser);
    const granted = remember(await result);
    const [visit] = await visits(browser);

    const auth = new URL(browser.openedUrls[0]!);
    expect(auth.origin).toBe(sim.dataCenter('US').accountsUrl);
    expect(auth.pathname).toBe('/oauth/v2/auth');
    const redirectUri = auth.searchParams.get('redirect_uri')!;
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(Object.fromEntries(auth.searchParams)).toMatchObject({
      client_id: DEMO_CLIENT.clientId,
      response_type: 'code',
      scope: 'ZohoCRM.users.READ,ZohoCRM.org.READ',
      access_type: 'offline',
      prompt: 'consent',
    });
    expect(auth.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(granted.displayName).toBe(US_USER.fullName);
    expect(granted.token).toMatchObject({
      id: null,
      userName: sdkNameOf(US_USER.email),
      clientId: DEMO_CLIENT.clientId,
      clientSecret: DEMO_CLIENT.clientSecret,
      grantToken: null,
      redirectUrl: redirectUri,
      apiDomain: sim.dataCenter('US').apiDomain,
      dataCenter: 'US',
      environment: 'production',
      scopes: [...SCOPES],
    });
    expect(sim.isRefreshTokenActive(granted.token.refreshToken!)).toBe(true);
    expect(Number(granted.token.expiryTime)).toBeGreaterThan(Date.now() + 60_000);
    expect(tokenCalls).toEqual([sim.dataCenter('US').accountsUrl]);

    expect(visit?.status).toBe(200);
    expect(visit?.html).toContain('You can close this tab and return to TokenDesk');
    expect(progress.map((p) => p.stage)).toEqual([
      'starting',
      'waiting-for-browser',
      'exchanging-code',
      'fetching-user',
    ]);
    expect(progress[1]?.authUrl).toBe(browser.openedUrls[0]);

    // RFC 8252 §8.3 spirit: nothing listens once the flow is over.
    expect(await connectError(new URL(redirectUri))).toBe('ECONNREFUSED');
  });

  it('reports a declined consent as ACCESS_DENIED in plain words', async () => {
    const browser = new SimBrowser(sim, { email: US_USER.email, decision: 'deny' });
    const { result, progress } = browserFlow(browser);
    const err = await failure(result);
    const [visit] = await visits(browser);
    expect(err).toBeInstanceOf(SignInError);
    expect((err as SignInError).code).toBe('ACCESS_DENIED');
    expect(err.message).toMatch(/declined/);
    expect(visit?.status).toBe(400);
    expect(visit?.html).toContain('declined');
    // The flow reports no final stage: its caller (SignInFlows) owns it, so the renderer gets one.
    expect(endStages(progress)).toEqual([]);
    expect(await connectError(redirectUriOf(browser))).toBe('ECONNREFUSED');
  });

  it('ignores redirects with a missing or wrong state, and completes with the real one', async () => {
    const before = sim.stats.tokenRequests.authorization_code;
    const withoutState = (u: URL) => {
      u.searchParams.delete('state');
      return u;
    };
    const wrongState = withParam('state', 'A'.repeat(43));
    const browser = new SimBrowser(sim, {
      email: US_USER.email,
      callbacks: [withoutState, wrongState, (u) => u],
    });
    const { result, progress } = browserFlow(browser);
    const granted = remember(await result);
    const [missing, wrong, real] = await visits(browser);
    expect(missing?.status).toBe(400);
    expect(missing?.html).toContain('no sign-in state');
    expect(wrong?.status).toBe(400);
    expect(wrong?.html).toContain('does not belong to the sign-in');
    expect(real?.status).toBe(200);
    expect(granted.token.userName).toEqual(sdkNameOf(US_USER.email));
    // Only the real redirect's code was exchanged.
    expect(sim.stats.tokenRequests.authorization_code).toBe(before + 1);
    expect(progress.filter((p) => p.message?.startsWith('Ignored a redirect'))).toHaveLength(2);
  });

  it('rejects a grant code that was already used', async () => {
    const first = new SimBrowser(sim, { email: US_USER.email });
    remember(await browserFlow(first).result);
    const [used] = await visits(first);
    const usedCode = new URL(used!.callbackUrl).searchParams.get('code')!;

    // A second sign-in receives the old code with its own (valid) state.
    const second = new SimBrowser(sim, { email: US_USER.email, callbacks: [withParam('code', usedCode)] });
    const err = await failure(browserFlow(second).result);
    const [visit] = await visits(second);
    expect(err).toBeInstanceOf(ZohoError);
    expect((err as ZohoError).code).toBe('INVALID_CODE');
    expect(visit?.status).toBe(400);
    expect(visit?.html).toContain('already used');
  });

  it('times out when the browser never comes back', async () => {
    const browser = new SimBrowser(sim, { email: US_USER.email, idle: true });
    const { result, progress } = browserFlow(browser, { timeoutMs: 50 });
    const err = await failure(result);
    expect((err as SignInError).code).toBe('TIMEOUT');
    expect(endStages(progress)).toEqual([]);
    expect(await connectError(redirectUriOf(browser))).toBe('ECONNREFUSED');
  });

  it('times out, not "cancelled", when a cancel signal was given but never used', async () => {
    const browser = new SimBrowser(sim, { email: US_USER.email, idle: true });
    const controller = new AbortController();
    const { result } = browserFlow(browser, { timeoutMs: 50, signal: controller.signal });
    const err = (await failure(result)) as SignInError;
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toBe('No answer came from the browser in time.');
    expect(controller.signal.aborted).toBe(false);
    expect(await connectError(redirectUriOf(browser))).toBe('ECONNREFUSED');
  });

  it('stops when cancelled, and closes the loopback server', async () => {
    const browser = new SimBrowser(sim, { email: US_USER.email, idle: true });
    const controller = new AbortController();
    const { result, progress } = browserFlow(browser, {
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        if (p.stage === 'waiting-for-browser') controller.abort();
      },
    });
    const err = await failure(result);
    expect((err as SignInError).code).toBe('CANCELLED');
    expect(endStages(progress)).toEqual([]);
    expect(await connectError(redirectUriOf(browser))).toBe('ECONNREFUSED');
  });

  it('cancelled during the code exchange: the request itself is aborted', async () => {
    sim.injectFault({ kind: 'code-exchange', fault: 'slow', delayMs: 5_000 });
    const before = sim.stats.tokenRequests.authorization_code;
    const browser = new SimBrowser(sim, { email: US_USER.email });
    const controller = new AbortController();
    const { result, progress } = browserFlow(browser, {
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        if (p.stage === 'exchanging-code') {
          // Once the request is at the simulator (it holds it for 5 s), cancel.
          const poll = setInterval(() => {
            if (sim.stats.tokenRequests.authorization_code > before) {
              clearInterval(poll);
              controller.abort();
            }
          }, 2);
        }
      },
    });
    const started = Date.now();
    expect(((await failure(result)) as SignInError).code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(lastTokenSignal?.aborted).toBe(true);
    sim.clearFaults();
  });

  it('a token Zoho issues after the sign-in was cancelled is revoked, not left live', async () => {
    let issued: string | null = null;
    const controller = new AbortController();
    // Zoho answers the exchange, but only after the user pressed Cancel.
    const lateZoho: ZohoPort = {
      ...zoho,
      async exchangeCode(input) {
        const grant = await zoho.exchangeCode({ ...input, signal: undefined });
        issued = grant.refreshToken;
        if (issued) secrets.add(issued).add(grant.accessToken);
        controller.abort();
        return grant;
      },
    };
    const browser = new SimBrowser(sim, { email: US_USER.email });
    const { result } = browserFlow(browser, { zoho: lateZoho, signal: controller.signal });
    expect(((await failure(result)) as SignInError).code).toBe('CANCELLED');
    expect(issued).toMatch(/^1000\./);
    await vi.waitFor(() => expect(sim.isRefreshTokenActive(issued ?? '')).toBe(false));
  });

  it('a token whose user lookup fails is revoked', async () => {
    let issued: string | null = null;
    const recording: ZohoPort = {
      ...zoho,
      async exchangeCode(input) {
        const grant = await zoho.exchangeCode(input);
        issued = grant.refreshToken;
        if (issued) secrets.add(issued).add(grant.accessToken);
        return grant;
      },
    };
    sim.injectFault({ kind: 'crm', fault: '5xx' });
    const browser = new SimBrowser(sim, { email: US_USER.email });
    const err = await failure(browserFlow(browser, { zoho: recording }).result);
    expect((err as SignInError).code).toBe('USER_LOOKUP_FAILED');
    await vi.waitFor(() => expect(sim.isRefreshTokenActive(issued ?? '')).toBe(false));
  });

  it('refuses a callback naming an untrusted accounts server, sending it nothing', async () => {
    let evilRequests = 0;
    const evil: Server = createServer((_req, res) => {
      evilRequests += 1;
      res.end('{}');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    const before = sim.stats.tokenRequests.authorization_code;
    tokenCalls = [];
    try {
      const browser = new SimBrowser(sim, {
        email: US_USER.email,
        callbacks: [withParam('accounts-server', evilOrigin)],
      });
      const err = await failure(browserFlow(browser).result);
      const [visit] = await visits(browser);
      expect((err as SignInError).code).toBe('UNTRUSTED_ACCOUNTS_SERVER');
      expect(visit?.status).toBe(400);
      expect(visit?.html).toContain('not a Zoho accounts server');
      expect(evilRequests).toBe(0);
      expect(tokenCalls).toEqual([]);
      expect(sim.stats.tokenRequests.authorization_code).toBe(before);
    } finally {
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
  });

  it('exchanges an EU user’s code at the EU accounts server (multi-DC)', async () => {
    tokenCalls = [];
    const browser = new SimBrowser(sim, { email: EU_USER.email });
    // Started against the US accounts server; the user's account lives in the EU.
    const granted = remember(await browserFlow(browser).result);
    await visits(browser);
    expect(tokenCalls).toEqual([sim.dataCenter('EU').accountsUrl]);
    expect(granted.token).toMatchObject({
      userName: sdkNameOf(EU_USER.email),
      dataCenter: 'EU',
      apiDomain: sim.dataCenter('EU').apiDomain,
    });
    expect(granted.displayName).toBe(EU_USER.fullName);
  });

  it('names the port and the fix when the port is taken', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as AddressInfo).port;
    try {
      const browser = new SimBrowser(sim, { email: US_USER.email, idle: true });
      const err = await failure(browserFlow(browser, { port }).result);
      expect((err as SignInError).code).toBe('PORT_IN_USE');
      expect(err.message).toContain(String(port));
      expect((err as SignInError).hint).toMatch(/another port/);
      expect(browser.openedUrls).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('answers stray requests on the loopback port without ending the flow', async () => {
    const browser = new SimBrowser(sim, { email: US_USER.email, idle: true });
    const controller = new AbortController();
    const { result } = browserFlow(browser, { signal: controller.signal });
    while (browser.openedUrls.length === 0) await new Promise((r) => setTimeout(r, 5));
    const redirect = redirectUriOf(browser);
    const other = await visitCallback(new URL('/favicon.ico', redirect));
    expect(other.status).toBe(404);
    controller.abort();
    expect(((await failure(result)) as SignInError).code).toBe('CANCELLED');
  });
});

describe('Self Client and refresh-token import', () => {
  /** What every request below sends: the demo Self Client, at `dataCenter`, production. */
  function selfClient(dataCenter: DataCenterId = 'US') {
    return {
      zoho,
      clientId: DEMO_SELF_CLIENT.clientId,
      clientSecret: DEMO_SELF_CLIENT.clientSecret,
      dataCenter,
      environment: 'production' as const,
    };
  }

  function selfClientCode(email = US_USER.email) {
    const grant = sim.issueSelfClientGrantCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      scopes: SCOPES.join(','),
      userEmail: email,
    });
    secrets.add(grant.code);
    return grant.code;
  }

  it('exchanges a pasted Self Client grant code', async () => {
    const granted = remember(
      await exchangeSelfClientCode({
        ...selfClient(),
        grantCode: ` ${selfClientCode()} `,
        scopes: SCOPES,
      }),
    );
    expect(granted.token).toMatchObject({
      userName: sdkNameOf(US_USER.email),
      clientId: DEMO_SELF_CLIENT.clientId,
      redirectUrl: null,
      grantToken: null,
      dataCenter: 'US',
      scopes: [...SCOPES],
    });
    expect(sim.isRefreshTokenActive(granted.token.refreshToken!)).toBe(true);
  });

  it('explains a wrong client secret as invalid_client, in plain words', async () => {
    const err = await failure(
      exchangeSelfClientCode({
        ...selfClient(),
        clientSecret: WRONG_SECRET,
        grantCode: selfClientCode(),
      }),
    );
    expect(err).toBeInstanceOf(ZohoError);
    expect((err as ZohoError).code).toBe('INVALID_CLIENT');
    expect(err.message).toMatch(/client id or client secret/);
  });

  it('imports a working refresh token after checking it with one refresh', async () => {
    const source = remember(
      await exchangeSelfClientCode({
        ...selfClient('EU'),
        grantCode: selfClientCode(EU_USER.email),
      }),
    );
    const refreshes = sim.stats.tokenRequests.refresh_token;
    const imported = remember(
      await importRefreshToken({
        ...selfClient('EU'),
        refreshToken: source.token.refreshToken!,
      }),
    );
    expect(sim.stats.tokenRequests.refresh_token).toBe(refreshes + 1);
    expect(imported.token).toMatchObject({
      userName: sdkNameOf(EU_USER.email),
      refreshToken: source.token.refreshToken,
      dataCenter: 'EU',
      scopes: null,
      redirectUrl: null,
    });
    expect(imported.token.accessToken).not.toBe(source.token.accessToken);
  });

  it('refuses to import a revoked refresh token', async () => {
    const source = remember(
      await exchangeSelfClientCode({
        ...selfClient(),
        grantCode: selfClientCode(),
      }),
    );
    const accounts = createAccountsClient({ endpoints });
    await accounts.revoke({
      accountsServer: sim.dataCenter('US').accountsUrl,
      token: source.token.refreshToken!,
    });
    const err = await failure(
      importRefreshToken({
        ...selfClient(),
        refreshToken: source.token.refreshToken!,
      }),
    );
    expect((err as ZohoError).code).toBe('INVALID_CODE');
    expect(err.message).toMatch(/revoked/);
  });
});

describe('secrets', () => {
  it('never appear in a log record, an error message or a browser page', () => {
    secrets.delete('');
    expect(secrets.size).toBeGreaterThan(10);
    expect(logRecords.length).toBeGreaterThan(0);
    expect(errorTexts.length).toBeGreaterThan(0);
    const texts = [...logRecords.map((r) => JSON.stringify(r)), ...errorTexts, ...pages];
    for (const secret of secrets) {
      for (const text of texts)
        expect(text.includes(secret), `secret found in: ${text.slice(0, 80)}`).toBe(false);
    }
  });
});
