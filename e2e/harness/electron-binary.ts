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

export function findElectronBinary(root = process.cwd()): ElectronBinary {
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
