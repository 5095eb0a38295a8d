import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { _electron, type BrowserContext, type ElectronApplication, type Page } from '@playwright/test';
import { parseTestRecords, type TestRecord, testModeEnvironment } from '../../src/main/electron/test-mode';
import type {
  IpcEventName,
  IpcMethod,
  IpcRequest,
  IpcResponse,
  IpcResult,
} from '../../src/shared/ipc/contract';
import { electronLaunchPlan } from './electron-binary';
import type { Harness, HarnessOptions } from './harness';
import { buildWithCleanups, fileAndZohoHelpers, PASSPHRASE, startHarnessSimulator } from './test-process';

/**
 * The `app` fixture against the REAL Electron app (project `electron`), with the same API as the Chromium
 * harness (harness.ts). The app is the built one (`out/`), launched by `_electron.launch` in test mode
 * (src/main/electron/test-mode.ts, `TOKENDESK_TEST_MODE=1`):
 * - its data folder is a temp folder this harness owns (`TOKENDESK_DATA_DIR`), so `storedTokens()` and
 *   `seedTokens()` work over a second SQLite connection exactly as in the Chromium harness;
 * - its Zoho is the simulator THIS process runs (`TOKENDESK_SIM_ENDPOINTS`, with the demo clients and
 *   users), so `sim.stats`, `injectFault` and `isRefreshTokenActive` see what the app did;
 * - it writes consent URLs, clipboard writes and pushed events to a record file (`TOKENDESK_TEST_RECORD`)
 *   instead of opening the user's browser or clipboard; `nextBrowserPage()` opens each URL in a page of
 *   the project's own Chromium (`context`), where the consent page is clicked as in the Chromium harness;
 * - `invoke()` / `call()` run `window.tokendesk[method](request)` in the app window: the real preload and
 *   ipcMain, sender checks included.
 * `calls` (every binding call with its answer) and `core` exist only where the core runs in this process;
 * reading them here skips the spec with that reason (`unsupported`).
 *
 * NOT RUN YET: no Electron binary can be downloaded where this was written, so this path has only been
 * type-checked; see e2e/README.md.
 */

export interface ElectronHarnessHooks {
  /** Skips the running test with a printed one-line reason (fixtures.ts). */
  unsupported(reason: string): never;
}

/** How long `nextBrowserPage()` waits for the app to hand over a URL. */
const BROWSER_PAGE_TIMEOUT_MS = 30_000;

export async function startElectronHarness(
  context: BrowserContext,
  options: HarnessOptions,
  hooks: ElectronHarnessHooks,
): Promise<Harness> {
  if (options.transport === 'http')
    hooks.unsupported('the http transport exists only in the Chromium harness');
  if (options.setup === 'keychain')
    hooks.unsupported("the stand-in keychain exists only in the Chromium harness (Electron uses the OS's)");

  return buildWithCleanups('electron harness', async (cleanups) => {
    const runDir = mkdtempSync(join(tmpdir(), 'tokendesk-electron-'));
    cleanups.push(() => rmSync(runDir, { recursive: true, force: true }));
    const dataDir = join(runDir, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    const recordFile = join(runDir, 'record.jsonl');

    const { sim, port, browserClient, redirectUri } = await startHarnessSimulator(options);
    cleanups.push(() => sim.close());

    const plan = electronLaunchPlan(dataDir);
    if (!plan.ready) hooks.unsupported(plan.reason);
    const env = {
      ...plan.env,
      ...testModeEnvironment({
        dataDir,
        recordFile,
        simulator: { dataCenters: sim.dataCenters, clients: sim.clients, users: sim.users },
      }),
    };

    let electronApp: ElectronApplication | null = null;
    let page: Page | null = null;
    const launch = async () => {
      electronApp = await _electron.launch({
        executablePath: plan.executablePath,
        args: [...plan.args],
        env,
      });
      page = await electronApp.firstWindow();
      await page.waitForLoadState('domcontentloaded');
    };
    const quit = async () => {
      const running = electronApp;
      electronApp = null;
      page = null;
      // app.quit(): will-quit closes the core (WAL checkpoint, loopback server) before the process exits.
      if (running) await running.close();
    };
    const appPage = (): Page => {
      if (!page) throw new Error('the Electron app is not running');
      return page;
    };
    await launch();
    cleanups.push(quit);

    const invoke = async <M extends IpcMethod>(method: M, request: IpcRequest<M>) =>
      (await appPage().evaluate(
        ([m, r]) =>
          (globalThis as unknown as { tokendesk: Record<string, (r: unknown) => Promise<unknown>> })
            .tokendesk[m]!(r),
        [method, request] as const,
      )) as IpcResult<IpcResponse<M>>;
    const call = async <M extends IpcMethod>(method: M, request: IpcRequest<M>) => {
      const result = await invoke(method, request);
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
      return result.value;
    };

    // As the Chromium harness's MemorySettings: the sign-in listens on the port registered at the simulator.
    // Before setupStore, so no settings row lands in the audit log.
    await call('updateSettings', { redirectPort: port, demoMode: true });
    if (options.demo ?? true) await call('startDemo', {});
    if ((options.setup ?? 'passphrase') === 'passphrase') {
      await call('setupStore', { protector: 'passphrase', passphrase: PASSPHRASE });
    }

    const records = (): TestRecord[] =>
      existsSync(recordFile) ? parseTestRecords(readFileSync(recordFile, 'utf8')) : [];
    const opened = () => records().flatMap((r) => (r.kind === 'open' ? [r.url] : []));

    let browserPagesTaken = 0;

    const harness: Harness = {
      get page() {
        return appPage();
      },
      // The "system browser": the project's Chromium, beside the Electron app.
      context,
      sim,
      dataDir,
      appUrl: pathToFileURL(resolve('out/renderer/index.html')).href,
      client: { clientId: browserClient.clientId, clientSecret: browserClient.clientSecret, redirectUri },
      clipboard: {
        get writes() {
          return records().flatMap((r) => (r.kind === 'clipboard' ? [r.text] : []));
        },
        writeText() {
          hooks.unsupported('the clipboard is written by the Electron app, not the test');
        },
      },
      get calls(): never {
        return hooks.unsupported(
          'the Electron app answers the preload over ipcMain; only the Chromium harness sees every IPC answer',
        );
      },
      get events() {
        return records().flatMap((r) =>
          r.kind === 'event' ? [{ event: r.event as IpcEventName, payload: r.payload }] : [],
        );
      },
      get opened() {
        return opened();
      },
      get core(): never {
        return hooks.unsupported('the core runs inside the Electron app, not in the test process');
      },
      async open() {
        // The window loaded at launch; a reload is the fresh load `open()` means (after seeding, grants...).
        await appPage().reload({ waitUntil: 'domcontentloaded' });
      },
      async nextBrowserPage() {
        const deadline = Date.now() + BROWSER_PAGE_TIMEOUT_MS;
        for (;;) {
          const url = opened()[browserPagesTaken];
          if (url !== undefined) {
            browserPagesTaken += 1;
            const browserPage = await context.newPage();
            cleanups.push(() => browserPage.close().catch(() => {}));
            await browserPage.goto(url, { waitUntil: 'domcontentloaded' });
            return browserPage;
          }
          if (Date.now() > deadline) throw new Error('the app opened no browser page within 30 s');
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      invoke,
      call,
      async restart() {
        await quit();
        await launch();
        if (options.demo ?? true) await call('startDemo', {});
      },
      ...fileAndZohoHelpers(dataDir, sim, call),
      close: cleanups.run,
    };
    return harness;
  });
}
