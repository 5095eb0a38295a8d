import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { simulatorEndpoints } from '../../../sim/endpoints';

// The recorders must never reach the real clipboard or browser: electron is mocked and watched.
const electron = vi.hoisted(() => ({
  openExternal: vi.fn(async () => {}),
  writeText: vi.fn(),
}));
vi.mock('electron', () => ({
  shell: { openExternal: electron.openExternal },
  clipboard: { writeText: electron.writeText },
}));

const {
  RecordingClipboard,
  TEST_MODE_ENV,
  TestModeError,
  appendTestRecord,
  parseTestRecords,
  readTestMode,
  simulatorDataCenters,
  testModeEdge,
  testModeEnvironment,
} = await import('./test-mode');
const { ElectronBrowserOpener } = await import('./browser-opener');

const US = 'http://127.0.0.1:41001';
const EU = 'http://127.0.0.1:41002';
const CLIENT = {
  clientId: '1000.DEMO',
  clientSecret: 'demo-secret',
  type: 'server-based',
  redirectUris: ['http://127.0.0.1:53999/callback'],
};

function validEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    TOKENDESK_TEST_MODE: '1',
    TOKENDESK_DATA_DIR: '/home/admin/td/data',
    TOKENDESK_SIM_ENDPOINTS: JSON.stringify({ US, EU }),
    TOKENDESK_SIM_CLIENTS: JSON.stringify([CLIENT]),
    TOKENDESK_SIM_USERS: JSON.stringify(['ana@example.com']),
    TOKENDESK_TEST_RECORD: '/home/admin/td/record.jsonl',
    ...overrides,
  };
}

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokendesk-test-mode-'));
  electron.openExternal.mockClear();
  electron.writeText.mockClear();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readTestMode: off unless asked, never in a packaged app', () => {
  it('is off without TOKENDESK_TEST_MODE, or with any value but 1', () => {
    expect(readTestMode({}, { isPackaged: false })).toEqual({ kind: 'off' });
    for (const value of ['0', 'true', 'yes', '']) {
      expect(readTestMode(validEnv({ TOKENDESK_TEST_MODE: value }), { isPackaged: false }).kind).toBe('off');
    }
  });

  it('is ignored in a packaged app, even with every variable set', () => {
    const setting = readTestMode(validEnv(), { isPackaged: true });
    expect(setting).toEqual({ kind: 'ignored', reason: expect.stringMatching(/packaged/) });
  });

  it('reads the data folder, record file, simulator DCs, clients and users', () => {
    const setting = readTestMode(validEnv(), { isPackaged: false });
    expect(setting).toEqual({
      kind: 'on',
      mode: {
        dataDir: '/home/admin/td/data',
        recordFile: '/home/admin/td/record.jsonl',
        simulator: {
          dataCenters: [
            { id: 'US', location: 'us', accountsUrl: US, apiDomain: US },
            { id: 'EU', location: 'eu', accountsUrl: EU, apiDomain: EU },
          ],
          clients: [CLIENT],
          users: [{ email: 'ana@example.com' }],
        },
      },
    });
  });

  it('clients and users are optional', () => {
    const setting = readTestMode(validEnv({ TOKENDESK_SIM_CLIENTS: undefined, TOKENDESK_SIM_USERS: '' }), {
      isPackaged: false,
    });
    expect(setting.kind === 'on' && setting.mode.simulator).toMatchObject({ clients: [], users: [] });
  });

  it.each([
    [{ TOKENDESK_DATA_DIR: undefined }, /TOKENDESK_DATA_DIR is not set/],
    [{ TOKENDESK_DATA_DIR: 'relative/data' }, /TOKENDESK_DATA_DIR must be an absolute path/],
    [{ TOKENDESK_TEST_RECORD: undefined }, /TOKENDESK_TEST_RECORD is not set/],
    [{ TOKENDESK_SIM_ENDPOINTS: undefined }, /TOKENDESK_SIM_ENDPOINTS is not set/],
    [{ TOKENDESK_SIM_ENDPOINTS: '{not json' }, /TOKENDESK_SIM_ENDPOINTS is not JSON/],
    [{ TOKENDESK_SIM_ENDPOINTS: '["http://127.0.0.1:1"]' }, /must map DC ids to origins/],
    [{ TOKENDESK_SIM_ENDPOINTS: '{}' }, /names no data center/],
    [{ TOKENDESK_SIM_ENDPOINTS: JSON.stringify({ XX: US }) }, /"XX" is not a data center/],
    // Test mode never points the app at a remote host: a secret would leave the machine.
    [{ TOKENDESK_SIM_ENDPOINTS: JSON.stringify({ US: 'https://accounts.zoho.com' }) }, /loopback/],
    [{ TOKENDESK_SIM_ENDPOINTS: JSON.stringify({ US: 'http://localhost:41001' }) }, /loopback/],
    [{ TOKENDESK_SIM_ENDPOINTS: JSON.stringify({ US: `${US}/oauth` }) }, /loopback/],
    [{ TOKENDESK_SIM_CLIENTS: '[{"clientId":""}]' }, /TOKENDESK_SIM_CLIENTS has the wrong shape/],
    [{ TOKENDESK_SIM_USERS: '"ana@example.com"' }, /TOKENDESK_SIM_USERS has the wrong shape/],
  ])('refuses malformed settings loudly (%o)', (overrides, message) => {
    expect(() => readTestMode(validEnv(overrides), { isPackaged: false })).toThrow(TestModeError);
    expect(() => readTestMode(validEnv(overrides), { isPackaged: false })).toThrow(message);
  });

  it('round-trips the environment the harness builds', () => {
    const setting = readTestMode(validEnv(), { isPackaged: false });
    if (setting.kind !== 'on') throw new Error('expected test mode on');
    const env = testModeEnvironment(setting.mode);
    expect(Object.keys(env).sort()).toEqual(Object.values(TEST_MODE_ENV).sort());
    expect(readTestMode(env, { isPackaged: false })).toEqual(setting);
  });
});

