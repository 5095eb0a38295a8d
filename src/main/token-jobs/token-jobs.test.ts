import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_SELF_CLIENT } from '../../../sim';
import type { TokenJobProgress } from '../../shared/ipc/token-jobs';
import type { TokenView } from '../../shared/ipc/views';
import { AuditTrail } from '../audit/audit-trail';
import { type ServiceHarness, startServiceHarness } from '../tokens/test-support/service-harness';
import type { AttentionSignals } from './attention';
import { AttentionMonitor } from './attention';
import { RefreshBudget } from './refresh-budget';
import { TokenJobs, type TokenJobsDeps } from './token-jobs';

/**
 * Check all and the bulk actions over the real TokenService: the simulator on loopback, the encrypted
 * SQLite store, its audit log (src/main/tokens/test-support/service-harness.ts). Pacing is off here
 * (spacing 0) except where a test is about it; paced-run.test.ts checks the spacing itself.
 */
let h: ServiceHarness;
let progress: TokenJobProgress[];
beforeEach(async () => {
  h = await startServiceHarness();
  progress = [];
});
afterEach(async () => {
  await h.close();
});

const NO_SPACING = {
  check: { concurrency: 2, spacingMs: 0 },
  test: { concurrency: 2, spacingMs: 0 },
  refresh: { concurrency: 2, spacingMs: 0 },
  delete: { concurrency: 4, spacingMs: 0 },
};

function jobs(overrides: Partial<TokenJobsDeps> = {}): TokenJobs {
  const trail = new AuditTrail(h.audit, () => h.clock.now());
  return new TokenJobs({
    clock: h.clock,
    onProgress: (p) => progress.push(p),
    audit: (entry) => trail.record(entry),
    pacing: NO_SPACING,
    ...overrides,
  });
}

function fakeSignals() {
  const calls: Array<{ badge?: number; title?: string; body?: string }> = [];
  const signals: AttentionSignals = {
    setBadgeCount: (badge) => calls.push({ badge }),
    notify: ({ title, body }) => calls.push({ title, body }),
  };
  return { calls, signals };
}

