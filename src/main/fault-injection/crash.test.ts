/**
 * SIGKILL mid-operation (the fault-injection tier, with outcomes.test.ts): a child process runs the
 * operation against the parent's simulator, which holds the revoke request; the parent kills the child
 * while it waits, reopens the store and checks that every refresh token Zoho would still honour is held
 * by a row or a pending revoke, and that the next run finishes the revoke.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { emptyToken } from '../store/oauth-token';
import { SqlitePendingRevokeStore } from '../tokens/pending-revoke-store';
import { PENDING_RETRY_FIRST_MS } from '../tokens/pending-revokes';
import { type ServiceHarness, startServiceHarness } from '../tokens/test-support/service-harness';
import { ScenarioCounter } from './fault-kit';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const PASSPHRASE = 'correct horse battery staple'; // the harness's test protector
const US = 'admin@demo-us.example.com';

const scenarios = new ScenarioCounter();
let h: ServiceHarness;
beforeEach(async () => {
  h = await startServiceHarness();
});
afterEach(async () => {
  h.sim.releaseHeld();
  await h.close();
});
afterAll(() => {
  console.log(`fault-injection: ${scenarios.count} scenarios (SIGKILL)`);
});

/** Runs the child and SIGKILLs it once the simulator holds its revoke request. */
function runAndKillDuringRevoke(input: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        TOKENDESK_TEST_DB: h.path,
        TOKENDESK_TEST_PASSPHRASE: PASSPHRASE,
        CRASH_INPUT: JSON.stringify({ ...input, dataCenters: h.sim.dataCenters }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const poll = setInterval(() => {
      if (h.sim.heldRequests > 0 && child.exitCode === null) child.kill('SIGKILL');
    }, 10);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the child was not killed mid-revoke: ${output}`));
    });
  });
}

async function expectEveryLiveTokenHeld(): Promise<void> {
  for (const refreshToken of h.sim.activeRefreshTokens()) {
    const inRow = (await h.store.findToken(emptyToken({ refreshToken }))) !== null;
    expect(inRow || h.service.holdsPendingRevoke(refreshToken), 'a live refresh token is held').toBe(true);
  }
}

it('killed while revoking the token a new sign-in replaced: the old token waits on disk, and is revoked later', async () => {
  scenarios.add('sign-in-again');
  const first = await h.service.saveGranted(await h.grant(US));
  const old = (await h.store.findTokenById(first.id))!.refreshToken!;
  const granted = await h.grant(US);
  h.sim.injectFault({ kind: 'revoke', fault: 'hold' });
  await runAndKillDuringRevoke({ operation: 'sign-in-again', granted });
  h.sim.clearFaults();
  // The child's write is on disk: the row holds the new token, the old one waits as a pending revoke.
  expect((await h.store.findTokenById(first.id))?.refreshToken).toBe(granted.token.refreshToken);
  expect(h.sim.isRefreshTokenActive(old)).toBe(true);
  await expectEveryLiveTokenHeld();
  expect(h.service.listPendingRevokes()).toMatchObject([
    { reason: 'replaced by a new sign-in', attempts: 0 },
  ]);
  // The next run (here, the parent's service on the same file) retries it when due.
  h.clock.advance(PENDING_RETRY_FIRST_MS);
  await h.service.retryDuePendingRevokes();
  expect(h.sim.isRefreshTokenActive(old)).toBe(false);
  expect(h.service.listPendingRevokes()).toEqual([]);
});

it('killed while revoking a token being deleted: the row, and so the token, is still there', async () => {
  scenarios.add('delete-anyway');
  const token = await h.stored(US);
  h.sim.injectFault({ kind: 'revoke', fault: 'hold' });
  await runAndKillDuringRevoke({ operation: 'delete-anyway', tokenId: token.id });
  h.sim.clearFaults();
  expect(await h.store.findTokenById(token.id!)).not.toBeNull();
  await expectEveryLiveTokenHeld();
});

it('a record left by a crash before the save (its token still in a row) is dropped, never revoked', async () => {
  scenarios.add('stale-pending-record');
  const token = await h.stored(US);
  // What a kill between keeping the record and saving the replacement leaves behind.
  new SqlitePendingRevokeStore(h.store).add({
    tokenId: token.id,
    userName: token.userName,
    clientId: token.clientId,
    dataCenter: token.dataCenter,
    environment: token.environment,
    apiDomain: token.apiDomain,
    reason: 'replaced by a new sign-in',
    createdAt: h.clock.now(),
    attempts: 0,
    lastAttemptAt: null,
    nextAttemptAt: null,
    lastError: null,
    refreshToken: token.refreshToken,
    clientSecret: token.clientSecret,
  });
  await h.service.retryDuePendingRevokes();
  expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
  expect(h.service.listPendingRevokes()).toEqual([]);
  expect(h.sim.stats.revokeRequests).toBe(0);
});
