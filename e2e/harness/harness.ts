import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { simulatorEndpoints, type ZohoSimulator } from '../../sim';
import type { Clipboard } from '../../src/main/common/clipboard';
import { MemorySettings } from '../../src/main/common/test-support/memory-settings';
import { createTokenDeskCore, type TokenDeskCore } from '../../src/main/core/core';
import { createIpcRouter, type IpcRouter } from '../../src/main/ipc/router';
import { createAppPageCheck } from '../../src/main/security/app-page';
import type { OAuthToken } from '../../src/main/store/oauth-token';
import { testKeychainProtector } from '../../src/main/store/test-support/temp-store';
import {
  type IpcEventName,
  type IpcEventPayload,
  type IpcMethod,
  type IpcRequest,
  type IpcResponse,
  type IpcResult,
  ipcContract,
  ipcEvents,
} from '../../src/shared/ipc/contract';
import { type BridgeInitArgs, bridgeScript } from './bridge-init';
import { createHttpTransport, httpBridgeArgs } from './http-transport';
import type { SeedOptions } from './seed';
import { type StaticServer, serveDirectory } from './static-server';
import {
  buildWithCleanups,
  fileAndZohoHelpers,
  type HarnessSimulator,
  PASSPHRASE,
  passphraseProtector,
  startHarnessSimulator,
} from './test-process';

export {
  EU_USER,
  type HarnessSimulator,
  PASSPHRASE,
  passphraseProtector,
  SCOPES,
  SELF_CLIENT,
  startHarnessSimulator,
  US_USER,
} from './test-process';

/**
 * The e2e harness (docs/architecture.md "Tests", tier 3): the built renderer served over http to Debian's Chromium,
 * wired to the REAL main-process core (`createTokenDeskCore`), a real encrypted SQLite store in a temp
 * folder and the Zoho simulator, through the SAME IPC router the Electron edge uses. Only the two Electron
 * pieces are stood in for: preload (an init script defining `window.tokendesk` over a Playwright binding)
 * and the system browser (a new page in the same browser context).
 */

export const RENDERER_DIR = resolve('out/renderer');

const INVOKE_BINDING = '__tokendeskInvoke';
const EMIT_FUNCTION = '__tokendeskEmit';

/** One IPC call through the binding, as the page saw it (for the secret scan). */
export interface RecordedCall {
  readonly channel: string;
  readonly request: unknown;
  readonly response: IpcResult<unknown>;
}

export interface RecordingClipboard {
  writeText(text: string): void;
  readonly writes: readonly string[];
}

export interface HarnessOptions {
  /**
   * `passphrase` (default): the store is set up with `PASSPHRASE` before the page opens, so specs land on
   * the console. `none`: first run (the unlock spec sets it up through the UI). `keychain`: the core gets
   * a stand-in OS keychain (an AES key of the test's own, as safeStorage would use) and the store is set
   * up with it.
   */
  readonly setup?: 'passphrase' | 'none' | 'keychain';
  /** Start demo mode (the core's `startDemo`) before the page opens. Default true. */
  readonly demo?: boolean;
  /** Access token lifetime at the simulator, seconds (default: the simulator's 3600). */
  readonly accessTokenLifetimeSec?: number;
  /**
   * How `window.tokendesk` reaches the router (bridge-init.ts). Specs use the default, `binding` (a
   * Playwright binding, as docs/architecture.md says); `http` (a POST to the harness's own origin, sender = the page
   * URL from the Referer header) exists for `bench/ui.ts`, to measure a transport close to Electron's IPC.
   */
  readonly transport?: 'binding' | 'http';
  /** Keep every call and its response in `calls` (default true; the bench turns it off: 10,000-row answers). */
  readonly recordCalls?: boolean;
  /**
   * A simulator another harness (or the spec) started: two TokenDesks that share tokens must talk to one
   * Zoho. The spec closes it; this harness does not.
   */
  readonly simulator?: HarnessSimulator;
}