describe('Check all', () => {
  it('tests every token, refreshes an expired one, reports a dead one, and audits the job once', async () => {
    const valid = await h.stored('valid@example.com');
    const expired = await h.stored('expired@example.com', { expired: true });
    const dead = await h.stored('dead@example.com', { expired: true });
    // Revoked elsewhere (another tool, Zoho's console): Zoho refuses its refresh token.
    await h.clients.accounts.revoke({
      accountsServer: h.sim.dataCenter('US').accountsUrl,
      token: dead.refreshToken ?? '',
    });
    const refreshesBefore = h.sim.stats.tokenRequests.refresh_token;
    const { calls, signals } = fakeSignals();
    const monitor = new AttentionMonitor(signals);

    const result = await jobs().run({
      action: 'check',
      trigger: 'manual',
      service: h.service,
      observe: (after) => monitor.observe(after),
    });

    const byId = new Map(result.outcomes.map((o) => [o.id, o]));
    expect(byId.get(valid.id ?? '')).toMatchObject({ state: 'done', label: 'CRM call worked' });
    expect(byId.get(expired.id ?? '')).toMatchObject({ state: 'done', label: 'CRM call worked' });
    expect(byId.get(expired.id ?? '')?.detail).toContain('refreshed first');
    expect(byId.get(dead.id ?? '')).toMatchObject({
      state: 'failed',
      label: 'Needs re-authorisation',
      needsAttention: true,
    });
    expect(result.counts).toEqual({ done: 2, failed: 1, kept: 0, skipped: 0, cancelled: 0 });
    // True at Zoho and on disk: two refreshes were asked for (one worked), the expired row has a new expiry.
    expect(h.sim.stats.tokenRequests.refresh_token - refreshesBefore).toBe(2);
    const stored = await h.store.findTokenById(expired.id ?? '');
    expect(Number(stored?.expiryTime)).toBeGreaterThan(h.clock.now());
    const views = new Map((await h.service.list()).map((v) => [v.id, v]));
    expect(views.get(dead.id ?? '')?.status).toBe('reauth');

    // Progress: a first report, then the last one says finished, all done.
    expect(progress[0]).toMatchObject({ done: 0, total: 3, finished: false, action: 'check' });
    expect(progress.at(-1)).toMatchObject({ done: 3, total: 3, finished: true, jobId: result.jobId });
    // One row for the job, beside each token's own test rows.
    const rows = h.audit.list({ action: 'test' });
    expect(rows.filter((r) => r.detail.startsWith('Check all of 3 tokens'))).toHaveLength(1);
    expect(rows.find((r) => r.detail.startsWith('Check all'))).toMatchObject({
      outcome: 'failure',
      detail: 'Check all of 3 tokens, partly done: 2 done, 1 failed, 0 skipped.',
    });
    expect(rows.filter((r) => r.tokenId !== null)).toHaveLength(3);
    // The person is told outside the window: a badge of 1 and one notification naming the user.
    expect(calls).toEqual([
      { badge: 1 },
      {
        title: 'A token needs re-authorisation',
        body: 'Zoho no longer accepts the refresh token of dead@example.com. Open TokenDesk and use Re-authorise.',
      },
    ]);
    // The report's CSV names users and outcomes, never a secret.
    expect(result.csv.split('\r\n')[0]).toBe('user,token_id,action,outcome,result,detail');
    for (const secret of [valid, expired, dead].flatMap((t) => [t.refreshToken, t.accessToken])) {
      expect(result.csv).not.toContain(secret);
    }
    expect(result.csv).not.toContain(DEMO_SELF_CLIENT.clientSecret);
  });

  it('skips what it cannot or should not test, saying why, and calls Zoho for none of them', async () => {
    const dead = await h.stored('gone@example.com');
    await h.notes.setReauthRequired(dead.id ?? '', true);
    const crmBefore = h.sim.stats.crmRequests;
    const result = await jobs().run({ action: 'check', trigger: 'manual', service: h.service });
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        state: 'skipped',
        needsAttention: true,
        detail: expect.stringMatching(/^Needs re-authorisation/),
      }),
    ]);
    expect(h.sim.stats.crmRequests).toBe(crmBefore);
    // Chosen by a person and tested on purpose: the call is made.
    const picked = await jobs().run({
      action: 'test',
      ids: [dead.id ?? ''],
      trigger: 'manual',
      service: h.service,
    });
    expect(picked.outcomes[0]?.state).not.toBe('skipped');
    expect(h.sim.stats.crmRequests).toBeGreaterThan(crmBefore);
  });

  it('spends at most its refresh budget per token in 10 minutes, then skips and says why', async () => {
    const token = await h.stored('busy@example.com', { expired: true });
    const run = jobs({ budget: new RefreshBudget(1) });
    const first = await run.run({ action: 'check', trigger: 'manual', service: h.service });
    expect(first.outcomes[0]).toMatchObject({ state: 'done' });
    // Expired again (as if an hour passed for the token but not for the budget's window).
    const stored = await h.store.findTokenById(token.id ?? '');
    await h.saveToken({ ...(stored ?? token), expiryTime: String(h.clock.now() - 1_000) });
    const refreshes = h.sim.stats.tokenRequests.refresh_token;
    const second = await run.run({ action: 'check', trigger: 'manual', service: h.service });
    expect(second.outcomes[0]).toMatchObject({ state: 'skipped', needsAttention: false });
    expect(second.outcomes[0]?.detail).toContain('Zoho allows 10 refreshes per token in 10 minutes');
    expect(h.sim.stats.tokenRequests.refresh_token).toBe(refreshes);
    // Once the window has passed, checks may refresh it again.
    h.clock.advance(10 * 60_000 + 1);
    const third = await run.run({ action: 'check', trigger: 'manual', service: h.service });
    expect(third.outcomes[0]).toMatchObject({ state: 'done' });
  });

  it('cancels: tokens in flight finish, the rest are listed as not reached, and Zoho saw only those', async () => {
    for (const user of ['a@example.com', 'b@example.com', 'c@example.com']) await h.stored(user);
    const crmBefore = h.sim.stats.crmRequests;
    h.sim.injectFault({ kind: 'crm', fault: 'hold', times: 1 });
    const run = jobs({ pacing: { check: { concurrency: 1, spacingMs: 0 } } });
    const pending = run.run({ action: 'check', trigger: 'manual', service: h.service });
    await expect.poll(() => h.sim.heldRequests).toBe(1);
    const jobId = run.current?.jobId ?? '';
    // One job at a time: a second is refused with words, while the first runs.
    await expect(run.run({ action: 'check', trigger: 'manual', service: h.service })).rejects.toThrow(
      /one runs at a time/,
    );
    expect(run.cancel('not-this-job')).toBe(false);
    expect(run.cancel(jobId)).toBe(true);
    h.sim.releaseHeld();
    const result = await pending;
    expect(result.cancelled).toBe(true);
    expect(result.counts).toMatchObject({ done: 1, cancelled: 2 });
    expect(result.outcomes.filter((o) => o.state === 'cancelled').map((o) => o.label)).toEqual([
      'Not done: cancelled',
      'Not done: cancelled',
    ]);
    // The first token's two CRM calls (CurrentUser, org), nothing for the other two.
    expect(h.sim.stats.crmRequests - crmBefore).toBe(2);
    expect(h.audit.list({ action: 'test' })[0]?.detail).toBe(
      'Check all of 3 tokens, cancelled part-way: 1 done, 0 failed, 0 skipped, 2 not reached.',
    );
    expect(run.current).toBeNull();
  });
});

