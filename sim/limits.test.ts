import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from './clock';
import { THROTTLE_BODY } from './limits';
import { startZohoSimulator, type ZohoSimulator } from './simulator';
import { crmGet, exchange, grantCode, refreshAt, ZOHO_TOKEN_SHAPE } from './test-support';

let sim: ZohoSimulator;
let clock: ManualClock;

beforeEach(async () => {
  clock = createManualClock(1_700_000_000_000);
  sim = await startZohoSimulator({ clock });
});
afterEach(() => sim.close());

async function newRefreshToken(): Promise<string> {
  // One code a minute: no 10-minute window then holds the 10 codes that would hit Zoho's grant-code limit,
  // so tests that mint 20 refresh tokens are not refused.
  clock.advance(60_001);
  return String((await exchange(sim, await grantCode(sim))).body.refresh_token);
}

describe('Zoho limits', () => {
  it('allows 10 refreshes per refresh token per 10 minutes, then sends the throttle error verbatim', async () => {
    const rt = await newRefreshToken();
    const us = sim.dataCenter('US').accountsUrl;
    for (let i = 0; i < 10; i++) {
      expect((await refreshAt(us, rt)).body.access_token).toMatch(ZOHO_TOKEN_SHAPE);
      clock.advance(1_000);
    }
    const throttled = await refreshAt(us, rt);
    // Zoho's token-limits page, verbatim.
    expect(throttled.body).toEqual({
      error: 'Access Denied',
      error_description:
        'Token creation throttle limit reached. Please reuse the valid tokens you currently have.',
    });
    expect(throttled.body).toEqual(THROTTLE_BODY);
    expect(sim.stats.refreshesByToken.get(rt)).toBe(10);
    // Another refresh token of the same user is not affected.
    const other = await newRefreshToken();
    expect((await refreshAt(us, other)).body.access_token).toBeTruthy();
    // The window slides: once the first refresh is 10 minutes old, one more is allowed.
    clock.advance(10 * 60_000);
    expect((await refreshAt(us, rt)).body.access_token).toMatch(ZOHO_TOKEN_SHAPE);
  });

  it('the 21st refresh token of a user for a client silently revokes the oldest', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) tokens.push(await newRefreshToken());
    expect(tokens.every((t) => sim.isRefreshTokenActive(t))).toBe(true);
    const firstAccess = await refreshAt(sim.dataCenter('US').accountsUrl, tokens[0] ?? '');
    const at = String(firstAccess.body.access_token);
    const twentyFirst = await newRefreshToken();
    expect(sim.isRefreshTokenActive(twentyFirst)).toBe(true);
    expect(sim.isRefreshTokenActive(tokens[0] ?? '')).toBe(false);
    expect(sim.isRefreshTokenEvicted(tokens[0] ?? '')).toBe(true);
    expect(tokens.slice(1).every((t) => sim.isRefreshTokenActive(t))).toBe(true);
    expect(sim.isRefreshTokenEvicted(tokens[1] ?? '')).toBe(false);
    expect((await refreshAt(sim.dataCenter('US').accountsUrl, tokens[0] ?? '')).body).toEqual({
      error: 'invalid_code',
    });
    // Its access tokens died with it.
    const crm = await crmGet(sim.dataCenter('US').apiDomain, '/crm/v8/org', at);
    expect(crm.body.code).toBe('INVALID_TOKEN');
  });

  it('keeps at most 15 live access tokens per refresh token (oldest dropped)', async () => {
    const cb = await grantCode(sim);
    const first = (await exchange(sim, cb)).body;
    const rt = String(first.refresh_token);
    const us = sim.dataCenter('US').accountsUrl;
    for (let i = 0; i < 14; i++) {
      if (i === 10) clock.advance(10 * 60_000); // stay under the refresh throttle
      await refreshAt(us, rt);
    }
    const api = sim.dataCenter('US').apiDomain;
    expect((await crmGet(api, '/crm/v8/org', String(first.access_token))).status).toBe(200);
    await refreshAt(us, rt);
    expect((await crmGet(api, '/crm/v8/org', String(first.access_token))).body.code).toBe('INVALID_TOKEN');
  });
});
