import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from './clock';
import { startZohoSimulator, type ZohoSimulator } from './simulator';
import { crmGet, EU_USER, exchange, grantCode, refreshAt, US_USER } from './test-support';

let sim: ZohoSimulator;

beforeEach(async () => {
  sim = await startZohoSimulator({ clock: createManualClock(1_700_000_000_000) });
});
afterEach(() => sim.close());

async function tokens(options: Parameters<typeof grantCode>[1] = {}) {
  const body = (await exchange(sim, await grantCode(sim, options))).body;
  return { at: String(body.access_token), rt: String(body.refresh_token), api: String(body.api_domain) };
}

function revoke(accountsUrl: string, token: string) {
  return fetch(`${accountsUrl}/oauth/v2/token/revoke?token=${encodeURIComponent(token)}`, { method: 'POST' });
}

describe('CRM API', () => {
  it('GET /crm/v8/users?type=CurrentUser returns the token owner', async () => {
    const { at, api } = await tokens();
    const { status, body } = await crmGet(api, '/crm/v8/users?type=CurrentUser', at);
    expect(status).toBe(200);
    expect(body.users).toEqual([
      expect.objectContaining({
        email: US_USER.email,
        full_name: US_USER.fullName,
        zuid: US_USER.zuid,
        id: expect.stringMatching(/^\d+$/),
        role: { name: expect.any(String), id: expect.any(String) },
        status: 'active',
      }),
    ]);
    expect(body.info).toMatchObject({ count: 1, more_records: false });
  });

  it('GET /crm/v8/org returns the org', async () => {
    const { at, api } = await tokens({ userEmail: EU_USER.email, at: 'EU' });
    const { status, body } = await crmGet(api, '/crm/v8/org', at);
    expect(status).toBe(200);
    expect(body.org).toEqual([
      expect.objectContaining({ company_name: EU_USER.orgName, id: expect.any(String) }),
    ]);
  });

  it('answers 401 INVALID_TOKEN for unknown tokens and for tokens of another DC', async () => {
    const { at } = await tokens();
    const unknown = await crmGet(sim.dataCenter('US').apiDomain, '/crm/v8/org', '1000.abc.def');
    expect(unknown).toEqual({
      status: 401,
      body: { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' },
    });
    expect((await crmGet(sim.dataCenter('EU').apiDomain, '/crm/v8/org', at)).status).toBe(401);
  });

  it('answers 401 OAUTH_SCOPE_MISMATCH when the token lacks the scope', async () => {
    const { at, api } = await tokens({ fields: { scope: 'ZohoCRM.users.READ' } });
    expect((await crmGet(api, '/crm/v8/users?type=CurrentUser', at)).status).toBe(200);
    const org = await crmGet(api, '/crm/v8/org', at);
    expect(org.status).toBe(401);
    expect(org.body.code).toBe('OAUTH_SCOPE_MISMATCH');
  });

  it('answers 401 without an Authorization header', async () => {
    const res = await fetch(`${sim.dataCenter('US').apiDomain}/crm/v8/org`);
    expect(res.status).toBe(401);
  });
});

describe('POST /oauth/v2/token/revoke', () => {
  it('revokes a refresh token and every access token made from it', async () => {
    const { at, rt, api } = await tokens();
    const us = sim.dataCenter('US').accountsUrl;
    const refreshed = String((await refreshAt(us, rt)).body.access_token);
    const res = await revoke(us, rt);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'success' });
    expect(sim.isRefreshTokenActive(rt)).toBe(false);
    expect((await crmGet(api, '/crm/v8/org', at)).body.code).toBe('INVALID_TOKEN');
    expect((await crmGet(api, '/crm/v8/org', refreshed)).body.code).toBe('INVALID_TOKEN');
    expect((await refreshAt(us, rt)).body).toEqual({ error: 'invalid_code' });
    expect(sim.stats.revokes).toBe(1);
  });

  it('answers 400 for an unknown, already revoked or other-DC token', async () => {
    const { rt } = await tokens();
    expect((await revoke(sim.dataCenter('US').accountsUrl, '1000.nope.nope')).status).toBe(400);
    expect((await revoke(sim.dataCenter('EU').accountsUrl, rt)).status).toBe(400);
    expect((await revoke(sim.dataCenter('US').accountsUrl, rt)).status).toBe(200);
    expect((await revoke(sim.dataCenter('US').accountsUrl, rt)).status).toBe(400);
    expect(sim.stats.revokeRequests).toBe(4);
    expect(sim.stats.revokes).toBe(1);
  });
});