export interface Harness {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly sim: ZohoSimulator;
  readonly dataDir: string;
  readonly appUrl: string;
  /** The browser-flow client registered at the simulator (its redirect URI uses a free port). */
  readonly client: { readonly clientId: string; readonly clientSecret: string; readonly redirectUri: string };
  readonly clipboard: RecordingClipboard;
  /** Every binding call made by any page, with the response it got. */
  readonly calls: readonly RecordedCall[];
  /** Every event pushed to the page. */
  readonly events: ReadonlyArray<{ readonly event: IpcEventName; readonly payload: unknown }>;
  /** URLs the core asked the "system browser" to open. */
  readonly opened: readonly string[];
  readonly core: TokenDeskCore;
  /** Opens the app page (fresh load). */
  open(): Promise<void>;
  /** The next page the core opened in the "system browser" (e.g. the simulator's consent page). */
  nextBrowserPage(): Promise<Page>;
  /** A call from the test process through the router, as the app page would make it. */
  invoke<M extends IpcMethod>(method: M, request: IpcRequest<M>): Promise<IpcResult<IpcResponse<M>>>;
  /** Same, but returns the value or throws with the error code and message. */
  call<M extends IpcMethod>(method: M, request: IpcRequest<M>): Promise<IpcResponse<M>>;
  /** Closes the core (as quitting the app does), opens a new one on the same folder, reloads the page. */
  restart(): Promise<void>;
  /** Seeds `count` tokens straight into the store (one transaction); the store must be set up. */
  seedTokens(count: number, options?: SeedOptions): Promise<void>;
  /** The stored tokens with their secrets, read through a second connection (test process only). */
  storedTokens(passphrase?: string): Promise<readonly Readonly<OAuthToken>[]>;
  /** A Self Client grant code from the simulator's "API console". */
  selfClientCode(userEmail?: string, scopes?: readonly string[]): string;
  /**
   * A refresh token the person "already has": a Self Client code exchanged at the user's data center by
   * the test process (as a script or Postman would), outside TokenDesk.
   */
  refreshTokenFromElsewhere(userEmail?: string): Promise<string>;
  /**
   * Adds an account without the UI (setup for specs about something else): a Self Client code exchanged
   * through the router's `signInWithGrantCode`, exactly as the dialog would send it. Registers the user at
   * the simulator first when it is not a demo user.
   */
  grantAccount(userEmail?: string, dataCenter?: 'US' | 'EU'): Promise<IpcResponse<'signInWithGrantCode'>>;
  close(): Promise<void>;
}

/** What the bridge needs from the contract: one function per method, the events main may push. */
function contractBridge(): Omit<BridgeInitArgs, 'transport' | 'httpPath' | 'eventsPath'> {
  const methods: Record<string, string> = {};
  for (const method of Object.keys(ipcContract) as IpcMethod[]) methods[method] = ipcContract[method].channel;
  return {
    methods,
    events: Object.keys(ipcEvents),
    invokeBinding: INVOKE_BINDING,
    emitFunction: EMIT_FUNCTION,
  };
}

