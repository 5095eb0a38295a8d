import { appendFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { DATA_CENTERS, type DataCenterId, DataCenterIdSchema } from '../../shared/datacenters';
import type { Clipboard } from '../common/clipboard';
import type { Notify, TokenDeskCoreDeps } from '../core/core';
import type { DemoSimulator } from '../core/demo';
import { bareOrigin, type LocalDataCenter, localEndpoints } from '../zoho/endpoints';

/**
 * Test mode: why it exists. The e2e specs (e2e/, docs/architecture.md "Tests" tier 3) run against the real Electron
 * app through Playwright's `_electron.launch`. The test process owns the Zoho simulator, the data folder
 * and a separate Chromium that plays the "system browser"; the app must therefore (1) keep its data in the
 * folder the test gives it, never the developer's own store, (2) talk to that simulator instead of Zoho,
 * (3) hand the consent URL to the test instead of `shell.openExternal` (which would open the developer's
 * browser, out of the test's reach), (4) record clipboard writes (the copy spec asserts them) and pushed
 * events, and (5) not use the OS keychain (a test run must not write keys into it; the specs expect the
 * keychain-less first run the Chromium harness has).
 *
 * It is OFF unless `TOKENDESK_TEST_MODE=1`, and IGNORED in a packaged app (`app.isPackaged`) whatever the
 * environment says. This module never imports `electron`: the edge (src/main/index.ts) applies it, and
 * the e2e harness imports `testModeEnvironment` / `parseTestRecords` from here, so both sides of the
 * contract are one file. The contract (all values are strings in the app's environment):
 *
 * | variable                  | value                                                                 |
 * |---------------------------|-----------------------------------------------------------------------|
 * | `TOKENDESK_TEST_MODE`     | `1` turns test mode on (anything else: off)                           |
 * | `TOKENDESK_DATA_DIR`      | absolute folder: `app.setPath('userData')` before anything reads it   |
 * | `TOKENDESK_SIM_ENDPOINTS` | JSON `{ "US": "http://127.0.0.1:<port>", ... }`: loopback origins only |
 * | `TOKENDESK_SIM_CLIENTS`   | optional JSON `[{clientId, clientSecret, type, redirectUris}]`         |
 * | `TOKENDESK_SIM_USERS`     | optional JSON `["email", ...]` (shown by the demo welcome)            |
 * | `TOKENDESK_TEST_RECORD`   | absolute file: JSON lines `{kind: open|clipboard|event, ...}` appended |
 *
 * When on, malformed values are an error (the app exits) rather than a silent fallback to real Zoho.
 */

export const TEST_MODE_ENV = {
  enabled: 'TOKENDESK_TEST_MODE',
  dataDir: 'TOKENDESK_DATA_DIR',
  simEndpoints: 'TOKENDESK_SIM_ENDPOINTS',
  simClients: 'TOKENDESK_SIM_CLIENTS',
  simUsers: 'TOKENDESK_SIM_USERS',
  record: 'TOKENDESK_TEST_RECORD',
} as const;

/** What the core's demo mode needs of the test's simulator (a `DemoSimulator` minus `close`). */
export interface TestSimulator {
  readonly dataCenters: readonly LocalDataCenter[];
  readonly clients: DemoSimulator['clients'];
  readonly users: DemoSimulator['users'];
}

export interface TestMode {
  readonly dataDir: string;
  readonly simulator: TestSimulator;
  readonly recordFile: string;
}

export type TestModeSetting =
  | { readonly kind: 'off' }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'on'; readonly mode: TestMode };

export class TestModeError extends Error {
  constructor(problems: readonly string[]) {
    super(`TOKENDESK_TEST_MODE=1 but the test settings are invalid: ${problems.join('; ')}`);
    this.name = 'TestModeError';
  }
}

