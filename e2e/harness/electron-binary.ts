import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Finds an Electron executable WITHOUT `require('electron')`: electron 45's index.js downloads the
 * binary when it is missing, which must never happen from a test run (no network here). Same lookup as
 * that file: `ELECTRON_OVERRIDE_DIST_PATH`, else `node_modules/electron/dist/<path.txt>`.
 */
export type ElectronBinary =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly reason: string };

const PLATFORM_EXECUTABLE: Record<string, string> = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};

function findElectronBinary(root = process.cwd()): ElectronBinary {
  const packageDir = resolve(root, 'node_modules/electron');
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : (PLATFORM_EXECUTABLE[process.platform] ?? 'electron');

  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = join(override, relative);
    return existsSync(candidate)
      ? { found: true, path: candidate }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but has no ${relative}` };
  }
  const candidate = join(packageDir, 'dist', relative);
  if (existsSync(candidate)) return { found: true, path: candidate };
  return {
    found: false,
    reason:
      'no node_modules/electron/dist and ELECTRON_OVERRIDE_DIST_PATH is not set (the binary cannot be downloaded here)',
  };
}

export type ElectronLaunchPlan =
  | {
      readonly ready: true;
      readonly executablePath: string;
      readonly args: readonly string[];
      readonly env: Readonly<Record<string, string>>;
    }
  | { readonly ready: false; readonly reason: string };

/**
 * Everything `_electron.launch` needs to start the BUILT app on a fresh data folder, or the one reason it
 * cannot here (printed by the fixture as the skip reason):
 * - the binary (above);
 * - the electron-vite build: package.json "main" is `out/main/index.js`, which loads
 *   `out/preload/index.cjs` and `out/renderer/index.html`; without them the window would be blank;
 * - on Linux, a display (`DISPLAY` or `WAYLAND_DISPLAY`; run under `xvfb-run` on a headless machine),
 *   else Electron aborts at start and every test would fail instead of skip.
 * The data folder is given three ways, so a test run can never open the developer's own TokenDesk store:
 * `TOKENDESK_DATA_DIR` in test mode (electron-harness.ts; the app calls `app.setPath('userData')`, the
 * documented way), `--user-data-dir` (Chromium's switch: not in Electron's documented switches, but
 * Electron's main delegate overrides DIR_USER_DATA, i.e. `userData`, from it) and, on Linux,
 * `XDG_CONFIG_HOME` (where userData lives when neither applies). `ELECTRON_RENDERER_URL`
 * is dropped so the window loads the built renderer, not a dev server; `ELECTRON_RUN_AS_NODE` is dropped
 * so the binary starts as Electron. As root (containers), Chromium's sandbox needs `--no-sandbox`.
 */
export function electronLaunchPlan(
  userDataDir: string,
  root = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): ElectronLaunchPlan {
  const binary = findElectronBinary(root);
  if (!binary.found) return { ready: false, reason: `Electron binary not present: ${binary.reason}` };
  for (const built of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
    if (!existsSync(resolve(root, built))) {
      return { ready: false, reason: `the app is not built (${built} is missing; run "npm run build")` };
    }
  }
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ready: false, reason: 'no display (DISPLAY is not set; run the tests under xvfb-run)' };
  }
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && key !== 'ELECTRON_RENDERER_URL' && key !== 'ELECTRON_RUN_AS_NODE') {
      childEnv[key] = value;
    }
  }
  childEnv.NODE_ENV = 'production';
  if (process.platform === 'linux') childEnv.XDG_CONFIG_HOME = userDataDir;
  const args = [resolve(root), `--user-data-dir=${userDataDir}`];
  if (process.platform === 'linux' && process.getuid?.() === 0) args.push('--no-sandbox');
  return { ready: true, executablePath: binary.path, args, env: childEnv };
}
