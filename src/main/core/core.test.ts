import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_CLIENT,
  DEMO_SELF_CLIENT,
  driveConsent,
  simulatorEndpoints,
  startZohoSimulator,
  type ZohoSimulator,
} from '../../../sim';
import { MemoryClipboard } from '../common/test-support/memory-clipboard';
import { MemorySettings } from '../common/test-support/memory-settings';
import { type LogRecord, setLogSink } from '../log';
import type { BrowserOpener } from '../oauth';
import { SimBrowser } from '../oauth/test-support/sim-browser';
import { tempDir } from '../store/test-support/temp-store';
import type { ZohoEndpoints } from '../zoho';
import { clientsFor, type LogFolder, type TokenDeskCore } from './core';
import {
  type CoreEvent,
  startTestCore,
  TEST_PASSPHRASE,
  type TestCore,
  testKeychain,
} from './test-support/test-core';

const PASS = TEST_PASSPHRASE;
const US = 'admin@demo-us.example.com';
const SCOPES = ['ZohoCRM.users.READ', 'ZohoCRM.org.READ'];

let dir: { dir: string; cleanup: () => void };
let events: CoreEvent[];
let logs: LogRecord[];
let restoreSink: () => void;
let sim: ZohoSimulator | null;
let browser: BrowserOpener;
const clipboard = new MemoryClipboard();
const running: TokenDeskCore[] = [];

beforeEach(() => {
  dir = tempDir();
  events = [];
  logs = [];
  sim = null;
  restoreSink = setLogSink((r) => logs.push(r));
  browser = { open: async () => {} };
});
afterEach(async () => {
  for (const core of running.splice(0)) await core.close();
  restoreSink();
  dir.cleanup();
});

/** The keychain's stand-in, with a switch to make it fail. */
let keychainBroken = false;
const fakeKeychain = testKeychain(() => keychainBroken);

async function start(
  options: {
    keychain?: boolean;
    settings?: MemorySettings;
    settingsPort?: boolean;
    dataDir?: string;
    endpoints?: ZohoEndpoints;
    logFolder?: LogFolder;
  } = {},
): Promise<TestCore> {
  const app = await startTestCore({
    ...(options.endpoints ? { endpoints: options.endpoints } : {}),
    ...(options.logFolder ? { logFolder: options.logFolder } : {}),
    dataDir: options.dataDir ?? dir.dir,
    settings: options.settings ?? new MemorySettings(),
    clipboard,
    browserOpener: { open: (url) => browser.open(url) },
    keychain: options.keychain ? fakeKeychain : null,
    notify: (event, payload) => events.push({ event, payload }),
    // Tests listen on any free port, unless the settings' port is what is being tested.
    ...(options.settingsPort ? {} : { loopbackPort: 0 }),
    signInTimeoutMs: 10_000,
    startSimulator: async () => {
      sim = await startZohoSimulator();
      return sim;
    },
  });
  running.push(app.core);
  return app;
}

/** A browser sign-in with demo mode's client in the US, under a fresh flow id unless `overrides` names one. */
function demoBrowserSignIn(
  demo: { clientId: string; clientSecret: string },
  overrides: Record<string, unknown> = {},
) {
  return {
    flowId: randomUUID(),
    dataCenter: 'US',
    environment: 'production',
    clientId: demo.clientId,
    clientSecret: demo.clientSecret,
    scopes: SCOPES,
    ...overrides,
  };
}

/** Resolves once the sign-in `flowId` reports that it waits for the browser (its consent URL is open). */
async function waitingForBrowser(flowId: string): Promise<void> {
  const waiting = (e: { payload: unknown }) => {
    const p = e.payload as { flowId?: string; stage?: string };
    return p.flowId === flowId && p.stage === 'waiting-for-browser';
  };
  while (!events.some(waiting)) await new Promise((r) => setTimeout(r, 5));
}

/** A browser sign-in cancelled while it waits for the person: it answers CANCELLED. Returns its flow id. */
async function cancelWhileWaiting(app: TestCore, demo: { clientId: string; clientSecret: string }) {
  browser = new SimBrowser(sim!, { email: US, idle: true });
  const request = demoBrowserSignIn(demo);
  const pending = app.call('signInWithBrowser', request);
  await waitingForBrowser(request.flowId);
  await app.ok('cancelSignIn', { flowId: request.flowId });
  expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  return request.flowId;
}

