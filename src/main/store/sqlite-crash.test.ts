import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { SqliteTokenStore } from './sqlite-token-store';
import { tempDir, testProtector } from './test-support/temp-store';

const WRITER = fileURLToPath(new URL('./test-support/crash-writer.ts', import.meta.url));
const PASSPHRASE = 'crash test passphrase';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** Runs the writer and SIGKILLs it once `killAfter` saves have been reported; resolves with what it reported. */
function burstAndKill(path: string, killAfter: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER], {
      env: { ...process.env, TOKENDESK_TEST_DB: path, TOKENDESK_TEST_PASSPHRASE: PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const reported = new Map<string, number>();
    let buffered = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^saved (\d+) (\d+)$/.exec(line);
        if (match) reported.set(match[1]!, Number(match[2]));
      }
      if (reported.size >= killAfter && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(reported);
      else reject(new Error(`writer exited without being killed: ${stderr}`));
    });
  });
}

it('a writer killed mid-burst leaves an intact database with every reported save readable', async () => {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const path = join(dir, 'crash.db');

  const reported = await burstAndKill(path, 300);
  expect(reported.size).toBeGreaterThanOrEqual(300);

  const store = await SqliteTokenStore.open({ path, protector: testProtector(PASSPHRASE) });
  cleanups.push(() => store.close());
  expect(store.database.pragma('integrity_check', { simple: true })).toBe('ok');
  for (const [id, n] of reported) {
    const token = await store.findTokenById(id);
    expect(token, `token ${id}`).not.toBeNull();
    expect(token).toMatchObject({ userName: `crash${n}@example.com`, refreshToken: `1000.crashrefresh${n}` });
  }
  // Nothing half-written: every row present decrypts.
  expect((await store.listEntries()).every((e) => e.ok)).toBe(true);
  // And the store keeps working after the crash.
  await store.saveToken({ ...(await store.findTokenById('1'))!, lastError: 'after crash' });
});
