import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import Ajv from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import afterPack, { packedElectronPath } from './after-pack.mjs';
import config from './electron-builder.config.mjs';
import { FUSES } from './fuses.mjs';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');

// The fuse wire as Electron compiles it: a sentinel, the wire version, its length, then one byte per fuse.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLE = '1'.charCodeAt(0);
const DISABLE = '0'.charCodeAt(0);
const STOCK_ELECTRON_WIRE = [ENABLE, DISABLE, ENABLE, ENABLE, DISABLE, DISABLE, DISABLE, ENABLE, ENABLE];

let work = null;
afterEach(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  work = null;
});

/** A file laid out like an Electron binary around its fuse wire (stock settings), padded with noise. */
function fakeElectronBinary(path) {
  const wire = Buffer.from([1, STOCK_ELECTRON_WIRE.length, ...STOCK_ELECTRON_WIRE]);
  writeFileSync(
    path,
    Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(SENTINEL), wire, Buffer.alloc(4096, 9)]),
  );
}

describe('packaging', () => {
  it("the builder config is valid against electron-builder's own schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    // The schema uses ajv-keywords' `typeof` for function-valued options; strict mode would refuse it.
    const validate = new Ajv({ allowUnionTypes: true, strict: false }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // And the schema does catch a wrong config, so the check above means something.
    expect(validate({ ...config, linux: { target: 42 } })).toBe(false);
    expect(validate({ ...config, noSuchOption: true })).toBe(false);
  });

  it('builds the installers the team ships, with the native addon outside the archive and no rebuild', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/prebuilds/**');
    expect(config.npmRebuild).toBe(false);
    expect(config.afterPack).toBe('./packaging/after-pack.mjs');
    expect(readFileSync(join(root, config.icon)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('sets every fuse that lets another process run code as the app', () => {
    expect(FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
  });

  it('afterPack flips those fuses in the packed binary', async () => {
    work = mkdtempSync(join(tmpdir(), 'tokendesk-pack-'));
    const context = {
      appOutDir: work,
      electronPlatformName: 'linux',
      packager: { appInfo: { productFilename: 'TokenDesk' }, executableName: 'tokendesk' },
    };
    const binary = packedElectronPath(context);
    expect(binary).toBe(join(work, 'tokendesk'));
    fakeElectronBinary(binary);
    copyFileSync(binary, `${binary}.before`);

    await afterPack(context);

    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    // Only the wire changed: the bytes around it are as they were.
    const before = readFileSync(`${binary}.before`);
    const after = readFileSync(binary);
    expect(after.length).toBe(before.length);
    expect(after.subarray(0, 4096 + SENTINEL.length + 2)).toEqual(
      before.subarray(0, 4096 + SENTINEL.length + 2),
    );
  });

  it('finds the binary where electron-builder puts it on each platform', () => {
    const packager = { appInfo: { productFilename: 'TokenDesk' }, executableName: 'tokendesk' };
    expect(packedElectronPath({ appOutDir: 'o', electronPlatformName: 'darwin', packager })).toBe(
      join('o', 'TokenDesk.app'),
    );
    expect(packedElectronPath({ appOutDir: 'o', electronPlatformName: 'win32', packager })).toBe(
      join('o', 'TokenDesk.exe'),
    );
  });

  it('npm run dist says in one line why it cannot package without an Electron binary, and fails', () => {
    // Port 1 on loopback refuses at once: the same answer as no internet, without waiting for a timeout.
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'dist.mjs')], {
      env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:1/' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npm run dist: cannot package here: .*127\.0\.0\.1:1 unreachable/);
  });
});