/** Starts the simulator, static server and core, and attaches the bridge to `page` (not yet loaded). */
export async function startHarness(
  context: BrowserContext,
  page: Page,
  options: HarnessOptions = {},
): Promise<Harness> {
  return buildWithCleanups('harness', async (cleanups) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tokendesk-e2e-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    const { sim, port, browserClient, redirectUri } =
      options.simulator ?? (await startHarnessSimulator(options));
    if (!options.simulator) cleanups.push(() => sim.close());

    // Declared before the server so its IPC route can reach them; assigned before any page can call.
    let router: IpcRouter | undefined;
    const calls: RecordedCall[] = [];
    const http = createHttpTransport({
      appUrl: () => appUrl,
      bridge: contractBridge(),
      dispatch: async (channel, request, sender) => {
        if (!router) throw new Error('the harness router is not ready');
        const response = await router.dispatch(channel, request, sender);
        if (options.recordCalls ?? true) calls.push({ channel, request, response });
        return response;
      },
    });
    const server: StaticServer = await serveDirectory(RENDERER_DIR, http.route);
    cleanups.push(() => server.close());
    cleanups.push(() => http.close());
    const appUrl = server.url;
    const transport = options.transport ?? 'binding';

    const clipboardWrites: string[] = [];
    // What the app reads back; `writes` keeps every write (a later clear does not remove one).
    let clipboardText = '';
    const clipboard: RecordingClipboard & Clipboard = {
      writes: clipboardWrites,
      writeText: (text) => {
        clipboardText = text;
        clipboardWrites.push(text);
      },
      readText: async () => clipboardText,
      clear: () => {
        clipboardText = '';
      },
    };
    const events: Array<{ event: IpcEventName; payload: unknown }> = [];
    const opened: string[] = [];
    const browserPages: Page[] = [];
    const browserWaiters: Array<(page: Page) => void> = [];
    const settings = new MemorySettings({ demoMode: true, redirectPort: port });

    const notify = <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => {
      // Preload would drop a payload that fails the event's schema; fail loudly here instead.
      const parsed = ipcEvents[event].parse(payload);
      events.push({ event, payload: parsed });
      // Over http, pushes travel as server-sent events, as they do to the dev page (`npm run dev:browser`).
      if (transport === 'http') {
        http.push(event, parsed);
        return;
      }
      if (page.isClosed()) return;
      page
        .evaluate(
          ([name, e, p]) =>
            (globalThis as unknown as Record<string, (e: string, p: unknown) => void>)[name]?.(e, p),
          [EMIT_FUNCTION, event, parsed] as const,
        )
        .catch(() => {
          // The page may be reloading or closed; Electron's webContents.send drops the event then too.
        });
    };

    const browserOpener = {
      async open(url: string) {
        opened.push(url);
        const browserPage = await context.newPage();
        cleanups.push(() => browserPage.close().catch(() => {}));
        const waiter = browserWaiters.shift();
        if (waiter) waiter(browserPage);
        else browserPages.push(browserPage);
        // Like shell.openExternal: resolves once the browser has the URL, not when the user acts.
        await browserPage.goto(url, { waitUntil: 'domcontentloaded' }).catch(() => {});
      },
    };

    const simProxy = {
      get dataCenters() {
        return sim.dataCenters;
      },
      get clients() {
        return sim.clients;
      },
      get users() {
        return sim.users;
      },
      // The harness owns the simulator: it outlives a core restart and is closed after the test.
      close: async () => {},
    };

    const buildCore = () =>
      createTokenDeskCore({
        dataDir,
        settings,
        clipboard,
        browserOpener,
        keychain:
          options.setup === 'keychain'
            ? {
                availability: async () => ({ available: true, reason: null }),
                protector: testKeychainProtector,
              }
            : null,
        endpoints: simulatorEndpoints(sim),
        startSimulator: async () => simProxy,
        notify,
        passphraseProtector,
        httpTimeoutMs: 10_000,
      });

    let core = await buildCore();
    cleanups.push(() => core.close());
    const buildRouter = (handlers: TokenDeskCore['handlers']): IpcRouter =>
      createIpcRouter(handlers, {
        // The same sender policy as the app, with the harness's http origin in the dev-server slot.
        isAllowedSender: createAppPageCheck({
          rendererFile: join(RENDERER_DIR, 'index.html'),
          devServerUrl: appUrl,
        }),
        // As in development builds: a response field its schema does not declare is an error.
        responseCheck: 'strict',
      });
    router = buildRouter(core.handlers);
    const routerNow = (): IpcRouter => {
      if (!router) throw new Error('the harness router is not ready');
      return router;
    };

    await page.exposeBinding(INVOKE_BINDING, async (source, channel: unknown, request: unknown) => {
      const response = await routerNow().dispatch(String(channel), request, { url: source.frame.url() });
      if (options.recordCalls ?? true) calls.push({ channel: String(channel), request, response });
      // As JSON text: Playwright's own value serialisation costs seconds for 10,000 token views, where
      // Electron's structured clone costs milliseconds; one string keeps the harness out of the figures.
      return JSON.stringify(response);
    });
    const bridge = contractBridge();
    await page.addInitScript({
      content: bridgeScript(transport === 'http' ? httpBridgeArgs(bridge) : { ...bridge, transport }),
    });

    const invoke = async <M extends IpcMethod>(method: M, request: IpcRequest<M>) =>
      (await routerNow().dispatch(method, request, { url: appUrl })) as IpcResult<IpcResponse<M>>;
    const call = async <M extends IpcMethod>(method: M, request: IpcRequest<M>) => {
      const result = await invoke(method, request);
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
      return result.value;
    };

    if (options.demo ?? true) await call('startDemo', {});
    if ((options.setup ?? 'passphrase') === 'passphrase') {
      await call('setupStore', { protector: 'passphrase', passphrase: PASSPHRASE });
    }
    if (options.setup === 'keychain') await call('setupStore', { protector: 'keychain' });

    const harness: Harness = {
      page,
      context,
      sim,
      dataDir,
      appUrl,
      client: { clientId: browserClient.clientId, clientSecret: browserClient.clientSecret, redirectUri },
      clipboard,
      calls,
      events,
      opened,
      get core() {
        return core;
      },
      async open() {
        await page.goto(appUrl);
      },
      nextBrowserPage() {
        const ready = browserPages.shift();
        if (ready) return Promise.resolve(ready);
        return new Promise((resolvePage) => browserWaiters.push(resolvePage));
      },
      invoke,
      call,
      async restart() {
        await core.close();
        core = await buildCore();
        router = buildRouter(core.handlers);
        if (options.demo ?? true) await call('startDemo', {});
        await page.reload();
      },
      ...fileAndZohoHelpers(dataDir, sim, call),
      close: cleanups.run,
    };
    return harness;
  });
}
