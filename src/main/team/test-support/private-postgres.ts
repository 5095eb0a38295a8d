import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PG_LIB = '/usr/lib/postgresql';

/**
 * A PostgreSQL server of the test's own (initdb in a temp folder, a free loopback port), for tests that
 * restart or stop the server: doing that to the shared test server would break every other test using
 * it. Uses Debian's PostgreSQL binaries (what `.ci/run` installs); as root, runs them as the `postgres`
 * user, since PostgreSQL refuses to run as root.
 */
export interface PrivatePostgres {
  readonly url: string;
  /** `pg_ctl restart -m fast`: active connections are cut, the server is back on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export type PrivatePostgresResult =
  | { readonly available: true; readonly server: PrivatePostgres }
  | { readonly available: false; readonly reason: string };

export async function startPrivatePostgres(): Promise<PrivatePostgresResult> {
  const version = existsSync(PG_LIB)
    ? readdirSync(PG_LIB)
        .filter((v) => existsSync(join(PG_LIB, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))[0]
    : undefined;
  if (!version) return { available: false, reason: `no PostgreSQL server binaries under ${PG_LIB}` };
  const bin = join(PG_LIB, version, 'bin');
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | null = null;
  if (asRoot) {
    try {
      const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
      const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
      owner = { uid, gid };
    } catch {
      return {
        available: false,
        reason: 'running as root and there is no postgres user to run the server as',
      };
    }
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const port = await freePort();
  const ctl = (args: string[]) => pg('pg_ctl', ['-D', data, '-w', '-t', '60', ...args]);
  try {
    await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'tokendesk', '--no-sync', '-E', 'UTF8']);
    await ctl([
      '-l',
      join(dir, 'server.log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return {
      available: false,
      reason: `could not start a private PostgreSQL ${version}: ${(error as Error).message}`,
    };
  }
  return {
    available: true,
    server: {
      url: `postgres://tokendesk@127.0.0.1:${port}/postgres`,
      restart: async () => {
        await ctl(['-l', join(dir, 'server.log'), '-m', 'fast', 'restart']);
      },
      stop: async () => {
        await ctl(['-m', 'immediate', 'stop']).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