async function restart(previous: TestCore, options: { keychain?: boolean } = {}): Promise<TestCore> {
  await previous.core.close();
  running.splice(running.indexOf(previous.core), 1);
  return start(options);
}

describe('help: the log folder', () => {
  it('opens the folder it was given and names it', async () => {
    const opened: string[] = [];
    const path = join(dir.dir, 'logs');
    const app = await start({ logFolder: { path, open: async () => void opened.push(path) } });
    // Works before set-up and while locked: the log is what a user needs when the store will not open.
    expect(await app.ok('openLogFolder', {})).toEqual({ opened: true, path });
    expect(opened).toEqual([path]);
  });

  it('says the folder was not opened when the system refuses, and still names it', async () => {
    const path = join(dir.dir, 'logs');
    const app = await start({
      logFolder: {
        path,
        open: async () => {
          throw new Error('No application is registered for folders');
        },
      },
    });
    expect(await app.ok('openLogFolder', {})).toEqual({ opened: false, path });
  });

  it('without a log file says so instead of pretending', async () => {
    const app = await start();
    expect(await app.ok('openLogFolder', {})).toEqual({ opened: false, path: '' });
  });
});

describe('data folder', () => {
  it.skipIf(process.platform === 'win32')('creates a missing data folder owner-only (0700)', async () => {
    const dataDir = join(dir.dir, 'userData', 'TokenDesk');
    const app = await start({ dataDir });
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });
});

describe('store lifecycle', () => {
  it('sets up with a passphrase, then locks at restart and unlocks only with the right passphrase', async () => {
    let app = await start();
    expect(await app.ok('getStatus')).toMatchObject({ store: 'uninitialised', protector: null });
    expect(await app.call('listTokens')).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS })).toMatchObject({
      store: 'unlocked',
      protector: 'passphrase',
    });
    expect(await app.list()).toEqual([]);
    expect(await app.call('setupStore', { protector: 'passphrase', passphrase: PASS })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_SET_UP' },
    });

    app = await restart(app);
    expect(await app.ok('getStatus')).toMatchObject({ store: 'locked', protector: 'passphrase' });
    for (const method of ['listTokens', 'listAudit', 'exportAuditCsv']) {
      const refused = await app.call(method, {});
      expect(refused).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
      if (!refused.ok) expect(refused.error.message).toMatch(/locked/i);
    }
    expect(await app.call('refreshToken', { id: '1' })).toMatchObject({
      ok: false,
      error: { code: 'LOCKED' },
    });

    const wrong = await app.call('unlockStore', { passphrase: 'not the passphrase' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    expect(await app.ok('getStatus')).toMatchObject({ store: 'locked' });
    expect(await app.ok('unlockStore', { passphrase: PASS })).toMatchObject({ store: 'unlocked' });

    const audit = await app.ok<{ action: string; outcome: string }[]>('listAudit', {});
    expect(audit.map((e) => e.action)).toEqual(['unlock', 'unlock_failed', 'unlock']);
  });

  it('changes the passphrase only with the right current one', async () => {
    let app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    expect(
      await app.call('changePassphrase', { current: 'wrong passphrase', next: 'a new passphrase' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE' },
    });
    expect(await app.ok('changePassphrase', { current: PASS, next: 'a new passphrase' })).toEqual({
      changed: true,
      warning: null,
    });
    app = await restart(app);
    expect(await app.call('unlockStore', { passphrase: PASS })).toMatchObject({ ok: false });
    expect(await app.ok('unlockStore', { passphrase: 'a new passphrase' })).toMatchObject({
      store: 'unlocked',
    });
    const actions = (await app.ok<{ action: string }[]>('listAudit', {})).map((e) => e.action);
    expect(actions).toContain('passphrase_changed');
  });

  it('refuses the keychain where there is none, with a reason', async () => {
    const app = await start();
    expect((await app.ok<{ keychain: unknown }>('getStatus')).keychain).toMatchObject({ available: false });
    expect(await app.call('setupStore', { protector: 'keychain' })).toMatchObject({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE' },
    });
  });
});

