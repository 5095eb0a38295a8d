import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

// The app and the tests must load the same better-sqlite3 binary: version 13 (Node-API, prebuilt inside
// the package) on the Node 22 that package.json pins. A test run on another Node would prove nothing
// about the app, so this fails loudly when `npm test` is not running on the pinned Node.
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
};

describe('SQLite runtime', () => {
  it('runs on the Node major that package.json pins', () => {
    const pinnedMajor = pkg.devDependencies.node?.split('.')[0];
    expect(pinnedMajor).toBe('22');
    expect(process.versions.node.split('.')[0]).toBe(pinnedMajor);
  });

  it('loads better-sqlite3 13 from its prebuilt Node-API binary', () => {
    const installed = require('better-sqlite3/package.json') as { version: string };
    expect(installed.version.split('.')[0]).toBe('13');
    // npm would compile the addon from source (binding.gyp) unless package.json's allowScripts denies it;
    // a compiled build/ folder would then shadow the prebuilt binary the app ships with.
    const packageDir = dirname(require.resolve('better-sqlite3/package.json'));
    expect(
      existsSync(join(packageDir, 'build')),
      'a compiled build/ shadows the prebuilt binary: npm ci',
    ).toBe(false);
    expect(existsSync(join(packageDir, 'prebuilds', `${process.platform}-${process.arch}.node`))).toBe(true);
    const db = new Database(':memory:');
    try {
      expect(db.prepare('select sqlite_version() as v').get()).toMatchObject({ v: expect.any(String) });
    } finally {
      db.close();
    }
  });
});
