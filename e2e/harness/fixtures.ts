import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { _electron, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { electronLaunchPlan } from './electron-binary';
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

function skipElectron(reason: string): void {
  if (!electronSkipPrinted) {
    electronSkipPrinted = true;
    console.log(`[electron project] skipping every test: ${reason}`);
  }
  base.skip(true, reason);
}

/** In electron mode: launches the built app if it can run here, else skips the test with a printed reason. */
async function launchElectron(): Promise<{ app: ElectronApplication; userData: string } | null> {
  const userData = mkdtempSync(join(tmpdir(), 'tokendesk-electron-'));
  const plan = electronLaunchPlan(userData);
  if (!plan.ready) {
    rmSync(userData, { recursive: true, force: true });
    skipElectron(plan.reason);
    return null;
  }
  try {
    const app = await _electron.launch({
      executablePath: plan.executablePath,
      args: [...plan.args],
      env: { ...plan.env },
    });
    return { app, userData };
  } catch (error) {
    rmSync(userData, { recursive: true, force: true });
    throw error;
  }
}

export const test = base.extend<Fixtures & Options>({
  mode: ['harness', { option: true }],
  harnessOptions: [{}, { option: true }],

  app: async ({ mode, context, page, harnessOptions }, use) => {
    if (mode === 'electron') {
      const plan = electronLaunchPlan(tmpdir());
      if (!plan.ready) skipElectron(plan.reason);
      else {
        base.skip(
          true,
          'This spec drives the Zoho simulator and the store from the test process, which only the harness can do.',
        );
      }
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

/**
 * Where `screenshot()` writes. By default `test-results/screenshots/` (ignored by git), so a test run never
 * rewrites the committed images (they show times and countdowns, which differ on every run). With
 * `UPDATE_SCREENSHOTS=1` they go to `docs/screenshots/`, the committed set the README shows.
 */
export const SCREENSHOT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1' ? resolve('docs/screenshots') : resolve('test-results/screenshots');

/** Saves the page as `<SCREENSHOT_DIR>/<name>.png` (the viewport is 1360x860). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await mkdir(dirname(path), { recursive: true });
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
}
