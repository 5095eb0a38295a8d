import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { emptyToken } from './oauth-token';
import { SqliteTokenStore } from './sqlite-token-store';
import { tempDir, testProtector } from './test-support/temp-store';

const WRITER = fileURLToPath(new URL('./test-support/crash-writer.ts', import.meta.url));
const REKEY = fileURLToPath(new URL('./test-support/crash-rekey.ts', import.meta.url));
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

/** Runs the re-key child and SIGKILLs it when it reports it is midway; rejects if it ever finishes. */
function rekeyAndKill(env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', REKEY], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('midway\n') && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`re-key child exited without being killed: ${stdout} ${stderr}`));
    });
  });
}

it('a passphrase change (re-key) killed halfway leaves the old passphrase and key opening every row', async () => {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const path = join(dir, 'rekey.db');
  const rows = 400;
  const seeded = await SqliteTokenStore.open({ path, protector: testProtector('old passphrase') });
  for (let n = 1; n <= rows; n++) {
    await seeded.saveToken(
      emptyToken({ userName: `rekey${n}@example.com`, refreshToken: `1000.rekey${n}`, accessToken: `a${n}` }),
    );
  }
  const before = await seeded.getTokens();
  seeded.close();

  await rekeyAndKill({
    TOKENDESK_TEST_DB: path,
    TOKENDESK_TEST_OLD: 'old passphrase',
    TOKENDESK_TEST_NEW: 'new passphrase',
    TOKENDESK_TEST_STOP_AT: String(rows / 2),
  });
  // The half-done transaction reached the WAL (uncommitted), so recovery had something to discard.
  expect(existsSync(`${path}-wal`) && statSync(`${path}-wal`).size).toBeGreaterThan(0);

  await expect(
    SqliteTokenStore.open({ path, protector: testProtector('new passphrase') }),
  ).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
  const store = await SqliteTokenStore.open({ path, protector: testProtector('old passphrase') });
  cleanups.push(() => store.close());
  expect(store.database.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(await store.getTokens()).toEqual(before);
  expect((await store.listEntries()).every((e) => e.ok)).toBe(true);
});
