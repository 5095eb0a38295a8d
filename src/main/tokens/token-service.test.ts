import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_SELF_CLIENT } from '../../../sim';
import { NoClipboard } from '../common/clipboard';
import { type LogRecord, setLogSink } from '../log';
import { zohoFor } from '../zoho';
import { ServiceError, ThrottledError } from './errors';
import { type ServiceHarness, startServiceHarness } from './test-support/service-harness';
import { TokenService } from './token-service';

let h: ServiceHarness;
let logs: LogRecord[];
let restoreSink: () => void;
beforeEach(async () => {
  logs = [];
  restoreSink = setLogSink((r) => logs.push(r));
  h = await startServiceHarness();
});
afterEach(async () => {
  await h.close();
  restoreSink();
  // Every test doubles as a log scan: no token value or client secret in any line or field.
  const text = JSON.stringify(logs);
  expect(text).not.toMatch(/1000\.[0-9a-f]{32}/);
  expect(text).not.toContain(DEMO_SELF_CLIENT.clientSecret);
});

const US = 'admin@demo-us.example.com';
const refreshes = () => h.sim.stats.tokenRequests.refresh_token;

describe('list', () => {
  it('shows each status with masked previews and no raw secret anywhere', async () => {
    const valid = await h.stored(US);
    const expired = await h.stored('expired@example.com', { expired: true });
    const noRefresh = await h.saveToken({
      ...(await h.grant('norefresh@example.com')).token,
      refreshToken: null,
    });
    const soon = (await h.grant('soon@example.com')).token;
    const expiring = await h.saveToken({ ...soon, expiryTime: String(h.clock.now() + 60_000) });

    const views = await h.service.list();
    const byId = new Map(views.map((v) => [v.id, v]));
    expect(byId.get(valid.id!)?.status).toBe('valid');
    expect(byId.get(expired.id!)?.status).toBe('expired');
    expect(byId.get(expiring.id!)?.status).toBe('expiring');
    expect(byId.get(noRefresh.id!)?.status).toBe('reauth');
    expect(byId.get(valid.id!)?.accessTokenPreview).toMatch(/^1000\.[0-9a-f]{2}…[0-9a-f]{4}$/);

    const json = JSON.stringify(views);
    for (const t of [valid, expired, expiring, noRefresh]) {
      for (const secret of [t.accessToken, t.refreshToken, t.clientSecret]) {
        if (secret) expect(json).not.toContain(secret);
      }
    }
    expect(json).not.toContain(DEMO_SELF_CLIENT.clientSecret);
  });

  it('marks a token whose refresh token Zoho revoked as reauth, with the reason', async () => {
    const token = await h.stored(US, { expired: true });
    await h.clients.accounts.revoke({
      accountsServer: h.sim.dataCenter('US').accountsUrl,
      token: token.refreshToken!,
    });
    await expect(h.service.getValidAccessToken(token.id!)).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
    const [view] = await h.service.list();
    expect(view?.status).toBe('reauth');
    expect(view?.lastError).toMatch(/no longer accepts this refresh token/);
  });
});

