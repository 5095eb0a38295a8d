#!/usr/bin/env node
// Electron's binary, which electron 45 does not download at install time.
//
//   node scripts/prepare-electron.mjs            (postinstall) fetch it when online; offline or in CI,
//                                                print one line saying why it skipped and exit 0, so
//                                                `npm install` / `npm ci` still succeed.
//   node scripts/prepare-electron.mjs --for-start (npm start) fetch it if missing; when that fails, print
//                                                the one command that fetches it and exit 1, instead of
//                                                Electron's own "Electron failed to install correctly".
//
// better-sqlite3 needs no step here: version 13 is a Node-API addon whose prebuilt binaries ship inside
// the npm package, and the same file loads under Node 22 and under Electron.
// Skip the postinstall step with TOKENDESK_SKIP_ELECTRON=1 (or CI=true; set TOKENDESK_PREPARE_ELECTRON=1
// to run it in CI anyway).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => console.log(`prepare-electron: ${line}`);
const PROBE_TIMEOUT_MS = 5_000;
const FETCH_COMMAND = 'npx install-electron';

const truthy = (v) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';

async function postinstall() {
  if (truthy(process.env.TOKENDESK_SKIP_ELECTRON)) return say('skipped (TOKENDESK_SKIP_ELECTRON is set).');
  if (truthy(process.env.CI) && !truthy(process.env.TOKENDESK_PREPARE_ELECTRON)) {
    return say('skipped (CI is set; the tests run under Node and do not need it).');
  }
  const electronDir = packageDir('electron');
  if (!electronDir) return say('skipped (electron is not installed).');
  const version = readJson(join(electronDir, 'package.json')).version;
  if (electronBinaryPresent(electronDir, version)) return say(`Electron ${version} binary present.`);
  const why = await fetchElectron(electronDir, version, 'ignore');
  say(
    why === null
      ? `Electron ${version} binary downloaded.`
      : `Electron binary: skipped (${why}); "npm start" will try again, or run "${FETCH_COMMAND}" when online.`,
  );
}

async function beforeStart() {
  const electronDir = packageDir('electron');
  if (!electronDir) {
    console.error('TokenDesk cannot start: the electron package is not installed. Run "npm install".');
    return 1;
  }
  const version = readJson(join(electronDir, 'package.json')).version;
  if (electronBinaryPresent(electronDir, version)) return 0;
  say(`Electron ${version} binary missing; downloading it now.`);
  const why = await fetchElectron(electronDir, version, 'inherit');
  if (why === null) return 0;
  console.error(
    `TokenDesk cannot start: Electron's binary is not installed (${why}).\n` +
      `Run "${FETCH_COMMAND}" when online, then "npm start" again.`,
  );
  return 1;
}

/** Runs Electron's own installer (checksums, dist/, path.txt); null on success, else why not. */
async function fetchElectron(electronDir, version, stdout) {
  const mirror =
    process.env.ELECTRON_MIRROR || process.env.npm_config_electron_mirror || 'https://github.com/';
  const reason = await unreachable(mirror);
  if (reason) return reason;
  const run = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: ['ignore', stdout, 'pipe'],
    timeout: 600_000,
    encoding: 'utf8',
  });
  if (run.status === 0 && electronBinaryPresent(electronDir, version)) return null;
  return `download failed: ${lastLine(run)}`;
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

/** Where package `name` is installed, as resolved from the project root. */
function packageDir(name) {
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
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

if (process.argv.includes('--for-start')) {
  process.exitCode = await beforeStart();
} else {
  await postinstall().catch((error) => {
    // Never fail `npm install` over an optional step; say what happened in one line.
    say(`skipped (unexpected error: ${error?.message ?? error}).`);
  });
}
