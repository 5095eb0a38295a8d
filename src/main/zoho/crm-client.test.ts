import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../../sim/clock';
import { simulatorEndpoints } from '../../../sim/endpoints';
import { startZohoSimulator, type ZohoSimulator } from '../../../sim/simulator';
import { EU_USER, exchange, grantCode, US_USER } from '../../../sim/test-support';
import { setLogSink } from '../log';
import { type CrmClient, createCrmClient } from './crm-client';
import { ZohoError, type ZohoErrorCode } from './errors';

let sim: ZohoSimulator;
let clock: ManualClock;
let crm: CrmClient;

// Logging is exercised (and scanned for secrets) in secrets.test.ts; keep this output quiet.
let restoreLogs: () => void;
beforeAll(() => {
  restoreLogs = setLogSink(() => {});
});
afterAll(() => restoreLogs());

beforeEach(async () => {
  clock = createManualClock(1_750_000_000_000);
  sim = await startZohoSimulator({ clock });
  crm = createCrmClient({ endpoints: simulatorEndpoints(sim), timeoutMs: 5_000 });
});
afterEach(() => sim.close());

async function accessToken(options: Parameters<typeof grantCode>[1] = {}) {
  const body = (await exchange(sim, await grantCode(sim, options))).body;
  return { at: String(body.access_token), rt: String(body.refresh_token), api: String(body.api_domain) };
}

async function expectCode(promise: Promise<unknown>, code: ZohoErrorCode): Promise<ZohoError> {
  const e = await promise.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ZohoError);
  expect((e as ZohoError).code).toBe(code);
  return e as ZohoError;
}

describe('CRM client', () => {
  it('currentUser returns the user, HTTP status and latency', async () => {
    const { at, api } = await accessToken();
    const result = await crm.currentUser(api, at);
    expect(result.httpStatus).toBe(200);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.value).toMatchObject({
      email: US_USER.email,
      fullName: US_USER.fullName,
      zuid: US_USER.zuid,
      status: 'active',
      id: expect.stringMatching(/^\d+$/),
    });
  });

  it('org returns the organisation (EU token at the EU API domain)', async () => {
    const { at, api } = await accessToken({ userEmail: EU_USER.email });
    expect(api).toBe(sim.dataCenter('EU').apiDomain);
    const result = await crm.org(api, at);
    expect(result.value.companyName).toBe(EU_USER.orgName);
  });

  it('INVALID_TOKEN (401) for an expired, revoked, unknown or other-DC token', async () => {
    sim.setAccessTokenLifetime(60);
    const { at, rt, api } = await accessToken();
    const eu = sim.dataCenter('EU').apiDomain;
    const other = await expectCode(crm.org(eu, at), 'INVALID_TOKEN');
    expect(other.httpStatus).toBe(401);
    expect(other.zohoCode).toBe('INVALID_TOKEN');
    await expectCode(crm.org(api, '1000.0.0'), 'INVALID_TOKEN');
    clock.advance(60_000);
    await expectCode(crm.currentUser(api, at), 'INVALID_TOKEN');
    const fresh = await accessToken();
    await fetch(`${sim.dataCenter('US').accountsUrl}/oauth/v2/token/revoke?token=${fresh.rt}`, {
      method: 'POST',
    });
    await expectCode(crm.currentUser(api, fresh.at), 'INVALID_TOKEN');
    expect(rt).not.toBe(fresh.rt);
  });

  it('SCOPE_MISMATCH (401 OAUTH_SCOPE_MISMATCH) when the scope is missing', async () => {
    const { at, api } = await accessToken({ fields: { scope: 'ZohoCRM.org.READ' } });
    await crm.org(api, at);
    const e = await expectCode(crm.currentUser(api, at), 'SCOPE_MISMATCH');
    expect(e.hint).toMatch(/ZohoCRM\.users\.READ/);
  });

  it('SERVER_ERROR, NETWORK and TIMEOUT from injected faults', async () => {
    const { at, api } = await accessToken();
    sim.injectFault({ kind: 'crm', fault: '5xx', status: 503 });
    expect((await expectCode(crm.org(api, at), 'SERVER_ERROR')).httpStatus).toBe(503);
    sim.injectFault({ kind: 'crm', fault: 'drop' });
    await expectCode(crm.org(api, at), 'NETWORK');
    sim.injectFault({ kind: 'crm', fault: 'slow', delayMs: 60_000 });
    const fast = createCrmClient({ endpoints: simulatorEndpoints(sim), timeoutMs: 100 });
    await expectCode(fast.org(api, at), 'TIMEOUT');
  });

  it('UNTRUSTED_SERVER: never sends the token to an unknown API domain', async () => {
    let calls = 0;
    const c = createCrmClient({
      endpoints: simulatorEndpoints(sim),
      fetch: async () => {
        calls += 1;
        return new Response('{}');
      },
    });
    await expectCode(c.org('https://evil.example', '1000.a.b'), 'UNTRUSTED_SERVER');
    expect(calls).toBe(0);
  });

  it('UNEXPECTED_RESPONSE for a 200 without users', async () => {
    const c = createCrmClient({
      endpoints: simulatorEndpoints(sim),
      fetch: async () => new Response('{"users":[]}', { status: 200 }),
    });
    await expectCode(c.currentUser(sim.dataCenter('US').apiDomain, '1000.a.b'), 'UNEXPECTED_RESPONSE');
  });
});