describe('keychain', () => {
  it('a keychain store unlocks by itself at start; a failing keychain leaves it locked with a reason', async () => {
    keychainBroken = false;
    let app = await start({ keychain: true });
    expect(await app.ok('setupStore', { protector: 'keychain' })).toMatchObject({
      store: 'unlocked',
      protector: 'keychain',
    });
    app = await restart(app, { keychain: true });
    expect(await app.ok('getStatus')).toMatchObject({ store: 'unlocked', protector: 'keychain' });

    keychainBroken = true;
    app = await restart(app, { keychain: true });
    const status = await app.ok<{ store: string; keychain: { reason: string | null } }>('getStatus');
    expect(status.store).toBe('locked');
    expect(status.keychain.reason).toMatch(/keychain/i);
    expect(await app.call('unlockStore', { passphrase: 'anything at all' })).toMatchObject({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE' },
    });
    keychainBroken = false;
  });
});

describe('demo mode and sign-in', () => {
  it('signs in through the browser, Self Client and import, then runs token actions, with no secret leaking', async () => {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const status = await app.ok<{
      demo: { clientId: string; clientSecret: string; users: string[]; redirectUri: string };
    }>('startDemo');
    expect(status.demo).toMatchObject({
      users: expect.arrayContaining([US]),
      redirectUri: expect.stringContaining('127.0.0.1'),
    });
    expect(app.core.simulatorOrigins().length).toBe(2);
    const s = sim!;

    // Browser flow (the simulated person accepts at the consent page).
    browser = new SimBrowser(s, { email: US });
    const flowId = randomUUID();
    const viaBrowser = await app.ok<{ id: string; userName: string; status: string }>(
      'signInWithBrowser',
      demoBrowserSignIn(status.demo, { flowId }),
    );
    expect(viaBrowser).toMatchObject({ userName: US, status: 'valid' });
    const stages = events
      .filter((e) => e.event === 'signin.progress')
      .map((e) => (e.payload as { stage: string }).stage);
    expect(stages).toContain('waiting-for-browser');
    expect(stages.at(-1)).toBe('done');
    expect(events.some((e) => e.event === 'tokens.changed')).toBe(true);

    // Re-authorise: same row, the replaced refresh token revoked.
    const reauth = await app.ok<{ id: string }>('reauthorise', { id: viaBrowser.id, flowId: randomUUID() });
    expect(reauth.id).toBe(viaBrowser.id);
    expect(s.stats.revokes).toBe(1);

    // Self Client grant code (EU user), and an imported refresh token.
    const eu = 'admin@demo-eu.example.com';
    const code = s.issueSelfClientGrantCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      scopes: SCOPES,
      userEmail: eu,
    });
    const selfClient = await app.ok<{ id: string; dataCenter: string }>('signInWithGrantCode', {
      dataCenter: 'EU',
      environment: 'production',
      clientId: DEMO_SELF_CLIENT.clientId,
      clientSecret: DEMO_SELF_CLIENT.clientSecret,
      grantCode: code.code,
    });
    expect(selfClient.dataCenter).toBe('EU');

    const code2 = s.issueSelfClientGrantCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      scopes: SCOPES,
      userEmail: US,
    });
    const exchanged = await fetch(new URL('/oauth/v2/token', s.dataCenter('US').accountsUrl), {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: DEMO_SELF_CLIENT.clientId,
        client_secret: DEMO_SELF_CLIENT.clientSecret,
        code: code2.code,
      }),
    });
    const { refresh_token: imported } = (await exchanged.json()) as { refresh_token: string };
    await app.ok('importRefreshToken', {
      dataCenter: 'US',
      environment: 'production',
      clientId: DEMO_SELF_CLIENT.clientId,
      clientSecret: DEMO_SELF_CLIENT.clientSecret,
      refreshToken: imported,
    });

    const list = await app.list();
    expect(list).toHaveLength(3);
    expect(await app.ok('testToken', { id: selfClient.id })).toMatchObject({ ok: true });
    await app.ok('refreshToken', { id: selfClient.id });
    expect(await app.ok('copyAccessToken', { id: selfClient.id })).toMatchObject({ copied: true });
    expect(clipboard.text).toMatch(/^1000\./);
    expect(await app.ok('deleteToken', { id: selfClient.id, revoke: true })).toMatchObject({ deleted: true });
    expect(await app.call('clearAllTokens', { revoke: true, expectedCount: 5 })).toMatchObject({
      ok: false,
      error: { code: 'COUNT_MISMATCH' },
    });
    expect(await app.ok('clearAllTokens', { revoke: true, expectedCount: 2 })).toMatchObject({
      deletedCount: 2,
    });
    expect(events.filter((e) => e.event === 'tokens.clearProgress').at(-1)?.payload).toEqual({
      done: 2,
      total: 2,
    });
    const csv = await app.ok<{ csv: string; count: number }>('exportAuditCsv', {});
    expect(csv.count).toBeGreaterThan(5);

    // Nothing secret in any response, event, audit row or log line.
    const everything = JSON.stringify({ list, events, csv, logs, audit: await app.ok('listAudit', {}) });
    expect(everything).not.toMatch(/1000\.[0-9a-f]{32}/);
    expect(everything).not.toContain(imported);
    expect(everything).not.toContain(DEMO_SELF_CLIENT.clientSecret);
  });

  it('fresh install: offers demo mode, and its browser sign-in works even when the redirect port is taken', async () => {
    // Something else holds the redirect port the settings name (53682 by default on a real machine).
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const busyPort = (squatter.address() as AddressInfo).port;
    try {
      const app = await start({
        settings: new MemorySettings({ redirectPort: busyPort }),
        settingsPort: true,
      });
      expect(await app.ok('getStatus')).toMatchObject({ demo: { running: false } });
      await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
      const status = await app.ok<{ demo: { clientId: string; clientSecret: string; running: boolean } }>(
        'startDemo',
      );
      expect(status.demo.running).toBe(true);
      // A person at the consent page; unlike SimBrowser, this registers no redirect URI itself.
      const opened: string[] = [];
      browser = {
        open: async (url) => {
          opened.push(url);
          const { redirectedTo } = await driveConsent(url, { userEmail: US });
          if (redirectedTo) await fetch(redirectedTo);
        },
      };
      const view = await app.ok<{ userName: string }>('signInWithBrowser', demoBrowserSignIn(status.demo));
      expect(view.userName).toBe(US);
      const redirect = new URL(new URL(opened[0] ?? '').searchParams.get('redirect_uri') ?? '');
      expect(redirect.hostname).toBe('127.0.0.1');
      expect(redirect.port).not.toBe(String(busyPort));
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('offers no demo mode when it is switched off in the settings, and refuses to start it', async () => {
    const app = await start({ settings: new MemorySettings({ demoMode: false }) });
    expect(await app.ok('getStatus')).toMatchObject({ demo: null });
    expect(await app.call('startDemo')).toMatchObject({ ok: false, error: { code: 'DEMO_UNAVAILABLE' } });
    expect(sim).toBeNull();
  });

  it('cancels a browser sign-in that waits for the user', async () => {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const status = await app.ok<{ demo: { clientId: string; clientSecret: string } }>('startDemo');
    browser = new SimBrowser(sim!, { email: US, idle: true });
    const flowId = randomUUID();
    const pending = app.call('signInWithBrowser', demoBrowserSignIn(status.demo, { flowId }));
    await waitingForBrowser(flowId);
    expect(await app.ok('cancelSignIn', { flowId })).toEqual({ cancelled: true });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(events.at(-1)?.payload).toMatchObject({ flowId, stage: 'cancelled' });
    expect(await app.ok('cancelSignIn', { flowId })).toEqual({ cancelled: false });
  });

  it('a failed or cancelled browser sign-in sends exactly one final event, in its own words', async () => {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const status = await app.ok<{ demo: { clientId: string; clientSecret: string } }>('startDemo');
    const request = () => demoBrowserSignIn(status.demo);
    const finals = (flowId: string) =>
      events
        .filter((e) => e.event === 'signin.progress')
        .map((e) => e.payload as { flowId: string; stage: string; message: string | null })
        .filter((p) => p.flowId === flowId && ['done', 'failed', 'cancelled'].includes(p.stage));

    // Declined at the consent page.
    browser = new SimBrowser(sim!, { email: US, decision: 'deny' });
    const declined = request();
    expect(await app.call('signInWithBrowser', declined)).toMatchObject({ ok: false });
    expect(finals(declined.flowId)).toEqual([
      expect.objectContaining({ stage: 'failed', message: expect.stringMatching(/declined/) }),
    ]);

    // Cancelled while waiting for the browser.
    const cancelled = await cancelWhileWaiting(app, status.demo);
    expect(finals(cancelled)).toEqual([
      expect.objectContaining({ stage: 'cancelled', message: 'Sign-in was cancelled.' }),
    ]);
  });

  it('settings: get and update, audited once unlocked', async () => {
    const app = await start();
    expect(await app.ok('getSettings')).toMatchObject({ defaultDataCenter: 'US', demoMode: true });
    expect(await app.ok('updateSettings', { theme: 'dark' })).toMatchObject({ theme: 'dark' });
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await app.ok('updateSettings', { defaultDataCenter: 'EU' });
    const audit = await app.ok<{ action: string; detail: string }[]>('listAudit', { action: 'settings' });
    expect(audit[0]?.detail).toContain('defaultDataCenter');
  });
});

describe('audit of failed sign-ins and of demo mode', () => {
  interface Row {
    action: string;
    outcome: string;
    detail: string;
    tokenId: string | null;
    userName: string | null;
  }

  it('a declined, refused, cancelled or failed sign-in, code exchange or import each writes a failure row, with no secret', async () => {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const status = await app.ok<{ demo: { clientId: string; clientSecret: string } }>('startDemo');
    const s = sim!;
    const browserRequest = (overrides: Record<string, unknown> = {}) =>
      demoBrowserSignIn(status.demo, overrides);
    const wrongSecret = 'wrong-secret-4f1c9a7be2d3';

    // Browser: the person declines; the callback names an untrusted accounts server; a wrong secret.
    browser = new SimBrowser(s, { email: US, decision: 'deny' });
    expect(await app.call('signInWithBrowser', browserRequest())).toMatchObject({
      ok: false,
      error: { code: 'ACCESS_DENIED' },
    });
    browser = new SimBrowser(s, {
      email: US,
      callbacks: [
        (real) => {
          real.searchParams.set('accounts-server', 'https://accounts.evil.example');
          return real;
        },
      ],
    });
    expect(await app.call('signInWithBrowser', browserRequest())).toMatchObject({
      ok: false,
      error: { code: 'UNTRUSTED_ACCOUNTS_SERVER' },
    });
    browser = new SimBrowser(s, { email: US });
    expect(await app.call('signInWithBrowser', browserRequest({ clientSecret: wrongSecret }))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CLIENT' },
    });

    // Cancelled while waiting for the browser.
    await cancelWhileWaiting(app, status.demo);

    // Self Client: a wrong secret, then a used code.
    const code = s.issueSelfClientGrantCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      scopes: SCOPES,
      userEmail: US,
    });
    const selfClient = {
      dataCenter: 'US',
      environment: 'production',
      clientId: DEMO_SELF_CLIENT.clientId,
      clientSecret: DEMO_SELF_CLIENT.clientSecret,
      grantCode: code.code,
    };
    expect(await app.call('signInWithGrantCode', { ...selfClient, clientSecret: wrongSecret })).toMatchObject(
      {
        ok: false,
        error: { code: 'INVALID_CLIENT' },
      },
    );
    await app.ok('signInWithGrantCode', selfClient);
    expect(await app.call('signInWithGrantCode', selfClient)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CODE' },
    });

    // Import of a refresh token Zoho does not know.
    const unknownRefresh = `1000.${'ab'.repeat(16)}.${'cd'.repeat(16)}`;
    const imported = await app.call('importRefreshToken', {
      dataCenter: 'US',
      environment: 'production',
      clientId: DEMO_SELF_CLIENT.clientId,
      clientSecret: DEMO_SELF_CLIENT.clientSecret,
      refreshToken: unknownRefresh,
    });
    expect(imported.ok).toBe(false);
    const importCode = imported.ok ? '' : imported.error.code;

    const failures = (await app.ok<Row[]>('listAudit', { outcome: 'failure' })).reverse();
    expect(failures.map((r) => [r.action, r.detail.match(/^[^(;]+/)?.[0]?.trim()])).toEqual([
      ['grant', 'Browser sign-in failed'],
      ['grant', 'Browser sign-in failed'],
      ['grant', 'Browser sign-in failed'],
      ['grant', 'Browser sign-in cancelled'],
      ['grant', 'Self Client grant code exchange failed'],
      ['grant', 'Self Client grant code exchange failed'],
      ['import', 'Refresh token import failed'],
    ]);
    const details = failures.map((r) => r.detail);
    expect(details[0]).toContain('(ACCESS_DENIED)');
    expect(details[1]).toContain('(UNTRUSTED_ACCOUNTS_SERVER)');
    expect(details[2]).toContain('(INVALID_CLIENT)');
    expect(details[3]).toMatch(/cancelled/);
    expect(details[4]).toContain('(INVALID_CLIENT)');
    expect(details[5]).toContain('(INVALID_CODE)');
    expect(details[6]).toContain(`(${importCode})`);
    for (const row of failures) expect(row).toMatchObject({ outcome: 'failure', tokenId: null });

    const everything = JSON.stringify(await app.ok('exportAuditCsv', {}));
    for (const secret of [
      wrongSecret,
      code.code,
      unknownRefresh,
      DEMO_SELF_CLIENT.clientSecret,
      status.demo.clientSecret,
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toMatch(/1000\.[0-9a-f]{32}/);
  });

  it('a failed re-authorisation writes a failure row for that token', async () => {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const status = await app.ok<{ demo: { clientId: string; clientSecret: string } }>('startDemo');
    browser = new SimBrowser(sim!, { email: US });
    const view = await app.ok<{ id: string }>('signInWithBrowser', demoBrowserSignIn(status.demo));
    browser = new SimBrowser(sim!, { email: US, decision: 'deny' });
    expect(await app.call('reauthorise', { id: view.id, flowId: randomUUID() })).toMatchObject({
      ok: false,
      error: { code: 'ACCESS_DENIED' },
    });
    const [row] = await app.ok<Row[]>('listAudit', { outcome: 'failure' });
    expect(row).toMatchObject({ action: 'grant', tokenId: view.id, userName: US });
    expect(row?.detail).toMatch(/^Re-authorisation in the browser failed \(ACCESS_DENIED\)/);
  });

  it('starting demo mode writes a row', async () => {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await app.ok('startDemo');
    await app.ok('startDemo'); // already running: no second row
    const rows = await app.ok<Row[]>('listAudit', { action: 'settings' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'success' });
    expect(rows[0]?.detail).toMatch(/^Demo mode started/);
  });

  it('a keychain that cannot unlock the store at start writes an unlock_failed row', async () => {
    keychainBroken = false;
    let app = await start({ keychain: true });
    await app.ok('setupStore', { protector: 'keychain' });
    keychainBroken = true;
    app = await restart(app, { keychain: true });
    expect(await app.ok('getStatus')).toMatchObject({ store: 'locked' });
    keychainBroken = false;
    app = await restart(app, { keychain: true });
    const rows = await app.ok<Row[]>('listAudit', { action: 'unlock_failed' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'failure' });
    expect(rows[0]?.detail).toContain('system keychain');
    expect(rows[0]?.detail).toContain('(LOCKED)');
  });
});

