import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_SELF_CLIENT, startZohoSimulator, type ZohoSimulator } from '../../../sim';
import type { TokenJobResult } from '../../shared/ipc/token-jobs';
import type { ScheduleTimer } from '../common/clock';
import { MemorySettings } from '../common/test-support/memory-settings';
import { tempDir } from '../store/test-support/temp-store';
import type { AttentionSignals } from '../token-jobs/attention';
import type { TokenDeskCore } from './core';
import { type CoreEvent, startTestCore, TEST_PASSPHRASE, type TestCore } from './test-support/test-core';

/**
 * Check all, the bulk actions and the schedule through the core's router (docs/health.md): the real
 * store, the simulator in demo mode, the attention signals faked (the Electron edge is not run here).
 */
const PASS = TEST_PASSPHRASE;
let dir: { dir: string; cleanup: () => void };
let core: TokenDeskCore;
let sim: ZohoSimulator | null;
let events: CoreEvent[];
let timers: Array<{ ms: number; run: () => void; cancelled: boolean }>;
let signals: Array<{ badge?: number; title?: string }>;
let settings: MemorySettings;
let app: TestCore;

/** Short waits (the jobs' pacing) run for real; long ones (the schedule, hours) wait for the test. */
const timer: ScheduleTimer = (ms, run) => {
  if (ms < 60_000) {
    const handle = setTimeout(run, ms);
    return () => clearTimeout(handle);
  }
  const entry = { ms, run, cancelled: false };
  timers.push(entry);
  return () => {
    entry.cancelled = true;
  };
};
const attention: AttentionSignals = {
  setBadgeCount: (badge) => signals.push({ badge }),
  notify: ({ title }) => signals.push({ title }),
};

const call = <T>(method: string, request?: unknown) => app.call<T>(method, request);
const ok = <T>(method: string, request?: unknown) => app.ok<T>(method, request);

async function addToken(user: string): Promise<{ id: string }> {
  const code = sim!.issueSelfClientGrantCode({
    clientId: DEMO_SELF_CLIENT.clientId,
    scopes: ['ZohoCRM.users.READ', 'ZohoCRM.org.READ'],
    userEmail: user,
  });
  return ok('signInWithGrantCode', {
    dataCenter: 'US',
    environment: 'production',
    clientId: DEMO_SELF_CLIENT.clientId,
    clientSecret: DEMO_SELF_CLIENT.clientSecret,
    grantCode: code.code,
  });
}

beforeEach(async () => {
  dir = tempDir();
  events = [];
  timers = [];
  signals = [];
  sim = null;
  settings = new MemorySettings({ autoLockSeconds: 0 });
  app = await startTestCore({
    dataDir: dir.dir,
    settings,
    notify: (event, payload) => events.push({ event, payload }),
    loopbackPort: 0,
    timer,
    attentionSignals: attention,
    startSimulator: async () => {
      sim = await startZohoSimulator();
      return sim;
    },
  });
  core = app.core;
  await ok('startDemo');
  await ok('setupStore', { protector: 'passphrase', passphrase: PASS });
});
afterEach(async () => {
  await core.close();
  dir.cleanup();
});

describe('token jobs through the core', () => {
  it('Check all answers one outcome per token with progress events, and the list export has no secret', async () => {
    const a = await addToken('admin@demo-us.example.com');
    const result = await ok<TokenJobResult>('checkAllTokens', {});
    expect(result.outcomes).toEqual([
      expect.objectContaining({ id: a.id, state: 'done', label: 'CRM call worked' }),
    ]);
    const progress = events.filter((e) => e.event === 'tokens.jobProgress').map((e) => e.payload);
    expect(progress.at(-1)).toMatchObject({
      jobId: result.jobId,
      done: 1,
      total: 1,
      finished: true,
      trigger: 'manual',
    });

    const exported = await ok<{ csv: string; count: number }>('exportTokenList', { ids: [a.id] });
    expect(exported.count).toBe(1);
    expect(exported.csv).toContain('admin@demo-us.example.com');
    expect(exported.csv).not.toContain(DEMO_SELF_CLIENT.clientSecret);
    expect(exported.csv).not.toMatch(/1000\.[0-9a-f]{8}/);
    const audit = await ok<Array<{ action: string; detail: string }>>('listAudit', { action: 'export' });
    expect(audit[0]?.detail).toBe(
      'Token list exported as CSV: 1 token (names, status and dates; no secrets).',
    );
  });

  it('refuses a bulk request naming no token, or an unknown action, before anything runs', async () => {
    for (const request of [
      { action: 'test', ids: [] },
      { action: 'check', ids: ['x'] },
      { action: 'revoke-everything', ids: ['x'] },
    ]) {
      const answer = await call('runTokenJob', request);
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    }
    expect(events.filter((e) => e.event === 'tokens.jobProgress')).toEqual([]);
  });

  it('locking the store cancels a running check instead of waiting for it', async () => {
    for (const user of ['a@example.com', 'b@example.com', 'c@example.com']) {
      sim!.registerUser({
        email: user,
        fullName: user,
        zuid: `7${user.length}`,
        dataCenter: 'US',
        orgName: 'Org',
      });
      await addToken(user);
    }
    sim!.injectFault({ kind: 'crm', fault: 'hold', times: 2 });
    const pending = call<TokenJobResult>('checkAllTokens', {});
    await expect.poll(() => sim!.heldRequests).toBe(2);
    const locking = ok('lockStore');
    sim!.releaseHeld();
    await locking;
    const answer = await pending;
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.value.cancelled).toBe(true);
    expect(answer.value.counts.cancelled).toBeGreaterThan(0);
  });

  it('the schedule is off by default; set to 6 h it checks every token and signals one needing re-authorisation', async () => {
    const armed = () => timers.filter((t) => !t.cancelled && t.ms === 6 * 3_600_000);
    expect(armed()).toHaveLength(0);
    const token = await addToken('admin@demo-us.example.com');
    await ok('updateSettings', { healthCheckHours: 6 });
    expect(armed()).toHaveLength(1);
    // Revoked elsewhere (its access tokens die with it): the check's call and its retry are refused.
    for (const refreshToken of sim!.activeRefreshTokens()) {
      const url = new URL('/oauth/v2/token/revoke', sim!.dataCenter('US').accountsUrl);
      url.searchParams.set('token', refreshToken);
      expect((await fetch(url, { method: 'POST' })).ok).toBe(true);
    }
    signals.length = 0;
    const turn = armed()[0]!;
    turn.cancelled = true;
    turn.run();
    await expect
      .poll(() =>
        events.some((e) => e.event === 'tokens.jobProgress' && (e.payload as { finished: boolean }).finished),
      )
      .toBe(true);
    const last = events.filter((e) => e.event === 'tokens.jobProgress').at(-1)?.payload;
    expect(last).toMatchObject({ trigger: 'schedule', done: 1, total: 1 });
    const audit = await ok<Array<{ detail: string }>>('listAudit', { action: 'test' });
    expect(audit[0]?.detail).toMatch(/^Check all \(scheduled\) of 1 tokens/);
    expect(audit[0]?.detail).toContain('1 failed');
    // Told outside the window: the badge shows 1, and one notification.
    expect(signals).toEqual([{ badge: 1 }, { title: 'A token needs re-authorisation' }]);
    const outcome = (
      await ok<Array<{ tokenId: string | null; outcome: string }>>('listAudit', { tokenId: token.id })
    )[0];
    expect(outcome?.outcome).toBe('failure');
    // The next turn is armed again.
    await expect.poll(() => armed().length).toBe(1);
  });
});
