#!/usr/bin/env node
// `npm run dist [-- electron-builder args]`: builds with electron-vite, then installers with electron-builder
// (packaging/electron-builder.config.mjs: AppImage + deb on Linux, dmg on macOS, nsis on Windows; fuses
// flipped in packaging/after-pack.mjs). electron-builder needs Electron's release zip for the target: it
// uses node_modules/electron/dist when that holds this Electron, else downloads the zip. Where neither can
// be had it says so in one line and exits 1 instead of failing halfway through.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PROBE_TIMEOUT_MS = 5_000;

function localElectronDist() {
  const electronDir = join(root, 'node_modules', 'electron');
  try {
    const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
    const dist = join(electronDir, 'dist');
    const distVersion = readFileSync(join(dist, 'version'), 'utf8').trim().replace(/^v/, '');
    const executable = readFileSync(join(electronDir, 'path.txt'), 'utf8');
    return distVersion === version && existsSync(join(dist, executable)) ? dist : null;
  } catch {
    return null;
  }
}

async function unreachable(url) {
  try {
    await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return null;
  } catch (error) {
    return `${new URL(url).host} unreachable: ${error?.cause?.code ?? error?.name ?? 'error'}`;
  }
}

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  return result.status ?? 1;
}

async function main() {
  const dist = localElectronDist();
  const extra = process.argv.slice(2);
  if (dist === null) {
    const mirror = process.env.ELECTRON_MIRROR || 'https://github.com/';
    const why = await unreachable(mirror);
    if (why) {
      console.error(
        `npm run dist: cannot package here: no Electron binary in node_modules/electron/dist and its release zip cannot be downloaded (${why}).`,
      );
      return 1;
    }
  } else {
    extra.push(`--config.electronDist=${dist}`);
  }
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  const built = run(bin('electron-vite'), ['build']);
  if (built !== 0) return built;
  return run(bin('electron-builder'), [
    '--config',
    'packaging/electron-builder.config.mjs',
    '--publish',
    'never',
    ...extra,
  ]);
}

process.exitCode = await main();