const ClientsSchema = z.array(
  z.object({
    clientId: z.string().min(1),
    clientSecret: z.string(),
    type: z.string().min(1),
    redirectUris: z.array(z.string()),
  }),
);
const UsersSchema = z.array(z.string().min(1));
const OriginsSchema = z.record(z.string(), z.string());

/** The simulator runs on this machine; test mode never sends a secret anywhere else. */
function loopbackOrigin(value: string): string | undefined {
  const origin = bareOrigin(value);
  if (!origin) return undefined;
  const { protocol, hostname } = new URL(origin);
  return protocol === 'http:' && (hostname === '127.0.0.1' || hostname === '[::1]') ? origin : undefined;
}

function parseJson(name: string, raw: string, problems: string[]): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    problems.push(`${name} is not JSON`);
    return undefined;
  }
}

/**
 * The data centers of the test's simulator, as `sim/` describes them (`SimDataCenter`: one origin per DC
 * serves accounts and CRM). `localEndpoints` of this list is exactly what `simulatorEndpoints(sim)` gives.
 */
export function simulatorDataCenters(
  origins: Readonly<Record<string, string>>,
  problems: string[] = [],
): LocalDataCenter[] {
  const dataCenters: LocalDataCenter[] = [];
  for (const [id, value] of Object.entries(origins)) {
    const dc = DataCenterIdSchema.safeParse(id);
    const origin = loopbackOrigin(value);
    if (!dc.success) problems.push(`${TEST_MODE_ENV.simEndpoints}: "${id}" is not a data center`);
    else if (!origin) problems.push(`${TEST_MODE_ENV.simEndpoints}: ${id} is not a loopback http origin`);
    else {
      const dataCenter: DataCenterId = dc.data;
      dataCenters.push({
        id: dataCenter,
        location: DATA_CENTERS[dataCenter].location,
        accountsUrl: origin,
        apiDomain: origin,
      });
    }
  }
  if (dataCenters.length === 0 && problems.length === 0) {
    problems.push(`${TEST_MODE_ENV.simEndpoints} names no data center`);
  }
  return dataCenters;
}

/** Reads the test-mode contract from the environment (pure: the edge passes `process.env`). */
export function readTestMode(
  env: Readonly<Record<string, string | undefined>>,
  app: { readonly isPackaged: boolean },
): TestModeSetting {
  if (env[TEST_MODE_ENV.enabled] !== '1') return { kind: 'off' };
  if (app.isPackaged) {
    return { kind: 'ignored', reason: `${TEST_MODE_ENV.enabled} is ignored in a packaged app` };
  }
  const problems: string[] = [];
  const absolute = (name: string): string => {
    const value = env[name];
    if (!value) problems.push(`${name} is not set`);
    else if (!isAbsolute(value)) problems.push(`${name} must be an absolute path`);
    return value ?? '';
  };
  const dataDir = absolute(TEST_MODE_ENV.dataDir);
  const recordFile = absolute(TEST_MODE_ENV.record);

  let dataCenters: LocalDataCenter[] = [];
  const rawEndpoints = env[TEST_MODE_ENV.simEndpoints];
  if (!rawEndpoints) problems.push(`${TEST_MODE_ENV.simEndpoints} is not set`);
  else {
    const origins = OriginsSchema.safeParse(parseJson(TEST_MODE_ENV.simEndpoints, rawEndpoints, problems));
    if (origins.success) dataCenters = simulatorDataCenters(origins.data, problems);
    else if (problems.length === 0) problems.push(`${TEST_MODE_ENV.simEndpoints} must map DC ids to origins`);
  }

  const optional = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const before = problems.length;
    const parsed = schema.safeParse(parseJson(name, raw, problems));
    if (parsed.success) return parsed.data;
    if (problems.length === before) problems.push(`${name} has the wrong shape`);
    return fallback;
  };
  const clients = optional(TEST_MODE_ENV.simClients, ClientsSchema, []);
  const users = optional(TEST_MODE_ENV.simUsers, UsersSchema, []).map((email) => ({ email }));

  if (problems.length > 0) throw new TestModeError(problems);
  return { kind: 'on', mode: { dataDir, recordFile, simulator: { dataCenters, clients, users } } };
}

