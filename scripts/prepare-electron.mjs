#!/usr/bin/env node
// Runs at `npm install` (postinstall). Makes `npm start` runnable on a machine with internet:
//   1. Electron's binary: electron 45 ships without it and downloads it on first use; fetch it now.
//   2. better-sqlite3 for Electron's ABI, written to build/native/electron/better_sqlite3.node: its
//      prebuilt binary when one exists for this Electron, else compiled with node-gyp against Electron's
//      headers. The copy in node_modules stays built for Node, so `npm test` never needs a rebuild; main
//      passes this file to better-sqlite3 as `nativeBinding`.
// Offline (or in CI) each step prints one line saying it skipped and why, and the script exits 0 so
// `npm install` / `npm ci` still succeed. Skip everything with TOKENDESK_SKIP_ELECTRON=1 (or CI=true;
// set TOKENDESK_PREPARE_ELECTRON=1 to run it in CI anyway).
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => console.log(`prepare-electron: ${line}`);
const PROBE_TIMEOUT_MS = 5_000;

async function main() {
  const truthy = (v) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
  if (truthy(process.env.TOKENDESK_SKIP_ELECTRON)) return say('skipped (TOKENDESK_SKIP_ELECTRON is set).');
  if (truthy(process.env.CI) && !truthy(process.env.TOKENDESK_PREPARE_ELECTRON)) {
    return say('skipped (CI is set; tests run under Node and need neither step).');
  }
  const electronDir = packageDir('electron');
  const sqliteDir = packageDir('better-sqlite3');
  if (!electronDir || !sqliteDir) return say('skipped (electron or better-sqlite3 is not installed).');
  const electronVersion = readJson(join(electronDir, 'package.json')).version;

  await ensureElectronBinary(electronDir, electronVersion);
  await buildElectronSqlite(sqliteDir, electronVersion);
}

async function ensureElectronBinary(electronDir, version) {
  if (electronBinaryPresent(electronDir, version)) return say(`Electron ${version} binary present.`);
  const mirror =
    process.env.ELECTRON_MIRROR || process.env.npm_config_electron_mirror || 'https://github.com/';
  const reason = await unreachable(mirror);
  if (reason) {
    return say(`Electron binary: skipped (${reason}); run "npx install-electron" when online.`);
  }
  // Electron's own installer: verifies checksums and writes dist/ and path.txt, which electron-vite reads.
  const run = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 600_000,
    encoding: 'utf8',
  });
  if (run.status === 0 && electronBinaryPresent(electronDir, version)) {
    return say(`Electron ${version} binary downloaded.`);
  }
  say(
    `Electron binary: skipped (download failed: ${lastLine(run)}); run "npx install-electron" when online.`,
  );
}

function electronBinaryPresent(electronDir, version) {
  try {
    const executable = readFileSync(join(electronDir, 'path.txt'), 'utf8');
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist');
    const distVersion = readFileSync(join(dist, 'version'), 'utf8').trim().replace(/^v/, '');
    return distVersion === version && existsSync(join(dist, executable));
  } catch {
    return false;
  }
}