describe('demo mode beside tokens issued elsewhere', () => {
  it('refreshes, re-authorises and revokes each token where it was issued', async () => {
    // A second simulator stands in for real Zoho; the demo simulator starts beside it.
    const zoho = await startZohoSimulator();
    try {
      const app = await start({ endpoints: simulatorEndpoints(zoho) });
      await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
      const euUser = 'admin@demo-eu.example.com';
      const atZohoBrowser = new SimBrowser(zoho, { email: euUser });
      browser = {
        open: async (url) => {
          // Stands in for the loopback redirect URI an admin registers for their client at Zoho.
          zoho.allowRedirectUri(DEMO_CLIENT.clientId, new URL(url).searchParams.get('redirect_uri') ?? '');
          return atZohoBrowser.open(url);
        },
      };
      const atZoho = await app.ok<{ id: string }>('signInWithBrowser', {
        flowId: randomUUID(),
        dataCenter: 'EU',
        environment: 'production',
        clientId: DEMO_CLIENT.clientId,
        clientSecret: DEMO_CLIENT.clientSecret,
        scopes: SCOPES,
      });

      await app.ok('startDemo');
      const demo = sim!;
      const atDemo = await app.ok<{ id: string }>('signInWithGrantCode', {
        dataCenter: 'US',
        environment: 'production',
        clientId: DEMO_SELF_CLIENT.clientId,
        clientSecret: DEMO_SELF_CLIENT.clientSecret,
        grantCode: demo.issueSelfClientGrantCode({
          clientId: DEMO_SELF_CLIENT.clientId,
          scopes: SCOPES,
          userEmail: US,
        }).code,
      });
      const requests = (grant: 'authorization_code' | 'refresh_token') => [
        zoho.stats.tokenRequests[grant],
        demo.stats.tokenRequests[grant],
      ];
      expect(requests('authorization_code')).toEqual([1, 1]);

      // A client the simulator does not know signs in at Zoho, demo mode or not.
      const realClient = { clientId: '1000.REALSELFCLIENT', clientSecret: 'real-client-secret-0001' };
      zoho.registerClient({ ...realClient, name: 'Real integration', type: 'self-client', redirectUris: [] });
      await app.ok('signInWithGrantCode', {
        dataCenter: 'EU',
        environment: 'sandbox',
        ...realClient,
        grantCode: zoho.issueSelfClientGrantCode({
          clientId: realClient.clientId,
          scopes: SCOPES,
          userEmail: euUser,
        }).code,
      });
      expect(requests('authorization_code')).toEqual([2, 1]);

      await app.ok('refreshToken', { id: atZoho.id });
      expect(requests('refresh_token')).toEqual([1, 0]);
      await app.ok('refreshToken', { id: atDemo.id });
      expect(requests('refresh_token')).toEqual([1, 1]);
      expect((await app.ok<{ ok: boolean }>('testToken', { id: atZoho.id })).ok).toBe(true);

      const reauthorised = await app.ok<{ id: string }>('reauthorise', {
        id: atZoho.id,
        flowId: randomUUID(),
      });
      expect(reauthorised.id).toBe(atZoho.id);
      expect(requests('authorization_code')).toEqual([3, 1]);

      const deleted = await app.ok<{ revoke: { state: string } }>('deleteToken', {
        id: atZoho.id,
        revoke: true,
      });
      expect(deleted.revoke.state).toBe('revoked');
      // The re-authorisation revoked the replaced refresh token, the delete the current one: both at Zoho.
      expect([zoho.stats.revokes, demo.stats.revokes]).toEqual([2, 0]);
    } finally {
      await zoho.close();
    }
  });

  it('sends a token from an ended simulator run nowhere, and says why', () => {
    const zoho = { endpoints: { isTrustedApiDomain: () => false } } as unknown as Parameters<
      typeof clientsFor
    >[1];
    expect(() => clientsFor('http://127.0.0.1:45678', zoho, null)).toThrow(/simulator that has ended/);
    expect(clientsFor('https://www.zohoapis.eu', zoho, null)).toBe(zoho);
    expect(clientsFor(null, zoho, null)).toBe(zoho);
  });
});

