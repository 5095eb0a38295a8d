import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  DEFAULT_REDIRECT_URI,
  DEMO_CLIENT,
  DEMO_SELF_CLIENT,
  DEMO_USERS,
  type SimClient,
  startZohoSimulator,
  type ZohoSimulator,
} from '../../sim';
import { DB_FILE } from '../../src/main/core/store-lifecycle';
import type { OAuthToken } from '../../src/main/store/oauth-token';
import { PassphraseKeyProtector, type ScryptCost } from '../../src/main/store/passphrase-key-protector';
import { SqliteTokenStore } from '../../src/main/store/sqlite-token-store';
import type { IpcRequest, IpcResponse } from '../../src/shared/ipc/contract';
import { type SeedOptions, seedTokens } from './seed';

/**
 * What both harness modes do the same way from the TEST process (harness.ts: the core in this process;
 * electron-harness.ts: the core in the Electron app): teardown, the simulator, the store read and
 * seeded over a second SQLite connection, and the Zoho-side helpers a spec uses to set things up.
 */

/** Every spec that sets up a store uses this passphrase unless it says otherwise. */
export const PASSPHRASE = 'correct horse battery staple';
/** Cheaper than the app's default (tests exercise the wrapping, not the work factor); still real scrypt. */
const HARNESS_SCRYPT_COST: ScryptCost = { N: 2 ** 12, r: 8, p: 1 };

export const SCOPES = ['ZohoCRM.users.READ', 'ZohoCRM.org.READ', 'ZohoCRM.modules.ALL'] as const;
export const US_USER = DEMO_USERS[0]!;
export const EU_USER = DEMO_USERS[1]!;
export const SELF_CLIENT = DEMO_SELF_CLIENT;