async function buildElectronSqlite(sqliteDir, electronVersion) {
  const outDir = join(root, 'build', 'native', 'electron');
  const target = join(outDir, 'better_sqlite3.node');
  const stampFile = join(outDir, 'build-info.json');
  const sqliteVersion = readJson(join(sqliteDir, 'package.json')).version;
  const stamp = {
    electron: electronVersion,
    betterSqlite3: sqliteVersion,
    platform: process.platform,
    arch: process.arch,
  };
  if (existsSync(target) && existsSync(stampFile) && sameStamp(readJson(stampFile), stamp)) {
    return say(`better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} is up to date.`);
  }

  // Build in a throwaway copy so the Node-ABI build in node_modules (used by tests) is never touched.
  const work = mkdtempSync(join(tmpdir(), 'tokendesk-sqlite-'));
  try {
    cpSync(sqliteDir, work, { recursive: true, filter: (src) => !isInside(src, join(sqliteDir, 'build')) });
    const env = { ...process.env };
    // npm passes ~/.npmrc settings such as nodedir=/usr (Node's headers) as npm_config_*; they would
    // override the Electron target, so drop them for this build.
    for (const key of Object.keys(env)) {
      if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|build_from_source)$/i.test(key))
        delete env[key];
    }
    // Like better-sqlite3's own install: its prebuilt binary first (no compiler needed, which matters on
    // Windows and macOS), else compile against Electron's headers.
    const noPrebuilt = await downloadPrebuilt(sqliteDir, work, electronVersion, env);
    const notCompiled = noPrebuilt && (await compile(work, electronVersion, env));
    if (notCompiled) {
      return say(
        `Electron-ABI better-sqlite3: skipped (prebuilt: ${noPrebuilt}; compile: ${notCompiled}); rerun "npm run postinstall" when online.`,
      );
    }
    mkdirSync(outDir, { recursive: true });
    // Copy beside the target, then rename: a reader never sees a half-written .node file.
    const partial = `${target}.${process.pid}.partial`;
    cpSync(builtAddon(work), partial);
    renameSync(partial, target);
    writeFileSync(`${stampFile}.${process.pid}.partial`, `${JSON.stringify(stamp, null, 2)}\n`);
    renameSync(`${stampFile}.${process.pid}.partial`, stampFile);
    say(
      `better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}: ${noPrebuilt ? 'compiled' : 'prebuilt downloaded'} (build/native/electron).`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function builtAddon(work) {
  return join(work, 'build', 'Release', 'better_sqlite3.node');
}

/** better-sqlite3's prebuilt addon for this Electron into `work`; null on success, else why not. */
async function downloadPrebuilt(sqliteDir, work, electronVersion, env) {
  const tool = packageDir('prebuild-install', sqliteDir);
  if (!tool) return 'prebuild-install is not installed';
  // The prebuilt binaries are GitHub release assets of better-sqlite3.
  const reason = await unreachable('https://github.com/');
  if (reason) return reason;
  const run = spawnSync(
    process.execPath,
    [
      join(tool, 'bin.js'),
      '--runtime=electron',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
      `--platform=${process.platform}`,
    ],
    { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000, encoding: 'utf8' },
  );
  return run.status === 0 && existsSync(builtAddon(work))
    ? null
    : `none for this Electron (${lastLine(run)})`;
}

/** Compiles better-sqlite3 in `work` against Electron's headers; null on success, else why not. */
async function compile(work, electronVersion, env) {
  const distUrl = process.env.ELECTRON_HEADERS_URL || 'https://electronjs.org/headers';
  const devDir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'node-gyp');
  // node-gyp keeps downloaded headers per target version; with them cached no network is needed.
  if (!existsSync(join(devDir, electronVersion, 'include', 'node', 'common.gypi'))) {
    const reason = await unreachable(
      `${distUrl}/v${electronVersion}/node-v${electronVersion}-headers.tar.gz`,
    );
    if (reason) return `Electron headers: ${reason}`;
  }
  // A project copy of node-gyp, else the one npm runs install scripts with (npm tells its path).
  const nodeGypPackage = packageDir('node-gyp');
  const nodeGyp = nodeGypPackage
    ? join(nodeGypPackage, 'bin', 'node-gyp.js')
    : process.env.npm_config_node_gyp;
  if (!nodeGyp || !existsSync(nodeGyp)) return 'node-gyp is not installed';
  const run = spawnSync(
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--runtime=electron',
      `--dist-url=${distUrl}`,
      `--devdir=${devDir}`,
    ],
    { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 900_000, encoding: 'utf8' },
  );
  return run.status === 0 && existsSync(builtAddon(work)) ? null : `build failed: ${lastLine(run)}`;
}

/** Why `url` cannot be fetched right now, or null when it can (any HTTP answer counts as reachable). */
async function unreachable(url) {
  try {
    await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return null;
  } catch (error) {
    const code = error?.cause?.code ?? error?.name ?? 'error';
    return `${new URL(url).host} unreachable: ${code}`;
  }
}

/** Where package `name` is installed, as resolved from the project root (or from `fromDir`). */
function packageDir(name, fromDir = root) {
  try {
    return dirname(createRequire(join(fromDir, 'package.json')).resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function isInside(path, dir) {
  return path === dir || path.startsWith(dir + sep);
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function sameStamp(a, b) {
  return Object.keys(b).every((key) => a?.[key] === b[key]);
}

function lastLine(run) {
  if (run.error) return run.error.code ?? run.error.message;
  const lines = String(run.stderr ?? '')
    .trim()
    .split('\n')
    // The last line of a crash is a stack frame or Node's version banner; the error itself says more.
    .filter((line) => line.trim() !== '' && !/^\s+at\s|^Node\.js v\d/.test(line));
  return (lines.at(-1) ?? `exit code ${run.status}`).slice(0, 200);
}

main().catch((error) => {
  // Never fail `npm install` over an optional step; say what happened in one line.
  say(`skipped (unexpected error: ${error?.message ?? error}).`);
});
