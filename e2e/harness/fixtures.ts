import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test as base, type Page, type TestInfo } from '@playwright/test';
import { electronLaunchPlan } from './electron-binary';
import { startElectronHarness } from './electron-harness';
import { type Harness, type HarnessOptions, startHarness } from './harness';

export type RunMode = 'harness' | 'electron';

interface Fixtures {
  /**
   * Per test: the harness. `harness` mode: Chromium + the real core in this process + SQLite + simulator
   * (harness.ts). `electron` mode: the real Electron app in test mode + the same simulator and store access
   * from this process (electron-harness.ts). Same API in both.
   */
  app: Harness;
  /** The app window, loaded: `app.page` after `open()`. */
  appPage: Page;
}

interface Options {
  /** Set per project in playwright.config.ts. */
  mode: RunMode;
  harnessOptions: HarnessOptions;
}

let electronSkipPrinted = false;

/** Electron cannot run here at all: every test skips, and the reason is printed once. */
function skipElectron(reason: string): never {
  if (!electronSkipPrinted) {
    electronSkipPrinted = true;
    console.log(`[electron project] skipping every test: ${reason}`);
  }
  base.skip(true, reason);
  throw new Error('unreachable: test.skip throws');
}

/** One spec needs what only the Chromium harness has: that spec skips, with a one-line reason. */
function skipThisSpec(testInfo: TestInfo, reason: string): never {
  console.log(`[electron project] skipping "${testInfo.titlePath.slice(1).join(' > ')}": ${reason}`);
  base.skip(true, reason);
  throw new Error('unreachable: test.skip throws');
}

async function startApp(
  mode: RunMode,
  context: Parameters<typeof startHarness>[0],
  page: Page,
  options: HarnessOptions,
  testInfo: TestInfo,
): Promise<Harness> {
  if (mode === 'harness') return startHarness(context, page, options);
  const plan = electronLaunchPlan(tmpdir());
  if (!plan.ready) skipElectron(plan.reason);
  return startElectronHarness(context, options, {
    unsupported: (reason) => skipThisSpec(testInfo, reason),
  });
}

export const test = base.extend<Fixtures & Options>({
  mode: ['harness', { option: true }],
  harnessOptions: [{}, { option: true }],

  app: async ({ mode, context, page, harnessOptions }, use, testInfo) => {
    const harness = await startApp(mode, context, page, harnessOptions, testInfo);
    try {
      await use(harness);
    } finally {
      await harness.close();
    }
  },

  appPage: async ({ mode, context, page, harnessOptions }, use, testInfo) => {
    const harness = await startApp(mode, context, page, harnessOptions, testInfo);
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
const SCREENSHOT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1' ? resolve('docs/screenshots') : resolve('test-results/screenshots');

/** Saves the page as `<SCREENSHOT_DIR>/<name>.png` (the viewport is 1360x860). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await mkdir(dirname(path), { recursive: true });
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
}
