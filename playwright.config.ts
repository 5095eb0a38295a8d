import { defineConfig } from '@playwright/test';
import type { RunMode } from './e2e/harness/fixtures';

/**
 * End-to-end tier (docs/architecture.md "Tests"): the built renderer (`npm run build`) in Debian's Chromium, wired
 * to the real main-process core, a real SQLite store in a temp folder and the Zoho simulator through the
 * same IPC router Electron uses (e2e/harness). The `electron` project runs the same specs through
 * `_electron.launch` when an Electron binary exists, and skips with a printed reason when it does not.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumLaunch = {
  executablePath: chromiumPath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export default defineConfig<{ mode: RunMode }>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  // A `test.only` left in a spec would quietly skip every other test; CI refuses it.
  forbidOnly: !!process.env.CI,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    viewport: { width: 1360, height: 860 },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium-harness',
      use: { browserName: 'chromium', launchOptions: chromiumLaunch, mode: 'harness' },
    },
    {
      // The same specs against the real, built app in test mode (e2e/harness/electron-harness.ts): runs
      // only when an Electron binary, the build and a display exist; otherwise every test skips with a
      // printed one-line reason. This Chromium is the "system browser" for consent pages. A spec that
      // reads what only the in-process core has (`app.calls`, `app.core`) skips alone and says why.
      // NOT YET RUN against a real Electron binary (none can be downloaded where it was written).
      name: 'electron',
      use: { browserName: 'chromium', launchOptions: chromiumLaunch, mode: 'electron' },
    },
  ],
});