describe('getValidAccessToken', () => {
  it('returns a valid token without calling Zoho', async () => {
    const token = await h.stored(US);
    expect((await h.service.getValidAccessToken(token.id!)).accessToken).toBe(token.accessToken);
    expect(refreshes()).toBe(0);
  });

  it('refreshes under 5,000 ms left (the SDK rule)', async () => {
    const token = await h.saveToken({
      ...(await h.grant(US)).token,
      expiryTime: String(h.clock.now() + 4_999),
    });
    const fresh = await h.service.getValidAccessToken(token.id!);
    expect(fresh.accessToken).not.toBe(token.accessToken);
    expect(refreshes()).toBe(1);
  });

  it('200 concurrent callers on one expired token cause exactly one refresh at Zoho', async () => {
    const token = await h.stored(US, { expired: true });
    h.sim.resetStats();
    const results = await Promise.all(
      Array.from({ length: 200 }, () => h.service.getValidAccessToken(token.id!)),
    );
    expect(refreshes()).toBe(1);
    expect(new Set(results.map((t) => t.accessToken)).size).toBe(1);
    expect(results[0]?.accessToken).not.toBe(token.accessToken);
    // A later caller re-reads the row and finds it fresh: still one refresh.
    await h.service.getValidAccessToken(token.id!);
    expect(refreshes()).toBe(1);
    expect(h.audit.list({ action: 'refresh' })).toHaveLength(1);
  });

  it('backs off after Zoho throttles, without asking Zoho again until the back-off passes', async () => {
    const token = await h.stored(US);
    // Zoho allows 10 refreshes per refresh token per 10 minutes; the 11th is throttled.
    for (let i = 0; i < 10; i++) await h.service.refreshNow(token.id!);
    const before = refreshes();
    const first = await h.service.refreshNow(token.id!).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ThrottledError);
    expect(refreshes()).toBe(before + 1);
    const retryAt = (first as ThrottledError).retryAt;
    expect((first as ThrottledError).message).toContain(new Date(retryAt).toISOString());

    // During the back-off nothing reaches Zoho, even when the access token expires.
    h.clock.advance(30_000);
    await expect(h.service.refreshNow(token.id!)).rejects.toMatchObject({ code: 'THROTTLED', retryAt });
    expect(refreshes()).toBe(before + 1);

    // After Zoho's window, refreshing works again.
    h.clock.advance(10 * 60_000);
    await h.service.refreshNow(token.id!);
    expect(refreshes()).toBe(before + 2);
    expect(h.audit.list({ action: 'refresh', outcome: 'failure' })[0]?.detail).toMatch(/limiting|too many/i);
  });

  it('a dropped connection mid-refresh leaves the stored token exactly as it was', async () => {
    const token = await h.stored(US, { expired: true });
    const before = await h.store.findTokenById(token.id!);
    h.sim.injectFault({ kind: 'refresh', fault: 'drop' });
    await expect(h.service.getValidAccessToken(token.id!)).rejects.toMatchObject({
      code: 'ZOHO_UNREACHABLE',
    });
    expect(await h.store.findTokenById(token.id!)).toEqual(before);
    expect(h.audit.list({ action: 'refresh', outcome: 'failure' })).toHaveLength(1);
    // The next call works normally.
    const fresh = await h.service.getValidAccessToken(token.id!);
    expect(fresh.accessToken).not.toBe(token.accessToken);
  });

  it('a new refresh token from Zoho replaces the old one', async () => {
    const token = await h.stored(US, { expired: true });
    const realRefresh = h.clients.accounts.refresh.bind(h.clients.accounts);
    const { accounts } = h.clients;
    const newRefresh = '1000.0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef';
    (accounts as { refresh: typeof accounts.refresh }).refresh = async (input) => ({
      ...(await realRefresh(input)),
      refreshToken: newRefresh,
      refreshTokenIsNew: true,
    });
    const fresh = await h.service.getValidAccessToken(token.id!);
    expect(fresh.refreshToken).toBe(newRefresh);
    expect((await h.store.findTokenById(token.id!))?.refreshToken).toBe(newRefresh);
  });

  it('unknown id is a clear NOT_FOUND', async () => {
    await expect(h.service.getValidAccessToken('999')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('testCall', () => {
  it('calls CurrentUser and org and keeps the result as the last test', async () => {
    const token = await h.stored(US);
    const result = await h.service.testCall(token.id!);
    expect(result).toMatchObject({
      ok: true,
      httpStatus: 200,
      userEmail: US,
      refreshed: false,
      errorCode: null,
    });
    expect(result.orgName).toBeTruthy();
    const [view] = await h.service.list();
    expect(view?.lastTest).toEqual(result);
    expect(h.audit.list({ action: 'test' })[0]?.outcome).toBe('success');
  });

  it('on 401 INVALID_TOKEN refreshes exactly once and retries', async () => {
    const granted = (await h.grant(US)).token;
    const token = await h.saveToken({
      ...granted,
      accessToken: '1000.deaddeaddeaddeaddeaddeaddeaddead.deaddeaddeaddeaddeaddeaddeaddead',
    });
    h.sim.resetStats();
    const result = await h.service.testCall(token.id!);
    expect(result).toMatchObject({ ok: true, refreshed: true, userEmail: US });
    expect(refreshes()).toBe(1);
  });

  it('reports a token that stays dead after the one refresh, without looping', async () => {
    const token = await h.stored(US);
    await h.clients.accounts.revoke({
      accountsServer: h.sim.dataCenter('US').accountsUrl,
      token: token.refreshToken!,
    });
    h.sim.resetStats();
    const result = await h.service.testCall(token.id!);
    expect(result.ok).toBe(false);
    expect(result.httpStatus).toBe(401);
    expect(result.errorCode).toBe('REAUTH_REQUIRED');
    expect(refreshes()).toBe(1);
  });
});

describe('copyAccessToken', () => {
  it('puts a valid access token on the clipboard and audits it without the secret', async () => {
    const token = await h.stored(US, { expired: true });
    const result = await h.service.copyAccessToken(token.id!);
    const fresh = await h.store.findTokenById(token.id!);
    expect(h.clipboard.text).toBe(fresh?.accessToken);
    expect(result.expiresAt).toBe(Number(fresh?.expiryTime));
    const [row] = h.audit.list({ action: 'copy' });
    expect(row?.detail).not.toContain(fresh?.accessToken ?? 'x');
    expect(row?.detail).toContain('cleared from it in 60 s');
  });

  /** A timer the test fires by hand: no waiting. */
  function manualTimer() {
    const pending: { ms: number; run: () => void; cancelled: boolean }[] = [];
    return {
      pending,
      schedule: (ms: number, run: () => void) => {
        const entry = { ms, run, cancelled: false };
        pending.push(entry);
        return () => {
          entry.cancelled = true;
        };
      },
      /** Fires every timer not cancelled, as if their time had come, and lets the clear finish. */
      fire: async () => {
        for (const entry of pending.splice(0)) if (!entry.cancelled) entry.run();
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
  }

  function serviceWith(timer: ReturnType<typeof manualTimer>) {
    return new TokenService({
      store: h.store,
      zoho: zohoFor(() => h.clients),
      audit: h.audit,
      notes: h.notes,
      clipboard: h.clipboard,
      clock: h.clock,
      timer: timer.schedule,
    });
  }

  it('clears the copied token from the clipboard after 60 s, if it is still there', async () => {
    const timer = manualTimer();
    const service = serviceWith(timer);
    const token = await h.stored(US);
    await service.copyAccessToken(token.id!);
    expect(h.clipboard.text).toBe(token.accessToken);
    expect(timer.pending.map((t) => t.ms)).toEqual([60_000]);
    await timer.fire();
    expect(h.clipboard.text).toBeNull();
  });

  it('leaves the clipboard alone when the user copied something else meanwhile', async () => {
    const timer = manualTimer();
    const service = serviceWith(timer);
    const token = await h.stored(US);
    await service.copyAccessToken(token.id!);
    h.clipboard.writeText('a note the user copied');
    await timer.fire();
    expect(h.clipboard.text).toBe('a note the user copied');
  });

  it('a second copy replaces the first one pending; close clears the token at once', async () => {
    const timer = manualTimer();
    const service = serviceWith(timer);
    const first = await h.stored(US);
    const second = await h.stored('second@example.com');
    await service.copyAccessToken(first.id!);
    await service.copyAccessToken(second.id!);
    expect(timer.pending.map((t) => t.cancelled)).toEqual([true, false]);
    await service.close();
    expect(h.clipboard.text).toBeNull();
    await timer.fire();
    expect(h.clipboard.text).toBeNull();
  });

  it('in a process with no clipboard (CLI, SDK server) a copy is refused in plain words and not audited', async () => {
    const service = new TokenService({
      store: h.store,
      zoho: zohoFor(() => h.clients),
      audit: h.audit,
      notes: h.notes,
      clipboard: new NoClipboard(),
      clock: h.clock,
    });
    const token = await h.stored(US);
    await expect(service.copyAccessToken(token.id!)).rejects.toMatchObject({
      code: 'NO_CLIPBOARD',
      message: 'This process has no clipboard to copy a token to.',
    });
    expect(h.audit.list({ action: 'copy' })).toEqual([]);
    await service.close();
  });
});

describe('delete', () => {
  it('revokes at Zoho, then deletes', async () => {
    const token = await h.stored(US);
    const result = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false });
    expect(result).toEqual({
      id: token.id,
      revoke: { state: 'revoked' },
      deleted: true,
      pendingRevoke: false,
      deleteError: null,
      warnings: [],
    });
    expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(false);
    expect(await h.store.findTokenById(token.id!)).toBeNull();
    expect(h.changes).toContain('delete');
  });

  it('a failed revoke is reported and nothing is deleted, unless asked to delete anyway', async () => {
    const token = await h.stored(US);
    h.sim.injectFault({ kind: 'revoke', fault: '5xx', times: 2 });
    const kept = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false });
    expect(kept.deleted).toBe(false);
    expect(kept.revoke).toMatchObject({ state: 'failed', code: 'SERVER_ERROR' });
    expect(await h.store.findTokenById(token.id!)).not.toBeNull();

    const forced = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: true });
    expect(forced).toMatchObject({ deleted: true, revoke: { state: 'failed' } });
    expect(await h.store.findTokenById(token.id!)).toBeNull();
    expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
  });

  it('without revoke, deletes locally and leaves the token alive at Zoho', async () => {
    const token = await h.stored(US);
    const result = await h.service.delete(token.id!, { revoke: false, deleteIfRevokeFails: false });
    expect(result).toMatchObject({ deleted: true, revoke: { state: 'skipped' } });
    expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
  });
});