describe('the endpoint builder', () => {
  it('gives the same ZohoEndpoints as sim/ simulatorEndpoints for the same DCs', () => {
    const dataCenters = simulatorDataCenters({ US, EU });
    const ours = testModeEdge(
      { dataDir: dir, recordFile: join(dir, 'r'), simulator: { dataCenters, clients: [], users: [] } },
      () => {},
    ).coreDeps.endpoints;
    const theirs = simulatorEndpoints({
      dataCenters: dataCenters.map((d) => ({ ...d, port: Number(new URL(d.accountsUrl).port) })),
    });
    expect(ours.dataCenters).toEqual(theirs.dataCenters);
    for (const env of ['production', 'sandbox', 'developer'] as const) {
      expect(ours.resolve('EU', env)).toEqual(theirs.resolve('EU', env));
    }
    expect(ours.resolve('IN', 'production')).toBeUndefined();
    expect(ours.isTrustedAccountsServer(US)).toBe(true);
    expect(ours.isTrustedAccountsServer('https://accounts.zoho.com')).toBe(false);
    expect(ours.dataCenterOfLocation('eu')).toBe('EU');
    expect(ours.isTrustedApiDomain(EU)).toBe(true);
  });
});

describe('the recorders', () => {
  const mode = () => ({
    dataDir: dir,
    recordFile: join(dir, 'record.jsonl'),
    simulator: { dataCenters: simulatorDataCenters({ US }), clients: [CLIENT], users: [] },
  });
  const records = () => parseTestRecords(readFileSync(join(dir, 'record.jsonl'), 'utf8'));

  it('the clipboard writes a record (0600), never the system clipboard', async () => {
    const clipboard = new RecordingClipboard(join(dir, 'record.jsonl'));
    clipboard.writeText('1000.aaaa.bbbb');
    expect(records()).toEqual([{ kind: 'clipboard', text: '1000.aaaa.bbbb' }]);
    expect(await clipboard.readText()).toBe('1000.aaaa.bbbb');
    clipboard.clear();
    expect(await clipboard.readText()).toBe('');
    expect(records()).toHaveLength(1);
    expect(electron.writeText).not.toHaveBeenCalled();
    if (process.platform !== 'win32') expect(statSync(join(dir, 'record.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('the opener records an allowed URL instead of calling shell.openExternal', async () => {
    const edge = testModeEdge(mode(), () => {});
    const opener = new ElectronBrowserOpener(() => ({ simulatorOrigins: [US] }), edge.openExternal);
    await opener.open(`${US}/oauth/v2/auth?client_id=x&state=s`);
    expect(records()).toEqual([{ kind: 'open', url: `${US}/oauth/v2/auth?client_id=x&state=s` }]);
    expect(electron.openExternal).not.toHaveBeenCalled();
  });

  it('the opener still applies the URL policy: a refused URL is neither opened nor recorded', async () => {
    const edge = testModeEdge(mode(), () => {});
    const opener = new ElectronBrowserOpener(() => ({ simulatorOrigins: [] }), edge.openExternal);
    await expect(opener.open('https://evil.example/')).rejects.toMatchObject({ code: 'URL_REFUSED' });
    await expect(opener.open(`${US}/oauth/v2/auth`)).rejects.toMatchObject({ code: 'URL_REFUSED' });
    expect(() => records()).toThrow(/ENOENT/);
    expect(electron.openExternal).not.toHaveBeenCalled();
  });

  it('events are recorded and still broadcast to the windows', () => {
    const broadcast = vi.fn();
    const edge = testModeEdge(mode(), broadcast);
    edge.coreDeps.notify('tokens.changed', { reason: 'delete' });
    expect(broadcast).toHaveBeenCalledWith('tokens.changed', { reason: 'delete' });
    expect(records()).toEqual([{ kind: 'event', event: 'tokens.changed', payload: { reason: 'delete' } }]);
  });

  it("demo mode runs on the test's simulator, which the app never stops; there is no keychain", async () => {
    const edge = testModeEdge(mode(), () => {});
    const sim = await edge.coreDeps.startSimulator();
    expect(sim.dataCenters.map((d) => d.accountsUrl)).toEqual([US]);
    expect(sim.clients).toEqual([CLIENT]);
    expect(sim.allowRedirectUri).toBeUndefined();
    await expect(sim.close()).resolves.toBeUndefined();
    expect(edge.coreDeps.keychain).toBeNull();
  });

  it('a reader skips the unfinished last line', () => {
    const file = join(dir, 'record.jsonl');
    appendTestRecord(file, { kind: 'open', url: 'http://127.0.0.1:1/a' });
    const text = `${readFileSync(file, 'utf8')}{"kind":"clip`;
    expect(parseTestRecords(text)).toEqual([{ kind: 'open', url: 'http://127.0.0.1:1/a' }]);
    expect(parseTestRecords('')).toEqual([]);
  });
});
