import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startZohoSimulator, type ZohoSimulator } from './simulator';
import { exchange, grantCode, refreshAt } from './test-support';

let sim: ZohoSimulator;

beforeEach(async () => {
  sim = await startZohoSimulator();
});
afterEach(() => sim.close());

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
    const res = fetch(`${sim.dataCenter('US').accountsUrl}/oauth/v2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt }),
      signal: AbortSignal.timeout(50),
    });
    await expect(res).rejects.toThrow(/abort|timeout/i);
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

  it('close() ends even while a slow answer is pending', async () => {
    sim.injectFault({ kind: 'any', fault: 'slow', delayMs: 60_000 });
    const pending = fetch(`${sim.dataCenter('US').apiDomain}/crm/v8/org`).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await sim.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});