describe('pending revokes through the IPC router', () => {
  it('a token deleted while its revoke failed is listed (masked) and survives a restart', async () => {
    let app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    await app.ok('startDemo');
    const s = sim!;
    const grant = (user: string) =>
      app.ok<{ id: string }>('signInWithGrantCode', {
        dataCenter: 'US',
        environment: 'production',
        clientId: DEMO_SELF_CLIENT.clientId,
        clientSecret: DEMO_SELF_CLIENT.clientSecret,
        grantCode: s.issueSelfClientGrantCode({
          clientId: DEMO_SELF_CLIENT.clientId,
          scopes: SCOPES,
          userEmail: user,
        }).code,
      });
    const added = await grant(US);
    // Told before a second sign-in: who is already connected with this client here.
    expect(
      await app.ok('connectedAccounts', {
        clientId: DEMO_SELF_CLIENT.clientId,
        dataCenter: 'US',
        environment: 'production',
      }),
    ).toEqual({ userNames: [US] });
    const [live] = s.activeRefreshTokens();
    s.injectFault({ kind: 'revoke', fault: '5xx' });
    const deleted = await app.ok('deleteToken', { id: added.id, revoke: true, deleteIfRevokeFails: true });
    expect(deleted).toMatchObject({ deleted: true, pendingRevoke: true, revoke: { state: 'failed' } });

    app = await restart(app);
    await app.ok('unlockStore', { passphrase: PASS });
    const pending =
      await app.ok<{ id: string; userName: string; refreshTokenPreview: string }[]>('listPendingRevokes');
    expect(pending).toMatchObject([{ userName: US, attempts: 1, onDisk: true }]);
    expect(JSON.stringify(pending)).not.toContain(live);
    // Its simulator run ended with the restart (it kept the token in memory only): the retry says so.
    const [first] = pending;
    expect(await app.ok('retryPendingRevoke', { id: first?.id })).toMatchObject({ resolved: true });
    expect(await app.ok('listPendingRevokes')).toEqual([]);
    const [audit] = await app.ok<{ detail: string }[]>('listAudit', { action: 'revoke' });
    expect(audit?.detail).toMatch(/simulator run that issued this token has ended/);
  });
});
