import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DATA_CENTERS, DataCenterIdSchema } from '../../shared/datacenters';
import { AppError } from '../errors';
import { MEMBER_KEY_ENV, MEMBER_KEY_FILE_ENV, MEMBER_PASSPHRASE_ENV } from '../team/member-key-env';
import { bareOrigin, type LocalDataCenter } from '../zoho/endpoints';

const TEAM_MEMBER_ENV = [MEMBER_KEY_FILE_ENV, MEMBER_KEY_ENV, MEMBER_PASSPHRASE_ENV] as const;

/** The environment variables the CLI reads (the app's test mode uses the same simulator settings). */
export const CLI_ENV = {
  dataDir: 'TOKENDESK_DATA_DIR',
  passphrase: 'TOKENDESK_PASSPHRASE',
  testMode: 'TOKENDESK_TEST_MODE',
  simEndpoints: 'TOKENDESK_SIM_ENDPOINTS',
} as const;

export interface CliEnvironment {
  readonly dataDir: string;
  readonly passphrase: string | null;
  /**
   * The team member key's variables (TOKENDESK_TEAM_MEMBER_KEY_FILE or TOKENDESK_TEAM_MEMBER_KEY, and
   * TOKENDESK_TEAM_MEMBER_PASSPHRASE), read only when a `postgres://` source is opened.
   */
  readonly teamMember: Readonly<Record<string, string | undefined>>;
  /** The simulator's data centers when test mode is on; empty: Zoho's real hosts. */
  readonly simulator: readonly LocalDataCenter[];
}

/** Where the desktop app keeps its data (Electron's userData for an app named `tokendesk`). */
export function appDataDir(platform = process.platform, env = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'tokendesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'tokendesk');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'tokendesk');
}

const OriginsSchema = z.record(z.string(), z.string());

function loopbackOrigin(value: string): string | null {
  const origin = bareOrigin(value);
  if (!origin) return null;
  const { protocol, hostname } = new URL(origin);
  return protocol === 'http:' && (hostname === '127.0.0.1' || hostname === '[::1]') ? origin : null;
}

/** Reads the CLI's settings; malformed test-mode values are an error, never a silent switch to real Zoho. */
export function readCliEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CliEnvironment {
  const simulator: LocalDataCenter[] = [];
  if (env[CLI_ENV.testMode] === '1') {
    let origins: Record<string, string>;
    try {
      origins = OriginsSchema.parse(JSON.parse(env[CLI_ENV.simEndpoints] ?? ''));
    } catch {
      throw new AppError(
        'BAD_ENVIRONMENT',
        `${CLI_ENV.testMode}=1 needs ${CLI_ENV.simEndpoints} as JSON {"US": "http://127.0.0.1:PORT"}.`,
      );
    }
    for (const [id, value] of Object.entries(origins)) {
      const dc = DataCenterIdSchema.safeParse(id);
      const origin = loopbackOrigin(value);
      if (!dc.success || !origin) {
        throw new AppError(
          'BAD_ENVIRONMENT',
          `${CLI_ENV.simEndpoints}: ${id} must be a data center with a loopback http origin.`,
        );
      }
      simulator.push({
        id: dc.data,
        location: DATA_CENTERS[dc.data].location,
        accountsUrl: origin,
        apiDomain: origin,
      });
    }
  }
  return {
    dataDir: env[CLI_ENV.dataDir] || appDataDir(),
    passphrase: env[CLI_ENV.passphrase] ?? null,
    teamMember: Object.fromEntries(TEAM_MEMBER_ENV.map((name) => [name, env[name]])),
    simulator,
  };
}
