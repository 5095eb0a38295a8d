/**
 * `npm run dev:browser`: the renderer in a plain browser, with hot reload, wired to the REAL core
 * (`createTokenDeskCore`) in this Node process, a real encrypted SQLite store and the Zoho simulator, over
 * the bridge's HTTP transport (http-transport.ts): the same router, sender check and response check the
 * app and the e2e harness use. There is no fake back end to keep in step: a channel added to the contract
 * works here as soon as its handler exists.
 *
 * Options: `--port <n>` (default 5199), `--data <folder>` (default: a new temp folder, removed on exit),
 * `--setup none|passphrase` (default none: the first-run screen), `--tokens <n>` (seed n tokens; implies
 * `--setup passphrase`), `--no-demo` (do not start demo mode). The passphrase it sets up is printed.
 * Sign-in pages the core would open in the system browser are printed instead: open them by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import react from '@vitejs/plugin-react';
import { createServer, type Plugin } from 'vite';
import { simulatorEndpoints } from '../../sim';
import type { Clipboard } from '../../src/main/common/clipboard';
import { MemorySettings } from '../../src/main/common/test-support/memory-settings';
import { createTokenDeskCore } from '../../src/main/core/core';
import { createIpcRouter } from '../../src/main/ipc/router';
import { createAppPageCheck } from '../../src/main/security/app-page';
import { type IpcEventName, type IpcMethod, ipcContract, ipcEvents } from '../../src/shared/ipc/contract';
import { BRIDGE_SCRIPT_PATH, createHttpTransport, TRANSPORT_PREFIX } from './http-transport';
import {
  cleanupStack,
  PASSPHRASE,
  passphraseProtector,
  startHarnessSimulator,
  storeAccess,
} from './test-process';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '5199' },
    data: { type: 'string' },
    setup: { type: 'string', default: 'none' },
    tokens: { type: 'string', default: '0' },
    'no-demo': { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  const port = Number(args.port);
  const tokens = Number(args.tokens);
  if (!Number.isInteger(port) || port < 1024 || port > 65535)
    throw new Error(`--port ${args.port}: use 1024-65535`);
  if (!Number.isInteger(tokens) || tokens < 0) throw new Error(`--tokens ${args.tokens}: use a whole number`);
  if (args.setup !== 'none' && args.setup !== 'passphrase')
    throw new Error('--setup: use none or passphrase');
  const setUp = args.setup === 'passphrase' || tokens > 0;

  const cleanups = cleanupStack('dev page');
  const stop = () => void cleanups.run().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const dataDir = args.data ? resolve(args.data) : mkdtempSync(join(tmpdir(), 'tokendesk-dev-'));
  if (!args.data) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const { sim, port: redirectPort } = await startHarnessSimulator({});
  cleanups.push(() => sim.close());

  const appUrl = `http://127.0.0.1:${port}/`;
  const http = createHttpTransport({
    appUrl: () => appUrl,
    bridge: {
      methods: Object.fromEntries(
        (Object.keys(ipcContract) as IpcMethod[]).map((method) => [method, ipcContract[method].channel]),
      ),
      events: Object.keys(ipcEvents),
      invokeBinding: '__tokendeskInvoke',
      emitFunction: '__tokendeskEmit',
    },
    dispatch: (channel, request, sender) => router.dispatch(channel, request, sender),
  });
  cleanups.push(() => http.close());

  // Memory only, and never printed: what the app copies may be an access token.
  let clipboardText = '';
  const clipboard: Clipboard = {
    writeText: (text) => {
      clipboardText = text;
    },
    readText: async () => clipboardText,
    clear: () => {
      clipboardText = '';
    },
  };
  const core = await createTokenDeskCore({
    dataDir,
    settings: new MemorySettings({ demoMode: true, redirectPort }),
    clipboard,
    browserOpener: {
      async open(url: string) {
        console.log(`\nTokenDesk would open this in the system browser; open it yourself:\n  ${url}\n`);
      },
    },
    keychain: null,
    endpoints: simulatorEndpoints(sim),
    startSimulator: async () => ({
      get dataCenters() {
        return sim.dataCenters;
      },
      get clients() {
        return sim.clients;
      },
      get users() {
        return sim.users;
      },
      close: async () => {},
    }),
    notify: <E extends IpcEventName>(event: E, payload: unknown) =>
      http.push(event, ipcEvents[event].parse(payload)),
    passphraseProtector,
    httpTimeoutMs: 10_000,
  });
  cleanups.push(() => core.close());
  const router = createIpcRouter(core.handlers, {
    isAllowedSender: createAppPageCheck({
      rendererFile: resolve('out/renderer/index.html'),
      devServerUrl: appUrl,
    }),
    responseCheck: 'strict',
  });
  const call = async (method: IpcMethod, request: unknown) => {
    const result = await router.dispatch(method, request, { url: appUrl });
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  };
  if (!args['no-demo']) await call('startDemo', {});
  if (setUp) await call('setupStore', { protector: 'passphrase', passphrase: PASSPHRASE });
  if (tokens > 0) await storeAccess(dataDir).seedTokens(tokens);

  const backEnd: Plugin = {
    name: 'tokendesk-dev-back-end',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = req.url ?? '';
        if (!url.startsWith(TRANSPORT_PREFIX)) return next();
        void Promise.resolve(http.route.handle(req, res, url.slice(TRANSPORT_PREFIX.length))).catch(() => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      });
    },
    // Before the app's own script: `window.tokendesk` exists when the renderer starts, as with preload.
    transformIndexHtml: () => [
      { tag: 'script', attrs: { src: BRIDGE_SCRIPT_PATH }, injectTo: 'head-prepend' },
    ],
  };
  const vite = await createServer({
    configFile: false,
    root: resolve('src/renderer'),
    plugins: [react(), backEnd],
    server: { host: '127.0.0.1', port, strictPort: true },
  });
  cleanups.push(() => vite.close());
  await vite.listen();
  console.log(`TokenDesk dev page: ${appUrl}`);
  console.log(`  data folder: ${dataDir}${args.data ? '' : ' (removed on exit)'}`);
  if (setUp) console.log(`  passphrase: ${PASSPHRASE}`);
  console.log('  Ctrl+C stops it.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