describe('clearAll', () => {
  it('reports the one failed revoke and still deletes the rest as asked', async () => {
    const tokens = [
      await h.stored('a@example.com'),
      await h.stored('b@example.com'),
      await h.stored('c@example.com'),
    ];
    h.sim.injectFault({ kind: 'revoke', fault: '5xx', times: 1 });
    const progress: { done: number; total: number }[] = [];
    const result = await h.service.clearAll({
      revoke: true,
      expectedCount: 3,
      deleteIfRevokeFails: false,
      onProgress: (p) => progress.push(p),
    });
    expect(result.revokeFailedCount).toBe(1);
    expect(result.deletedCount).toBe(2);
    const failed = result.results.find((r) => r.revoke.state === 'failed');
    expect(failed?.deleted).toBe(false);
    expect(failed?.userName).toMatch(/@example\.com$/);
    const remaining = await h.service.list();
    expect(remaining.map((v) => v.id)).toEqual([failed?.id]);
    for (const t of tokens.filter((t) => t.id !== failed?.id)) {
      expect(h.sim.isRefreshTokenActive(t.refreshToken!)).toBe(false);
    }
    expect(progress.at(-1)).toEqual({ done: 3, total: 3 });
    expect(h.audit.list({ action: 'clear' })[0]?.detail).toContain('2 of 3 tokens deleted');
  });

  it('reports progress at most every 100 ms, plus the start and the end', async () => {
    for (let i = 0; i < 12; i++) await h.stored(`p${i}@example.com`);
    const progress: number[] = [];
    await h.service.clearAll({
      revoke: false,
      expectedCount: 12,
      deleteIfRevokeFails: true,
      concurrency: 1,
      onProgress: (p) => {
        progress.push(p.done);
        expect(p.total).toBe(12);
      },
    });
    // No time passed: only the start and the final count reach the renderer.
    expect(progress).toEqual([0, 12]);

    for (let i = 0; i < 12; i++) await h.stored(`q${i}@example.com`);
    progress.length = 0;
    // A clock that moves 40 ms each time the service reads it (once per report decision).
    let now = h.clock.now();
    const ticking = new TokenService({
      store: h.store,
      zoho: zohoFor(() => h.clients),
      audit: h.audit,
      notes: h.notes,
      clipboard: h.clipboard,
      clock: { now: () => (now += 40) },
    });
    await ticking.clearAll({
      revoke: false,
      expectedCount: 12,
      deleteIfRevokeFails: true,
      concurrency: 1,
      onProgress: (p) => progress.push(p.done),
    });
    // A report is due every third token (120 ms >= 100 ms), and the last one always comes.
    expect(progress).toEqual([0, 3, 6, 9, 12]);
  });

  it('refuses when the count differs from what the user confirmed, touching nothing', async () => {
    await h.stored('a@example.com');
    await h.stored('b@example.com');
    h.sim.resetStats();
    const error = await h.service
      .clearAll({ revoke: true, expectedCount: 1, deleteIfRevokeFails: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'COUNT_MISMATCH' });
    expect((error as Error).message).toContain('2 tokens');
    expect(h.sim.stats.revokeRequests).toBe(0);
    expect(await h.service.list()).toHaveLength(2);
  });
});

