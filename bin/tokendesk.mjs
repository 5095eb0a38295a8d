#!/usr/bin/env node
// The `tokendesk` command. It runs the CLI's TypeScript source (src/main/cli/main.ts) through tsx, on the
// project's pinned Node 22 (the `node` package): better-sqlite3 13 does not load on older Node, so when
// this launcher finds itself on one, it runs itself again on the pinned binary.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..');

if (Number(process.versions.node.split('.')[0]) < 22) {
  const require = createRequire(import.meta.url);
  let pinned = null;
  try {
    const bin = join(dirname(require.resolve('node/package.json')), 'bin');
    pinned = [join(bin, 'node'), join(bin, 'node.exe')].find((p) => existsSync(p)) ?? null;
  } catch {
    pinned = null;
  }
  if (!pinned) {
    process.stderr.write(
      'tokendesk: needs Node 22 or newer; run npm install in the TokenDesk folder first.\n',
    );
    process.exit(2);
  }
  const run = spawnSync(pinned, [self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const { register } = await import('tsx/esm/api');
register({ tsconfig: join(root, 'tsconfig.node.json') });
await import(pathToFileURL(join(root, 'src/main/cli/main.ts')).href);
