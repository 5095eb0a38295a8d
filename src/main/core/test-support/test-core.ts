import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { simulatorEndpoints, startZohoSimulator, type ZohoSimulator } from '../../../../sim';
import type { IpcEventName, IpcResult } from '../../../shared/ipc/contract';
import { decodeTokenList, type TokenListWire } from '../../../shared/ipc/token-list';
import type { TokenView } from '../../../shared/ipc/views';
import { MemoryClipboard } from '../../common/test-support/memory-clipboard';
import { MemorySettings } from '../../common/test-support/memory-settings';
import { createIpcRouter, type IpcRouter } from '../../ipc/router';
import { KeyProtectorError } from '../../store/key-protector';
import { PassphraseKeyProtector } from '../../store/passphrase-key-protector';
import { TEST_SCRYPT_COST, tempDir } from '../../store/test-support/temp-store';
import { createTokenDeskCore, type TokenDeskCore } from '../core';
import type { TokenDeskCoreDeps } from '../core-deps';
import type { KeychainAccess } from '../store-key-protectors';

/** The master passphrase the core tests set up their stores with. */
export const TEST_PASSPHRASE = 'correct horse battery staple';

/** A passphrase protector at the cheap scrypt cost tests use. */
export const testPassphraseProtector = (passphrase: string) =>
  new PassphraseKeyProtector(passphrase, { cost: TEST_SCRYPT_COST });

/**
 * A stand-in for the system keychain (Electron's safeStorage): always available, the data key "wrapped" as
 * base64; while `locked()` says so, unwrapping fails as a locked keyring does.
 */
export function testKeychain(locked: () => boolean = () => false): KeychainAccess {
  return {
    availability: async () => ({ available: true, reason: null }),
    protector: () => ({
      kind: 'safeStorage',
      wrap: async (key) => key.toString('base64'),
      unwrap: async (wrapped) => {
        if (locked()) throw new KeyProtectorError('UNAVAILABLE', 'The keychain is locked.');
        return Buffer.from(wrapped, 'base64');
      },
    }),
  };
}

/** A push from main as a test records it. */
export interface CoreEvent {
  readonly event: IpcEventName;
  readonly payload: unknown;
}

/** A real core behind the real IPC router (strict responses), as the window reaches it. */
export interface TestCore {
  readonly core: TokenDeskCore;
  readonly router: IpcRouter;
  call<T = unknown>(method: string, request?: unknown): Promise<IpcResult<T>>;
  /** The call's value; throws with the error's code and message when it failed. */
  ok<T = unknown>(method: string, request?: unknown): Promise<T>;
  /** listTokens, decoded from its wire form. */
  list(sourceId?: string): Promise<TokenView[]>;
}

/**
 * Starts a core for a test: settings and clipboard in memory, no keychain, a browser that opens nothing,
 * no pushes, cheap scrypt; `deps` replaces any of them. The caller closes `core`.
 */
export async function startTestCore(
  deps: Partial<TokenDeskCoreDeps> & Pick<TokenDeskCoreDeps, 'dataDir'>,
): Promise<TestCore> {
  const core = await createTokenDeskCore({
    settings: new MemorySettings(),
    clipboard: new MemoryClipboard(),
    browserOpener: { open: async () => {} },
    keychain: null,
    notify: () => {},
    passphraseProtector: testPassphraseProtector,
    ...deps,
  });
  const router = createIpcRouter(core.handlers, { isAllowedSender: () => true, responseCheck: 'strict' });
  const call = <T>(method: string, request: unknown = {}) =>
    router.dispatch(method, request, { url: 'app://test' }) as Promise<IpcResult<T>>;
  const ok = async <T>(method: string, request: unknown = {}) => {
    const result = await call<T>(method, request);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  const list = async (sourceId?: string) =>
    decodeTokenList(await ok<TokenListWire>('listTokens', sourceId ? { sourceId } : {}));
  return { core, router, call, ok, list };
}

/**
 * For a test file: before each test a Zoho simulator and a temporary folder, and `start()` for cores on
 * them (data in `<folder>/data`); after each test the cores, the simulator and the folder are closed.
 */
export function simulatedCores() {
  let sim: ZohoSimulator | null = null;
  let folder: { dir: string; cleanup: () => void } | null = null;
  const cores: TokenDeskCore[] = [];
  beforeEach(async () => {
    sim = await startZohoSimulator();
    folder = tempDir();
  });
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close();
    await sim?.close();
    folder?.cleanup();
  });
  const running = <T>(value: T | null): T => {
    if (value === null) throw new Error('simulatedCores: used outside a test');
    return value;
  };
  return {
    /** This test's simulator. */
    get sim(): ZohoSimulator {
      return running(sim);
    },
    /** This test's temporary folder. */
    get dir(): string {
      return running(folder).dir;
    },
    async start(): Promise<TestCore> {
      const app = await startTestCore({
        endpoints: simulatorEndpoints(running(sim)),
        dataDir: join(running(folder).dir, 'data'),
      });
      cores.push(app.core);
      return app;
    },
  };
}