describe('grants', () => {
  it('saveGranted upserts by user+client+DC+env and revokes the replaced refresh token', async () => {
    const first = await h.service.saveGranted(await h.grant(US));
    const firstRow = await h.store.findTokenById(first.id);
    const second = await h.service.saveGranted(await h.grant(US));
    expect(second.id).toBe(first.id);
    expect(await h.service.list()).toHaveLength(1);
    expect(h.sim.isRefreshTokenActive(firstRow!.refreshToken!)).toBe(false);
    expect(h.audit.list({ action: 'grant' })).toHaveLength(2);
    expect(h.audit.list({ action: 'revoke' })[0]?.outcome).toBe('success');
  });

  it('reauthorise updates the same row and revokes the refresh token it replaces', async () => {
    const token = await h.stored(US);
    let asked: unknown;
    const view = await h.service.reauthorise(token.id!, async (target) => {
      asked = target;
      return h.grant(US);
    });
    expect(asked).toMatchObject({
      clientId: DEMO_SELF_CLIENT.clientId,
      dataCenter: 'US',
      environment: 'production',
      userName: US,
    });
    expect(view.id).toBe(token.id);
    const row = await h.store.findTokenById(token.id!);
    expect(row?.refreshToken).not.toBe(token.refreshToken);
    expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(false);
    expect(h.sim.isRefreshTokenActive(row!.refreshToken!)).toBe(true);
    expect(await h.service.list()).toHaveLength(1);
  });

  it('reauthorise refuses a different user, revokes the new token and changes nothing', async () => {
    const token = await h.stored(US);
    const before = await h.store.findTokenById(token.id!);
    const other = await h.grant('someone-else@example.com');
    await expect(h.service.reauthorise(token.id!, async () => other)).rejects.toMatchObject({
      code: 'DIFFERENT_USER',
    });
    expect(await h.store.findTokenById(token.id!)).toEqual(before);
    expect(h.sim.isRefreshTokenActive(other.token.refreshToken!)).toBe(false);
    expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
  });
});

