import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * docs/architecture.md "Where code runs": only the edge (src/main/electron/, src/main/index.ts) and the preload may
 * import `electron` or `electron-store`. Everything else must run under plain Node so it can be tested.
 */
const SRC = fileURLToPath(new URL('../../', import.meta.url));
const ALLOWED = [/^main\/electron\//, /^main\/index\.ts$/, /^preload\//];
const IMPORT =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](electron|electron-store)(?:\/[^'"]*)?['"]/m;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(?:[cm]?[jt]sx?)$/.test(entry.name) ? [path] : [];
  });
}

describe('import boundary', () => {
  it('finds electron imports with the pattern it uses', () => {
    expect(IMPORT.test("import { app } from 'electron';")).toBe(true);
    expect(IMPORT.test('const Store = await import("electron-store")')).toBe(true);
    expect(IMPORT.test("const { shell } = require('electron/main')")).toBe(true);
    expect(IMPORT.test("import type { App } from 'electron'")).toBe(true);
    expect(IMPORT.test("import x from 'electron-vite'")).toBe(false);
  });

  it('no file outside the edge and preload imports electron or electron-store', () => {
    const offenders = sourceFiles(SRC)
      .map((file) => relative(SRC, file).split(sep).join('/'))
      .filter((rel) => !ALLOWED.some((allowed) => allowed.test(rel)))
      .filter((rel) => IMPORT.test(readFileSync(join(SRC, rel), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
