import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from './clock';
import { DEFAULT_REDIRECT_URI, DEMO_CLIENT, DEMO_SELF_CLIENT } from './demo-data';
import { startZohoSimulator, type ZohoSimulator } from './simulator';
import {
  crmGet,
  EU_USER,
  exchange,
  grantCode,
  postToken,
  refreshAt,
  US_USER,
  ZOHO_TOKEN_SHAPE,
} from './test-support';

let sim: ZohoSimulator;
let clock: ManualClock;

beforeEach(async () => {
  clock = createManualClock(1_700_000_000_000);
  sim = await startZohoSimulator({ clock });
});
afterEach(() => sim.close());

describe('POST /oauth/v2/token, authorization_code', () => {
  it.each(['urlencoded', 'multipart', 'query'] as const)('exchanges a code sent as %s', async (encoding) => {
    const cb = await grantCode(sim);
    const { status, body } = await exchange(sim, cb, undefined, encoding);
    expect(status).toBe(200);
    expect(body).toEqual({
      access_token: expect.stringMatching(ZOHO_TOKEN_SHAPE),
      refresh_token: expect.stringMatching(ZOHO_TOKEN_SHAPE),
      api_domain: sim.dataCenter('US').apiDomain,
      token_type: 'Bearer',
      expires_in: 3600,
    });
    expect(sim.stats.tokenRequests.authorization_code).toBe(1);
  });

  it('a code is single use: the second exchange answers invalid_code (HTTP 200)', async () => {
    const cb = await grantCode(sim);
    expect((await exchange(sim, cb)).body.access_token).toBeTruthy();
    expect(await exchange(sim, cb)).toEqual({ status: 200, body: { error: 'invalid_code' } });
  });

  it('a code expires after the grant-code lifetime (2 minutes by default)', async () => {
    const cb = await grantCode(sim);
    clock.advance(120_000);
    expect((await exchange(sim, cb)).body).toEqual({ error: 'invalid_code' });
  });

  it('an unknown code answers invalid_code', async () => {
    const cb = await grantCode(sim);
    // Change the last character to a different one, so the altered code can never equal the issued one.
    const last = cb.code.slice(-1);
    const altered = `${cb.code.slice(0, -1)}${last === '0' ? '1' : '0'}`;
    expect((await exchange(sim, { ...cb, code: altered })).body.error).toBe('invalid_code');
  });

  it('a code must be redeemed at its own DC: an EU code at the US server is invalid_code', async () => {
    const cb = await grantCode(sim, { userEmail: EU_USER.email });
    expect(cb.location).toBe('eu');
    expect((await exchange(sim, cb, 'US')).body).toEqual({ error: 'invalid_code' });
    // The failed attempt does not burn it: at the EU server it works and gives the EU api_domain.
    const ok = await exchange(sim, cb, 'EU');
    expect(ok.body.api_domain).toBe(sim.dataCenter('EU').apiDomain);
  });

  it('the redirect_uri must be the one of the authorization request', async () => {
    sim.registerClient({ ...DEMO_CLIENT, redirectUris: [DEFAULT_REDIRECT_URI, 'http://127.0.0.1:9999/cb'] });
    const cb = await grantCode(sim);
    const res = await postToken(cb.accountsServer, {
      grant_type: 'authorization_code',
      client_id: DEMO_CLIENT.clientId,
      client_secret: DEMO_CLIENT.clientSecret,
      redirect_uri: 'http://127.0.0.1:9999/cb',
      code: cb.code,
    });
    expect(res.body).toEqual({ error: 'invalid_redirect_uri' });
  });

  it('a wrong client secret or an unknown client answers invalid_client', async () => {
    const cb = await grantCode(sim);
    const wrongSecret = await postToken(cb.accountsServer, {
      grant_type: 'authorization_code',
      client_id: DEMO_CLIENT.clientId,
      client_secret: 'not-the-secret',
      redirect_uri: DEFAULT_REDIRECT_URI,
      code: cb.code,
    });
    expect(wrongSecret).toEqual({ status: 200, body: { error: 'invalid_client' } });
    const unknown = await postToken(cb.accountsServer, {
      grant_type: 'authorization_code',
      client_id: '1000.NOSUCHCLIENT',
      client_secret: DEMO_CLIENT.clientSecret,
      redirect_uri: DEFAULT_REDIRECT_URI,
      code: cb.code,
    });
    expect(unknown.body).toEqual({ error: 'invalid_client' });
  });

  it('a client not enabled in a DC is invalid_client there', async () => {
    sim.registerClient({ ...DEMO_CLIENT, dataCenters: ['US'] });
    const res = await postToken(sim.dataCenter('EU').accountsUrl, {
      grant_type: 'refresh_token',
      client_id: DEMO_CLIENT.clientId,
      client_secret: DEMO_CLIENT.clientSecret,
      refresh_token: '1000.x.y',
    });
    expect(res.body).toEqual({ error: 'invalid_client' });
  });

  it('without access_type=offline there is no refresh token', async () => {
    const cb = await grantCode(sim, { fields: { access_type: 'online' } });
    const { body } = await exchange(sim, cb);
    expect(body.access_token).toMatch(ZOHO_TOKEN_SHAPE);
    expect(body.refresh_token).toBeUndefined();
  });

  it('offline without prompt=consent gives no second refresh token for the same user and client', async () => {
    await exchange(sim, await grantCode(sim));
    const again = await exchange(sim, await grantCode(sim, { fields: { prompt: 'none' } }));
    expect(again.body.refresh_token).toBeUndefined();
    const forced = await exchange(sim, await grantCode(sim));
    expect(forced.body.refresh_token).toMatch(ZOHO_TOKEN_SHAPE);
  });

  it('exchanges a Self Client grant code without a redirect URI', async () => {
    const grant = sim.issueSelfClientGrantCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      scopes: 'ZohoCRM.users.READ',
      userEmail: US_USER.email,
    });
    expect(grant.code).toMatch(ZOHO_TOKEN_SHAPE);
    expect(grant.accountsServer).toBe(sim.dataCenter('US').accountsUrl);
    const { body } = await postToken(grant.accountsServer, {
      grant_type: 'authorization_code',
      client_id: DEMO_SELF_CLIENT.clientId,
      client_secret: DEMO_SELF_CLIENT.clientSecret,
      code: grant.code,
    });
    expect(body.refresh_token).toMatch(ZOHO_TOKEN_SHAPE);
    expect(() =>
      sim.issueSelfClientGrantCode({ clientId: DEMO_CLIENT.clientId, scopes: 'x', userEmail: US_USER.email }),
    ).toThrow(/self client/);
  });

  it('answers unsupported_grant_type for other grants', async () => {
    const res = await postToken(sim.dataCenter('US').accountsUrl, { grant_type: 'password' });
    expect(res.body).toEqual({ error: 'unsupported_grant_type' });
    expect(sim.stats.tokenRequests.other).toBe(1);
  });
});

