import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { _electron, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary } from './electron-binary';
import { type Harness, type HarnessOptions, startHarness } from './harness';

export type RunMode = 'harness' | 'electron';

interface Fixtures {
  /** Per test: the harness (Chromium + real core + SQLite + simulator). Harness mode only. */
  app: Harness;
  /** The app window, loaded: the harness page after `open()`, or Electron's first window. */
  appPage: Page;
}

interface Options {
  /** Set per project in playwright.config.ts. */
  mode: RunMode;
  harnessOptions: HarnessOptions;
}

let electronSkipPrinted = false;

/** In electron mode: launches the app if a binary exists, else skips the test with a printed reason. */
async function launchElectron(): Promise<{ app: ElectronApplication; userData: string } | null> {
  const binary = findElectronBinary();
  if (!binary.found) {
    const reason = `Electron binary not present: ${binary.reason}`;
    if (!electronSkipPrinted) {
      electronSkipPrinted = true;
      console.log(`[electron project] skipping every test: ${reason}`);
    }
    base.skip(true, reason);
    return null;
  }
  const userData = mkdtempSync(join(tmpdir(), 'tokendesk-electron-'));
  const app = await _electron.launch({
    executablePath: binary.path,
    // The built main (`npm run build` -> out/main/index.js, package.json "main"); a fresh userData folder.
    args: [resolve('.'), `--user-data-dir=${userData}`],
    env: { ...process.env, NODE_ENV: 'production' } as Record<string, string>,
  });
  return { app, userData };
}

export const test = base.extend<Fixtures & Options>({
  mode: ['harness', { option: true }],
  harnessOptions: [{}, { option: true }],

  app: async ({ mode, context, page, harnessOptions }, use) => {
    if (mode === 'electron') {
      const binary = findElectronBinary();
      base.skip(
        true,
        binary.found
          ? 'This spec drives the Zoho simulator and the store from the test process, which only the harness can do.'
          : `Electron binary not present: ${binary.reason}`,
      );
      return;
    }
    const harness = await startHarness(context, page, harnessOptions);
    try {
      await use(harness);
    } finally {
      await harness.close();
    }
  },

  appPage: async ({ mode, context, page, harnessOptions }, use) => {
    if (mode === 'electron') {
      const launched = await launchElectron();
      if (!launched) return;
      try {
        await use(await launched.app.firstWindow());
      } finally {
        await launched.app.close().catch(() => {});
        rmSync(launched.userData, { recursive: true, force: true });
      }
      return;
    }
    const harness = await startHarness(context, page, harnessOptions);
    try {
      await harness.open();
      await use(harness.page);
    } finally {
      await harness.close();
    }
  },
});

export const expect = test.expect;

/** Saves the page as `docs/screenshots/<name>.png` (committed; the viewport is 1360x860). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const path = resolve('docs/screenshots', `${name}.png`);
  await mkdir(dirname(path), { recursive: true });
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
}
