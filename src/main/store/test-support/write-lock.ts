import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./write-lock-child.ts', import.meta.url));

export interface HeldWriteLock {
  readonly pid: number;
  /** Lets the other process go; resolves once it has rolled back and exited. */
  release(): Promise<void>;
}

/**
 * Starts a second, real process that holds the write lock of the SQLite file at `path` (BEGIN IMMEDIATE)
 * and resolves once it holds it. For tests and the benchmark: SQLite's locks are per process and file,
 * so only another process shows what the app does while an SDK app or the sqlite3 shell writes.
 */
export function holdWriteLock(path: string): Promise<HeldWriteLock> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, TOKENDESK_LOCK_DB: path },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
    });
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.startsWith('locked\n')) {
        resolve({
          pid: child.pid ?? -1,
          release: async () => {
            if (child.exitCode === null) child.stdin.end('release\n');
            await exited;
          },
        });
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!out.startsWith('locked\n')) reject(new Error(`lock holder exited (${code}) first: ${err}`));
    });
  });
}