describe('POST /oauth/v2/token, refresh_token', () => {
  it('refreshes without a new refresh token and counts per refresh token', async () => {
    const first = (await exchange(sim, await grantCode(sim))).body;
    const rt = String(first.refresh_token);
    const { status, body } = await refreshAt(sim.dataCenter('US').accountsUrl, rt);
    expect(status).toBe(200);
    expect(body).toEqual({
      access_token: expect.stringMatching(ZOHO_TOKEN_SHAPE),
      api_domain: sim.dataCenter('US').apiDomain,
      token_type: 'Bearer',
      expires_in: 3600,
    });
    expect(body.access_token).not.toBe(first.access_token);
    expect(sim.stats.tokenRequests.refresh_token).toBe(1);
    expect(sim.stats.refreshesByToken.get(rt)).toBe(1);
  });

  it('an EU refresh token works at the EU server and is invalid_code at the US server', async () => {
    const rt = String(
      (await exchange(sim, await grantCode(sim, { userEmail: EU_USER.email }))).body.refresh_token,
    );
    expect((await refreshAt(sim.dataCenter('US').accountsUrl, rt)).body).toEqual({ error: 'invalid_code' });
    expect((await refreshAt(sim.dataCenter('EU').accountsUrl, rt)).body.access_token).toMatch(
      ZOHO_TOKEN_SHAPE,
    );
  });

  it('access tokens live as long as setAccessTokenLifetime says', async () => {
    sim.setAccessTokenLifetime(60);
    const body = (await exchange(sim, await grantCode(sim))).body;
    expect(body.expires_in).toBe(60);
    const at = String(body.access_token);
    const api = sim.dataCenter('US').apiDomain;
    expect((await crmGet(api, '/crm/v8/users?type=CurrentUser', at)).status).toBe(200);
    clock.advance(60_000);
    expect((await crmGet(api, '/crm/v8/users?type=CurrentUser', at)).body.code).toBe('INVALID_TOKEN');
  });

  it('legacy style answers expires_in in ms plus expires_in_sec', async () => {
    sim.setExpiresInStyle('legacy-ms');
    const body = (await exchange(sim, await grantCode(sim))).body;
    expect(body.expires_in).toBe(3_600_000);
    expect(body.expires_in_sec).toBe(3600);
  });
});