describe('rows the official SDK named <email>:<org id>', () => {
  const SDK_NAME = `${US}:800000001`;

  it('audit rows, the clear-all outcome and the different-user refusal name the email', async () => {
    const granted = (await h.grant(US)).token;
    const token = await h.saveToken({ ...granted, userName: SDK_NAME });
    await h.service.refreshNow(token.id!);
    const other = await h.grant('someone-else@example.com');
    const refused = await h.service.reauthorise(token.id!, async () => other).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'DIFFERENT_USER' });
    const { message, hint } = refused as { message: string; hint: string };
    expect(`${message} ${hint}`).toContain(`belongs to ${US}.`);
    expect(`${message} ${hint}`).not.toContain(SDK_NAME);
    // The stored name stays as the SDK wrote it (the SDK finds its token by it).
    expect((await h.store.findTokenById(token.id!))?.userName).toBe(SDK_NAME);

    const cleared = await h.service.clearAll({ revoke: true, expectedCount: 1, deleteIfRevokeFails: true });
    expect(cleared.results.map((r) => r.userName)).toEqual([US]);
    const rows = h.audit.list({ tokenId: token.id! });
    const users = new Set(rows.map((r) => `${r.action} ${r.outcome} ${r.userName}`));
    for (const row of [
      `refresh success ${US}`,
      `grant failure ${US}`,
      `revoke success ${US}`,
      `delete success ${US}`,
    ]) {
      expect(users).toContain(row);
    }
    expect(JSON.stringify(rows) + h.audit.exportCsv().csv).not.toContain(SDK_NAME);
  });
});