export function passphraseProtector(passphrase: string): PassphraseKeyProtector {
  // Unwrapping uses the parameters stored with the key, so this also opens a store the app set up.
  return new PassphraseKeyProtector(passphrase, { cost: HARNESS_SCRYPT_COST });
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * A harness's teardown steps, run last-first. Each runs on its own: one that fails is logged and the
 * rest still run. `run` empties the list, so closing twice (or after a failed start) tears down once.
 */
export function cleanupStack(label: string) {
  const steps: Array<() => Promise<void> | void> = [];
  return {
    push(step: () => Promise<void> | void): void {
      steps.push(step);
    },
    async run(): Promise<void> {
      for (const step of steps.splice(0).reverse()) {
        try {
          await step();
        } catch (error) {
          console.warn(`${label} cleanup failed:`, error);
        }
      }
    },
  };
}

export type CleanupStack = ReturnType<typeof cleanupStack>;

/**
 * Runs `build` with a cleanup stack; when it throws, what it had set up is cleaned up before the error goes
 * on. What it builds owns the stack afterwards (a harness's `close`).
 */
export async function buildWithCleanups<T>(
  label: string,
  build: (cleanups: CleanupStack) => Promise<T>,
): Promise<T> {
  const cleanups = cleanupStack(label);
  try {
    return await build(cleanups);
  } catch (error) {
    await cleanups.run();
    throw error;
  }
}

export interface HarnessSimulator {
  readonly sim: ZohoSimulator;
  /** The loopback port the app's browser sign-in listens on (its redirect URI is registered with it). */
  readonly port: number;
  readonly browserClient: SimClient;
  readonly redirectUri: string;
}

/** The simulator (US + EU) with the demo browser client registered on a free loopback port. */
export async function startHarnessSimulator(options: {
  readonly accessTokenLifetimeSec?: number;
}): Promise<HarnessSimulator> {
  // The demo client's registered redirect uses a fixed port; a free one keeps parallel runs apart.
  const port = await freePort();
  const redirectUri = DEFAULT_REDIRECT_URI.replace(/:\d+\//, `:${port}/`);
  const browserClient: SimClient = { ...DEMO_CLIENT, redirectUris: [redirectUri] };
  const sim = await startZohoSimulator({
    clients: [browserClient, DEMO_SELF_CLIENT],
    ...(options.accessTokenLifetimeSec !== undefined
      ? { accessTokenLifetimeSec: options.accessTokenLifetimeSec }
      : {}),
  });
  return { sim, port, browserClient, redirectUri };
}

/** `seedTokens` / `storedTokens` over a second connection to the store in `dataDir`. */
export function storeAccess(dataDir: string) {
  const openStore = (passphrase = PASSPHRASE) =>
    SqliteTokenStore.open({ path: join(dataDir, DB_FILE), protector: passphraseProtector(passphrase) });
  return {
    async seedTokens(count: number, seedOptions?: SeedOptions): Promise<void> {
      const store = await openStore();
      try {
        await seedTokens(store, count, seedOptions);
      } finally {
        store.close();
      }
    },
    async storedTokens(passphrase?: string): Promise<readonly Readonly<OAuthToken>[]> {
      const store = await openStore(passphrase);
      try {
        return await store.getTokens();
      } finally {
        store.close();
      }
    },
  };
}

type CallGrant = (
  method: 'signInWithGrantCode',
  request: IpcRequest<'signInWithGrantCode'>,
) => Promise<IpcResponse<'signInWithGrantCode'>>;

/** The Zoho-side setup helpers; `call` reaches the app as its page would (binding, or Electron IPC). */
export function zohoHelpers(sim: ZohoSimulator, call: CallGrant) {
  const selfClientCode = (userEmail: string = US_USER.email, scopes: readonly string[] = SCOPES) =>
    sim.issueSelfClientGrantCode({ clientId: SELF_CLIENT.clientId, scopes, userEmail }).code;
  return {
    selfClientCode,
    async refreshTokenFromElsewhere(userEmail: string = US_USER.email): Promise<string> {
      const grant = sim.issueSelfClientGrantCode({
        clientId: SELF_CLIENT.clientId,
        scopes: SCOPES,
        userEmail,
      });
      const response = await fetch(`${grant.accountsServer}/oauth/v2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: SELF_CLIENT.clientId,
          client_secret: SELF_CLIENT.clientSecret,
          code: grant.code,
        }),
      });
      const body = (await response.json()) as { refresh_token?: string; error?: string };
      if (!body.refresh_token) throw new Error(`the simulator issued no refresh token: ${body.error ?? '?'}`);
      return body.refresh_token;
    },
    async grantAccount(userEmail: string = US_USER.email, dataCenter: 'US' | 'EU' = 'US') {
      if (!sim.users.some((u) => u.email === userEmail)) {
        const n = sim.users.length + 1;
        sim.registerUser({
          email: userEmail,
          fullName: userEmail.split('@')[0] ?? userEmail,
          zuid: String(710_000_000 + n),
          dataCenter,
          orgName: `Org ${n}`,
        });
      }
      const home = sim.users.find((u) => u.email === userEmail)?.dataCenter ?? dataCenter;
      return call('signInWithGrantCode', {
        dataCenter: home,
        environment: 'production',
        clientId: SELF_CLIENT.clientId,
        clientSecret: SELF_CLIENT.clientSecret,
        grantCode: selfClientCode(userEmail),
      });
    },
  };
}

/**
 * The harness members the Chromium and the Electron harness share: seeding and reading the store file
 * (the app's data folder) and the Zoho-side helpers.
 */
export function fileAndZohoHelpers(dataDir: string, sim: ZohoSimulator, call: CallGrant) {
  const store = storeAccess(dataDir);
  const zoho = zohoHelpers(sim, call);
  return {
    seedTokens: store.seedTokens,
    storedTokens: store.storedTokens,
    selfClientCode: zoho.selfClientCode,
    refreshTokenFromElsewhere: zoho.refreshTokenFromElsewhere,
    grantAccount: zoho.grantAccount,
  };
}