/** The inverse of `readTestMode`: the environment the e2e harness gives the app. */
export function testModeEnvironment(mode: TestMode): Record<string, string> {
  return {
    [TEST_MODE_ENV.enabled]: '1',
    [TEST_MODE_ENV.dataDir]: mode.dataDir,
    [TEST_MODE_ENV.simEndpoints]: JSON.stringify(
      Object.fromEntries(mode.simulator.dataCenters.map((dc) => [dc.id, dc.accountsUrl])),
    ),
    [TEST_MODE_ENV.simClients]: JSON.stringify(
      mode.simulator.clients.map(({ clientId, clientSecret, type, redirectUris }) => ({
        clientId,
        clientSecret,
        type,
        redirectUris,
      })),
    ),
    [TEST_MODE_ENV.simUsers]: JSON.stringify(mode.simulator.users.map((u) => u.email)),
    [TEST_MODE_ENV.record]: mode.recordFile,
  };
}

/** One line of the record file. */
export type TestRecord =
  | { readonly kind: 'open'; readonly url: string }
  | { readonly kind: 'clipboard'; readonly text: string }
  | { readonly kind: 'event'; readonly event: string; readonly payload: unknown };

/**
 * Appends one record. One small `write` with O_APPEND per line, so the test reading the file sees whole
 * lines. 0600: clipboard records hold access tokens (test tokens from the simulator, in a temp folder).
 */
export function appendTestRecord(file: string, record: TestRecord): void {
  appendFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

/** Parses the record file's text; an unfinished last line (being written) is left for the next read. */
export function parseTestRecords(text: string): TestRecord[] {
  const lines = text.split('\n');
  lines.pop();
  return lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as TestRecord);
}

/** Replaces the system clipboard: the copy spec reads what TokenService wrote. */
export class RecordingClipboard implements Clipboard {
  /** What the app would read back; only writes are recorded. */
  private text = '';

  constructor(private readonly recordFile: string) {}

  writeText(text: string): void {
    this.text = text;
    appendTestRecord(this.recordFile, { kind: 'clipboard', text });
  }

  async readText(): Promise<string> {
    return this.text;
  }

  clear(): void {
    this.text = '';
  }
}

export interface TestModeEdge {
  /**
   * Replaces `shell.openExternal` inside ElectronBrowserOpener (after its URL policy): the URL goes to the
   * record file, and the harness opens it in its own Chromium, where the spec clicks the consent page.
   */
  readonly openExternal: (url: string) => Promise<void>;
  /** Spread over the production core deps. */
  readonly coreDeps: Required<
    Pick<TokenDeskCoreDeps, 'clipboard' | 'endpoints' | 'startSimulator' | 'notify'>
  > &
    Pick<TokenDeskCoreDeps, 'keychain'>;
}

/** The adapters test mode swaps in; `notify` is the edge's broadcast, still called for every event. */
export function testModeEdge(mode: TestMode, notify: Notify): TestModeEdge {
  const record = (r: TestRecord) => appendTestRecord(mode.recordFile, r);
  const simulator: DemoSimulator = {
    ...mode.simulator,
    // The test process owns the simulator (and registered its redirect URIs up front): nothing to stop.
    close: async () => {},
  };
  const recordingNotify: Notify = (event, payload) => {
    record({ kind: 'event', event, payload });
    notify(event, payload);
  };
  return {
    openExternal: async (url) => record({ kind: 'open', url }),
    coreDeps: {
      clipboard: new RecordingClipboard(mode.recordFile),
      keychain: null,
      // Built as sim/endpoints.ts `simulatorEndpoints(sim)` does, so the core trusts only these origins.
      endpoints: localEndpoints(mode.simulator.dataCenters),
      startSimulator: async () => simulator,
      notify: recordingNotify,
    },
  };
}
