import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startZohoSimulator, type ZohoSimulator } from './simulator';
import { exchange, grantCode, refreshAt, ZOHO_TOKEN_SHAPE } from './test-support';

let sim: ZohoSimulator;

beforeEach(async () => {
  sim = await startZohoSimulator();
});
afterEach(() => sim.close());

/** Waits until `check` passes: bounded by the test timeout, never by a guess at how fast requests arrive. */
function eventually(check: () => void): Promise<void> {
  return vi.waitFor(check, { timeout: 25_000, interval: 5 });
}

async function refreshToken(): Promise<string> {
  return String((await exchange(sim, await grantCode(sim))).body.refresh_token);
}

describe('fault injection', () => {
  it('drop: the socket closes with no answer, once', async () => {
    const rt = await refreshToken();
    sim.injectFault({ kind: 'refresh', fault: 'drop' });
    await expect(refreshAt(sim.dataCenter('US').accountsUrl, rt)).rejects.toThrow();
    expect((await refreshAt(sim.dataCenter('US').accountsUrl, rt)).body.access_token).toBeTruthy();
  });

  it('5xx: an HTML server error, the given number of times', async () => {
    const rt = await refreshToken();
    sim.injectFault({ path: '/oauth/v2/token', fault: '5xx', status: 503, times: 2 });
    const url = `${sim.dataCenter('US').accountsUrl}/oauth/v2/token`;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token' }),
      });
      expect(res.status).toBe(503);
      await res.text();
    }
    expect((await refreshAt(sim.dataCenter('US').accountsUrl, rt)).status).toBe(200);
  });

  it('invalid_client: the token endpoint answers {"error":"invalid_client"}', async () => {
    const rt = await refreshToken();
    sim.injectFault({ kind: 'token', fault: 'invalid_client' });
    expect((await refreshAt(sim.dataCenter('US').accountsUrl, rt)).body).toEqual({ error: 'invalid_client' });
  });

  it('slow: holds the answer, so a client timeout fires first', async () => {
    const rt = await refreshToken();
    sim.injectFault({ kind: 'refresh', fault: 'slow', delayMs: 60_000 });
    const aborter = new AbortController();
    const res = fetch(`${sim.dataCenter('US').accountsUrl}/oauth/v2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt }),
      signal: aborter.signal,
    });
    // The request has arrived (counted before any fault) but is not answered: no refresh happened.
    await eventually(() => expect(sim.stats.tokenRequests.refresh_token).toBe(1));
    expect(sim.stats.refreshesByToken.get(rt)).toBeUndefined();
    aborter.abort();
    await expect(res).rejects.toThrow(/abort/i);
  });

  it('hold: no answer until releaseHeld, then the normal one', async () => {
    const rt = await refreshToken();
    sim.injectFault({ kind: 'refresh', fault: 'hold', times: 2 });
    const us = sim.dataCenter('US').accountsUrl;
    const first = refreshAt(us, rt);
    const second = refreshAt(us, rt);
    await eventually(() => expect(sim.heldRequests).toBe(2));
    expect(sim.stats.refreshesByToken.get(rt)).toBeUndefined();
    sim.releaseHeld(1);
    expect(sim.heldRequests).toBe(1);
    // Either request may have been held first; one of them now gets its access token.
    const answered = await Promise.race([first, second]);
    expect(answered.body.access_token).toMatch(ZOHO_TOKEN_SHAPE);
    expect(sim.stats.refreshesByToken.get(rt)).toBe(1);
    sim.releaseHeld();
    expect(sim.heldRequests).toBe(0);
    for (const done of await Promise.all([first, second])) {
      expect(done.body.access_token).toMatch(ZOHO_TOKEN_SHAPE);
    }
  });

  it('faults can be limited to one DC and to a request kind', async () => {
    sim.injectFault({ kind: 'crm', dataCenter: 'EU', fault: '5xx' });
    const us = await fetch(`${sim.dataCenter('US').apiDomain}/crm/v8/org`);
    expect(us.status).toBe(401);
    await us.text();
    const eu = await fetch(`${sim.dataCenter('EU').apiDomain}/crm/v8/org`);
    expect(eu.status).toBe(500);
    await eu.text();
  });

  it('close() ends even while a slow or held answer is pending', async () => {
    const rt = await refreshToken();
    sim.injectFault({ kind: 'refresh', fault: 'slow', delayMs: 60_000 });
    sim.injectFault({ kind: 'refresh', fault: 'hold' });
    const us = sim.dataCenter('US').accountsUrl;
    const pending = [refreshAt(us, rt), refreshAt(us, rt)].map((p) => p.catch((e: unknown) => e));
    // Both requests have reached the server (one delayed, one held) before it closes.
    await eventually(() => expect(sim.stats.tokenRequests.refresh_token).toBe(2));
    expect(sim.heldRequests).toBe(1);
    await sim.close();
    for (const outcome of await Promise.all(pending)) expect(outcome).toBeInstanceOf(Error);
    expect(sim.heldRequests).toBe(0);
  });
});