describe('bulk actions', () => {
  it('delete with revoke: a failed revoke keeps that token (and it still works at Zoho); the rest are gone', async () => {
    const a = await h.stored('a@example.com');
    const b = await h.stored('b@example.com');
    const c = await h.stored('c@example.com');
    h.sim.injectFault({ kind: 'revoke', fault: '5xx', times: 1 });
    const result = await jobs({ pacing: { delete: { concurrency: 1, spacingMs: 0 } } }).run({
      action: 'delete',
      ids: [a.id ?? '', b.id ?? '', c.id ?? ''],
      trigger: 'manual',
      service: h.service,
      delete: { revoke: true, deleteIfRevokeFails: false },
    });
    expect(result.outcomes.map((o) => [o.userName, o.state, o.label])).toEqual([
      ['a@example.com', 'kept', 'Revoke failed, kept: retry'],
      ['b@example.com', 'done', 'Revoked at Zoho, deleted'],
      ['c@example.com', 'done', 'Revoked at Zoho, deleted'],
    ]);
    expect(result.outcomes[0]?.detail).toMatch(/Zoho did not confirm the revoke.*may still work at Zoho/);
    expect(result.outcomes[0]?.delete).toMatchObject({ deleted: false, revoke: { state: 'failed' } });
    // What the report says is what is true: a is stored and alive at Zoho, b and c are neither.
    expect((await h.store.getTokens()).map((t) => t.id)).toEqual([a.id]);
    expect(h.sim.isRefreshTokenActive(a.refreshToken ?? '')).toBe(true);
    expect(h.sim.isRefreshTokenActive(b.refreshToken ?? '')).toBe(false);
    expect(h.sim.isRefreshTokenActive(c.refreshToken ?? '')).toBe(false);
    expect(h.audit.list({ action: 'delete' })[0]?.detail).toBe(
      'Delete of 3 selected tokens, partly done: 2 done, 0 failed, 1 kept because the revoke failed, 0 skipped.',
    );
  });

  it('refresh and test the chosen tokens only; a token deleted meanwhile is said to be gone', async () => {
    const a = await h.stored('a@example.com');
    const b = await h.stored('b@example.com');
    const before = h.sim.stats.tokenRequests.refresh_token;
    const refreshed = await jobs().run({
      action: 'refresh',
      ids: [a.id ?? '', 'no-such-id'],
      trigger: 'manual',
      service: h.service,
    });
    expect(refreshed.outcomes.map((o) => [o.id, o.state, o.label])).toEqual([
      [a.id, 'done', 'Refreshed'],
      ['no-such-id', 'skipped', 'Skipped'],
    ]);
    expect(refreshed.outcomes[1]?.detail).toBe('No longer stored: it was deleted meanwhile.');
    expect(h.sim.stats.tokenRequests.refresh_token - before).toBe(1);
    const stored = (await h.store.getTokens()).find((t) => t.id === b.id);
    expect(stored?.accessToken).toBe(b.accessToken);
  });
});

describe('AttentionMonitor', () => {
  const view = (id: string, status: TokenView['status'], userName = `${id}@example.com`) =>
    ({ id, userName, status }) as TokenView;

  it('notifies once per token newly needing re-authorisation, keeps the badge at the count, and clears it', () => {
    const { calls, signals } = fakeSignals();
    const monitor = new AttentionMonitor(signals);
    monitor.observe([view('a', 'valid')]);
    monitor.observe([view('a', 'reauth'), view('b', 'valid')]);
    monitor.observe([view('a', 'reauth'), view('b', 'reauth')]);
    monitor.observe([view('a', 'reauth'), view('b', 'reauth')]);
    monitor.observe([
      view('a', 'valid'),
      view('b', 'reauth'),
      view('c', 'reauth'),
      view('d', 'reauth'),
      view('e', 'reauth'),
      view('f', 'reauth'),
    ]);
    monitor.reset();
    expect(calls).toEqual([
      { badge: 0 },
      { badge: 1 },
      { title: 'A token needs re-authorisation', body: expect.stringContaining('of a@example.com.') },
      { badge: 2 },
      { title: 'A token needs re-authorisation', body: expect.stringContaining('of b@example.com.') },
      { badge: 5 },
      {
        title: '4 tokens need re-authorisation',
        body: 'Zoho no longer accepts the refresh token of c@example.com, d@example.com, e@example.com and 1 more. Open TokenDesk and use Re-authorise.',
      },
      { badge: 0 },
    ]);
  });

  it('a signal that throws changes nothing else', () => {
    const monitor = new AttentionMonitor({
      setBadgeCount: () => {
        throw new Error('no dock');
      },
      notify: () => {
        throw new Error('no notifications');
      },
    });
    expect(() => monitor.observe([view('a', 'reauth')])).not.toThrow();
  });
});