describe('audit', () => {
  it('writes a row for each action and never a secret', async () => {
    const view = await h.service.saveGranted(await h.grant(US));
    await h.service.refreshNow(view.id);
    await h.service.testCall(view.id);
    await h.service.copyAccessToken(view.id);
    await h.service.saveGranted(await h.grant('b@example.com'), 'import');
    await h.service.delete(view.id, { revoke: true, deleteIfRevokeFails: false });
    await h.service.clearAll({ revoke: true, expectedCount: 1, deleteIfRevokeFails: true });
    h.audit.exportCsv();
    const actions = new Set(h.audit.list().map((e) => e.action));
    for (const a of [
      'grant',
      'refresh',
      'test',
      'copy',
      'import',
      'revoke',
      'delete',
      'clear',
      'export',
    ] as const) {
      expect(actions).toContain(a);
    }
    const dump = JSON.stringify(h.audit.list()) + h.audit.exportCsv().csv;
    expect(dump).not.toMatch(/1000\.[0-9a-f]{32}/);
    expect(dump).not.toContain(DEMO_SELF_CLIENT.clientSecret);
  });
});

describe('unreadable rows', () => {
  it('are listed as unreadable, never block the rest, and can be deleted (revoke reported as impossible)', async () => {
    const good = await h.stored(US);
    const bad = await h.stored('tampered@example.com');
    // Another row's envelope moved here fails authentication (its AAD binds row id and identity).
    const envelopeOf = h.store.database.prepare('SELECT secrets_enc FROM tokens WHERE id = ?').pluck();
    const setEnvelope = h.store.database.prepare('UPDATE tokens SET secrets_enc = ? WHERE id = ?');
    const goodEnvelope = envelopeOf.get(Number(good.id));
    setEnvelope.run(goodEnvelope, Number(bad.id));
    const views = await h.service.list();
    expect(views.find((v) => v.id === bad.id)).toMatchObject({
      status: 'unreadable',
      userName: 'tampered@example.com',
    });
    expect(views.find((v) => v.id === good.id)?.status).toBe('valid');

    // Listed again: the store's cache never hides a row tampered after it was cached.
    setEnvelope.run(Buffer.of(1), Number(good.id));
    expect((await h.service.list()).map((v) => v.status)).toEqual(['unreadable', 'unreadable']);
    setEnvelope.run(goodEnvelope, Number(good.id));
    expect((await h.service.list()).find((v) => v.id === good.id)?.status).toBe('valid');

    const kept = await h.service.delete(bad.id!, { revoke: true, deleteIfRevokeFails: false });
    expect(kept).toMatchObject({ deleted: false, revoke: { state: 'failed', code: 'UNREADABLE' } });
    const removed = await h.service.delete(bad.id!, { revoke: false, deleteIfRevokeFails: false });
    expect(removed.deleted).toBe(true);
    expect((await h.service.list()).map((v) => v.id)).toEqual([good.id]);
  });
});
