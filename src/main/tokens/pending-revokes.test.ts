import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PENDING_RETRY_FIRST_MS, PENDING_RETRY_MAX_MS, retryDelay } from './pending-revokes';
import { type ServiceHarness, startServiceHarness } from './test-support/service-harness';

const US = 'admin@demo-us.example.com';

describe('retryDelay', () => {
  it('doubles from 30 s and stops growing at one hour', () => {
    expect([1, 2, 3, 4].map(retryDelay)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelay(50)).toBe(PENDING_RETRY_MAX_MS);
  });
});

describe('pending revokes', () => {
  let h: ServiceHarness;
  /** A manual timer: what the service scheduled, run when the test says. */
  const scheduled: { ms: number; run: () => void }[] = [];
  beforeEach(async () => {
    scheduled.length = 0;
    h = await startServiceHarness({
      timer: (ms, run) => {
        const entry = { ms, run };
        scheduled.push(entry);
        return () => scheduled.splice(scheduled.indexOf(entry), 1);
      },
    });
  });
  afterEach(() => h.close());

  it('schedules the next try after the back-off, and keeps trying with growing delays until Zoho confirms', async () => {
    const token = await h.stored(US);
    h.sim.injectFault({ kind: 'revoke', fault: '5xx', times: 2 });
    await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: true });
    expect(scheduled.map((s) => s.ms)).toEqual([PENDING_RETRY_FIRST_MS]);

    h.clock.advance(PENDING_RETRY_FIRST_MS);
    scheduled[0]!.run();
    await expect.poll(() => h.service.listPendingRevokes()[0]?.attempts).toBe(2);
    expect(scheduled.at(-1)?.ms).toBe(retryDelay(2));
    expect(h.service.listPendingRevokes()[0]?.lastError).toMatch(/server error \(HTTP 500\)/);

    h.clock.advance(retryDelay(2));
    scheduled.at(-1)!.run();
    await expect.poll(() => h.service.listPendingRevokes()).toEqual([]);
    expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(false);
  });

  it('nothing is tried before it is due; the user’s retry asks Zoho at once and says what it answered', async () => {
    const token = await h.stored(US);
    h.sim.injectFault({ kind: 'revoke', fault: 'drop' });
    await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: true });
    h.sim.resetStats();
    await h.service.retryDuePendingRevokes();
    expect(h.sim.stats.revokeRequests).toBe(0);
    const [pending] = h.service.listPendingRevokes();
    const answer = await h.service.retryPendingRevoke(pending!.id);
    expect(answer).toEqual({ id: pending!.id, revoke: { state: 'revoked' }, resolved: true });
    expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(false);
    expect(h.changes).toContain('pending-revoke');
  });

  it('never shows the secret: previews only', async () => {
    const token = await h.stored(US);
    h.sim.injectFault({ kind: 'revoke', fault: '5xx' });
    await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: true });
    const json = JSON.stringify(h.service.listPendingRevokes());
    expect(json).not.toContain(token.refreshToken!);
    expect(json).not.toContain(token.clientSecret!);
    expect(json).toMatch(/"refreshTokenPreview":"1000\.[0-9a-f]{2}…[0-9a-f]{4}"/);
  });
});
