/**
 * The fault-injection tier: every token operation (sign-in, re-authorise, delete, clear all, copy) under
 * a full disk, a database locked by another process, and dropped or 5xx answers from Zoho (the simulator)
 * at each step. Each scenario asserts what the user is told against what is true at Zoho and on disk, and
 * after each one, that every refresh token Zoho would still honour is held by a token row or a pending
 * revoke, and that the database file and its WAL hold none of them in plaintext. SIGKILL scenarios are
 * in crash.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_SELF_CLIENT } from '../../../sim';
import type { FaultType } from '../../../sim/types';
import { exchangeSelfClientCode } from '../oauth';
import { emptyToken } from '../store/oauth-token';
import { PENDING_RETRY_FIRST_MS } from '../tokens/pending-revokes';
import { SCOPES, type ServiceHarness, startServiceHarness } from '../tokens/test-support/service-harness';
import { keepingUnrevokedTokens } from '../tokens/unfinished-sign-in';
import { zohoPort } from '../zoho';
import { ALL_TABLES, type FaultTable, holdWriteLock, injectDiskFull, ScenarioCounter } from './fault-kit';

const US = 'admin@demo-us.example.com';
const OTHER = 'someone-else@example.com';
const ZOHO_FAULTS: readonly Extract<FaultType, 'drop' | '5xx'>[] = ['drop', '5xx'];

const scenarios = new ScenarioCounter();
let h: ServiceHarness;
const restores: (() => unknown)[] = [];

beforeEach(async () => {
  h = await startServiceHarness();
});

afterEach(async () => {
  for (const restore of restores.splice(0).reverse()) await restore();
  h.sim.clearFaults();
  await expectNothingLiveUnheld();
  expectNoPlaintextOnDisk();
  await h.close();
});

afterAll(() => {
  console.log(`fault-injection: ${scenarios.count} scenarios (outcomes)`);
});

function scenario(name: string, run: () => Promise<void>): void {
  it(name, async () => {
    scenarios.add(name);
    await run();
  });
}

/** A real full disk for writes to `tables` (fault-kit.ts), undone after the scenario if not before. */
function diskFull(tables: readonly FaultTable[] = ALL_TABLES): () => void {
  let undone = false;
  const restore = injectDiskFull(h.store.database, tables);
  const undo = () => {
    if (undone) return;
    undone = true;
    restore();
  };
  restores.push(undo);
  return undo;
}

async function writeLockHeldElsewhere(): Promise<() => Promise<void>> {
  // The app's own wait for a busy database is not what is under test here: keep it short.
  h.store.database.pragma('busy_timeout = 50');
  const lock = await holdWriteLock(h.path);
  restores.push(() => lock.release());
  return () => lock.release();
}

/** The rule: a refresh token Zoho would still honour is held by a row or by a pending revoke. */
async function expectNothingLiveUnheld(): Promise<void> {
  for (const refreshToken of h.sim.activeRefreshTokens()) {
    const inRow = (await h.store.findToken(emptyToken({ refreshToken }))) !== null;
    const pending = h.service.holdsPendingRevoke(refreshToken);
    expect(inRow || pending, `a live refresh token (${refreshToken.slice(0, 9)}…) is held`).toBe(true);
  }
}

function expectNoPlaintextOnDisk(): void {
  const files = [h.path, `${h.path}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
  const tokens = h.sim.activeRefreshTokens();
  for (const file of files) {
    for (const token of tokens)
      expect(file.includes(token), 'refresh token in plaintext on disk').toBe(false);
    expect(file.includes(DEMO_SELF_CLIENT.clientSecret)).toBe(false);
  }
}

/** A Self Client grant code for `user`, as Zoho's API console makes one. */
function grantCode(user = US): string {
  if (!h.sim.users.some((u) => u.email === user)) {
    h.sim.registerUser({
      email: user,
      fullName: user,
      zuid: `7${h.sim.users.length}`,
      dataCenter: 'US',
      orgName: 'Org',
    });
  }
  return h.sim.issueSelfClientGrantCode({
    clientId: DEMO_SELF_CLIENT.clientId,
    scopes: [...SCOPES],
    userEmail: user,
  }).code;
}

/** A Self Client sign-in through the real flow (code exchange, CurrentUser, save), wired as the app does. */
function signIn(user = US, code?: string) {
  const codeToUse = code ?? grantCode(user);
  // Zoho allows 10 grant codes per 10 minutes per client: each sign-in steps past its share.
  if (code === undefined) h.clock.advance(61_000);
  const target = {
    clientId: DEMO_SELF_CLIENT.clientId,
    clientSecret: DEMO_SELF_CLIENT.clientSecret,
    environment: 'production' as const,
  };
  return h.service.signIn('self-client', () =>
    exchangeSelfClientCode({
      ...target,
      dataCenter: 'US',
      grantCode: codeToUse,
      zoho: keepingUnrevokedTokens(zohoPort(h.clients), h.service, target),
    }),
  );
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  const outcome = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(outcome, 'the operation failed').toBeInstanceOf(Error);
  return outcome as Error & { code?: string };
}

const rowCount = async () => (await h.store.listEntries()).length;
const auditDetails = (action?: Parameters<typeof h.audit.list>[0]) =>
  h.audit.list(action).map((e) => e.detail);

/** Lets the first automatic retry come due, runs it, and checks the token is now dead and let go. */
async function retriesUntilDead(refreshToken: string): Promise<void> {
  h.clock.advance(PENDING_RETRY_FIRST_MS);
  await h.service.retryDuePendingRevokes();
  expect(h.sim.isRefreshTokenActive(refreshToken)).toBe(false);
  expect(h.service.holdsPendingRevoke(refreshToken)).toBe(false);
}

describe('sign-in', () => {
  scenario(
    'the save hits a full disk: the new token is revoked at Zoho and the user is told so',
    async () => {
      const undo = diskFull();
      const error = await failure(signIn());
      expect(error.code).toBe('SAVE_FAILED');
      expect(error.message).toMatch(/could not be saved on this computer: disk full/);
      expect(error.message).toMatch(/revoked at Zoho, so nothing is left live/);
      expect(h.sim.activeRefreshTokens()).toEqual([]);
      undo();
      expect(await rowCount()).toBe(0);
      // The failure's audit entry was queued while the disk was full, and is written with the next one.
      await signIn();
      expect(auditDetails({ action: 'grant' }).some((d) => d.includes('SAVE_FAILED'))).toBe(true);
    },
  );

  for (const fault of ZOHO_FAULTS) {
    scenario(
      `the save hits a full disk and the revoke of the new token is ${fault}: kept in memory, retried`,
      async () => {
        const undo = diskFull();
        h.sim.injectFault({ kind: 'revoke', fault });
        const error = await failure(signIn());
        expect(error.code).toBe('SAVE_FAILED');
        expect(error.message).toMatch(/Revoking it at Zoho failed as well/);
        expect(error.message).toMatch(/in memory/);
        const [live] = h.sim.activeRefreshTokens();
        expect(live).toBeDefined();
        expect(h.service.listPendingRevokes()).toMatchObject([{ onDisk: false, attempts: 1, userName: US }]);
        undo();
        await retriesUntilDead(live!);
        expect(h.service.listPendingRevokes()).toEqual([]);
      },
    );
  }

  scenario('another process holds the write lock: the save fails, the new token is revoked', async () => {
    const release = await writeLockHeldElsewhere();
    const error = await failure(signIn());
    expect(error.code).toBe('SAVE_FAILED');
    expect(error.message).toMatch(/busy/);
    expect(error.message).toMatch(/revoked at Zoho/);
    await release();
    expect(h.sim.activeRefreshTokens()).toEqual([]);
    expect(await rowCount()).toBe(0);
  });

  for (const fault of ZOHO_FAULTS) {
    scenario(`Zoho ${fault} at the code exchange: an error, nothing saved, nothing live`, async () => {
      h.sim.injectFault({ kind: 'code-exchange', fault });
      await failure(signIn());
      expect(await rowCount()).toBe(0);
      expect(h.sim.activeRefreshTokens()).toEqual([]);
    });

    scenario(`Zoho ${fault} at the CurrentUser lookup: an error, the issued token revoked`, async () => {
      h.sim.injectFault({ kind: 'crm', fault });
      const error = await failure(signIn());
      expect(error.message).toMatch(/could not read who it belongs to/);
      expect(await rowCount()).toBe(0);
      // The flow revokes what it was issued but will not return; the revoke is not awaited by the flow.
      await expect.poll(() => h.sim.activeRefreshTokens()).toEqual([]);
    });
  }

  for (const fault of ZOHO_FAULTS) {
    scenario(
      `CurrentUser fails and the flow's revoke of the issued token is ${fault}: a pending revoke, not lost`,
      async () => {
        h.sim.injectFault({ kind: 'crm', fault: '5xx' });
        h.sim.injectFault({ kind: 'revoke', fault });
        const error = await failure(signIn());
        expect(error.message).toMatch(/could not read who it belongs to/);
        // The flow revokes in the background: wait until the pending record is there.
        await expect.poll(() => h.service.listPendingRevokes().length).toBe(1);
        const [live] = h.sim.activeRefreshTokens();
        expect(h.service.listPendingRevokes()).toMatchObject([
          { reason: 'issued to a sign-in that did not finish', attempts: 1 },
        ]);
        expect(auditDetails({ action: 'revoke' })[0]).toMatch(
          /did not finish: Zoho did not confirm its revoke/,
        );
        await retriesUntilDead(live!);
      },
    );
  }

  for (const fault of ZOHO_FAULTS) {
    scenario(
      `signing in again as the same user, the old token's revoke is ${fault}: a pending revoke, reported`,
      async () => {
        const first = await signIn();
        const old = (await h.store.findTokenById(first.id))!.refreshToken!;
        h.sim.injectFault({ kind: 'revoke', fault });
        const second = await signIn();
        expect(second.id).toBe(first.id);
        expect(second.replaced).toMatchObject({ revoke: { state: 'failed' }, pendingRevoke: true });
        if (second.replaced?.revoke.state === 'failed') {
          expect(second.replaced.revoke.message).toMatch(
            fault === 'drop' ? /could not be reached/ : /server error \(HTTP 500\)/,
          );
          expect(second.replaced.revoke.message).toMatch(/refresh token may still work/);
        }
        // True at Zoho: the old token still works; on disk: it waits, sealed, as a pending revoke.
        expect(h.sim.isRefreshTokenActive(old)).toBe(true);
        const [pending] = h.service.listPendingRevokes();
        expect(pending).toMatchObject({ onDisk: true, reason: 'replaced by a new sign-in', attempts: 1 });
        expect(h.store.database.prepare('SELECT COUNT(*) AS n FROM pending_revokes').get()).toEqual({ n: 1 });
        expect(auditDetails({ action: 'grant' })[0]).toMatch(/replaced by a new sign-in/);
        await retriesUntilDead(old);
        expect(auditDetails({ action: 'revoke' })[0]).toMatch(
          /Pending revoke \(replaced by a new sign-in\), attempt 2: Refresh token revoked/,
        );
      },
    );
  }

  scenario(
    'signing in again as the same user with the audit table full: saved, old token revoked, audit queued',
    async () => {
      const first = await signIn();
      const old = (await h.store.findTokenById(first.id))!.refreshToken!;
      const undo = diskFull(['audit_log']);
      const second = await signIn();
      expect(second.replaced).toMatchObject({ revoke: { state: 'revoked' }, pendingRevoke: false });
      expect(second.warnings?.[0]).toMatch(/the audit entry could not be written: disk full/);
      expect(h.sim.isRefreshTokenActive(old)).toBe(false);
      expect(h.service.unwrittenAuditEntries).toBeGreaterThan(0);
      undo();
      await h.service.copyAccessToken(first.id);
      expect(h.service.unwrittenAuditEntries).toBe(0);
      expect(auditDetails({ action: 'revoke' }).some((d) => d.includes('replaced by a new sign-in'))).toBe(
        true,
      );
    },
  );
});

describe('re-authorise', () => {
  const flowFor = (user: string) => async () => await h.grant(user);

  for (const fault of ZOHO_FAULTS) {
    scenario(
      `the revoke of the replaced token is ${fault}: the new token saved, the old one pending`,
      async () => {
        const token = await h.stored(US);
        h.sim.injectFault({ kind: 'revoke', fault });
        const result = await h.service.reauthorise(token.id!, flowFor(US));
        expect(result.replaced).toMatchObject({ revoke: { state: 'failed' }, pendingRevoke: true });
        expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
        expect(h.service.listPendingRevokes()).toMatchObject([{ reason: 'replaced by a re-authorisation' }]);
        await retriesUntilDead(token.refreshToken!);
      },
    );

    scenario(
      `another user signed in and the revoke of their new token is ${fault}: not called revoked`,
      async () => {
        const token = await h.stored(US);
        const before = await h.store.findTokenById(token.id!);
        h.sim.injectFault({ kind: 'revoke', fault });
        const error = await failure(h.service.reauthorise(token.id!, flowFor(OTHER)));
        expect(error.code).toBe('DIFFERENT_USER');
        expect(error.message).not.toMatch(/new token was revoked/);
        expect(error.message).toMatch(/could NOT be revoked/);
        expect(error.message).toMatch(/pending revoke/);
        expect(await h.store.findTokenById(token.id!)).toEqual(before);
        const live = h.sim.activeRefreshTokens().filter((t) => t !== token.refreshToken);
        expect(live).toHaveLength(1);
        expect(h.service.holdsPendingRevoke(live[0]!)).toBe(true);
        await retriesUntilDead(live[0]!);
      },
    );
  }

  scenario(
    'the save hits a full disk: the new token is revoked, the old row and token untouched',
    async () => {
      const token = await h.stored(US);
      const before = await h.store.findTokenById(token.id!);
      diskFull(['tokens']);
      const error = await failure(h.service.reauthorise(token.id!, flowFor(US)));
      expect(error.code).toBe('SAVE_FAILED');
      expect(error.message).toMatch(/disk full.*revoked at Zoho/);
      expect(await h.store.findTokenById(token.id!)).toEqual(before);
      expect(h.sim.activeRefreshTokens()).toEqual([token.refreshToken]);
      expect(h.service.listPendingRevokes()).toEqual([]);
    },
  );

  scenario('the token is deleted while its re-authorisation runs: it does not come back', async () => {
    const token = await h.stored(US);
    let releaseFlow: () => void = () => {};
    const flowStarted = new Promise<void>((started) => {
      releaseFlow = started;
    });
    let letFlowFinish: () => void = () => {};
    const flowMayFinish = new Promise<void>((resolve) => {
      letFlowFinish = resolve;
    });
    const reauth = h.service.reauthorise(token.id!, async () => {
      releaseFlow();
      await flowMayFinish;
      return h.grant(US);
    });
    await flowStarted;
    const deleted = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false });
    expect(deleted).toMatchObject({ deleted: true, revoke: { state: 'revoked' } });
    letFlowFinish();
    const error = await failure(reauth);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/deleted while it was being re-authorised.*new token was revoked at Zoho/);
    expect(await rowCount()).toBe(0);
    expect(h.sim.activeRefreshTokens()).toEqual([]);
  });

  for (const fault of ZOHO_FAULTS) {
    scenario(`Zoho ${fault} during the browser flow's code exchange: nothing changes`, async () => {
      const token = await h.stored(US);
      const before = await h.store.findTokenById(token.id!);
      h.sim.injectFault({ kind: 'code-exchange', fault });
      await failure(h.service.reauthorise(token.id!, flowFor(US)));
      expect(await h.store.findTokenById(token.id!)).toEqual(before);
      expect(h.sim.activeRefreshTokens()).toEqual([token.refreshToken]);
    });
  }
});

describe('delete', () => {
  for (const fault of ZOHO_FAULTS) {
    scenario(`revoke ${fault}, keep on failure: kept and said so; the token still works`, async () => {
      const token = await h.stored(US);
      h.sim.injectFault({ kind: 'revoke', fault });
      const result = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false });
      expect(result).toMatchObject({ deleted: false, revoke: { state: 'failed' }, pendingRevoke: false });
      expect(await h.store.findTokenById(token.id!)).not.toBeNull();
      expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
    });

    scenario(
      `revoke ${fault}, delete anyway: the row goes, the token waits as a pending revoke`,
      async () => {
        const token = await h.stored(US);
        h.sim.injectFault({ kind: 'revoke', fault });
        const result = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: true });
        expect(result).toMatchObject({ deleted: true, revoke: { state: 'failed' }, pendingRevoke: true });
        expect(await h.store.findTokenById(token.id!)).toBeNull();
        expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
        await retriesUntilDead(token.refreshToken!);
      },
    );
  }

  scenario(
    'the audit table is full: revoked and deleted, the audit failure reported and queued',
    async () => {
      const token = await h.stored(US);
      const undo = diskFull(['audit_log']);
      const result = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false });
      expect(result).toMatchObject({ deleted: true, revoke: { state: 'revoked' } });
      expect(result.warnings?.[0]).toMatch(/^the audit entry could not be written: disk full/);
      expect(await h.store.findTokenById(token.id!)).toBeNull();
      expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(false);
      undo();
      // The next audit write flushes the queued entries first, with their own times.
      const other = await h.stored(OTHER);
      await h.service.delete(other.id!, { revoke: true, deleteIfRevokeFails: false });
      expect(h.service.unwrittenAuditEntries).toBe(0);
      const rows = h.audit.list({ tokenId: token.id! });
      expect(rows.map((r) => r.action).sort()).toEqual(['delete', 'revoke']);
    },
  );

  scenario('the notes table is full: deleted, the notes failure reported', async () => {
    const token = await h.stored(US);
    await h.service.testCall(token.id!);
    diskFull(['token_notes']);
    const result = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false });
    expect(result).toMatchObject({ deleted: true, revoke: { state: 'revoked' } });
    expect(result.warnings).toEqual([expect.stringMatching(/notes could not be written: disk full/)]);
  });

  scenario(
    'the row delete hits a full disk: revoked at Zoho, not deleted, and the retry finishes it',
    async () => {
      const token = await h.stored(US);
      const undo = diskFull(['tokens']);
      const result = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false });
      expect(result).toMatchObject({
        deleted: false,
        revoke: { state: 'revoked' },
        deleteError: 'disk full',
      });
      expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(false);
      expect(await h.store.findTokenById(token.id!)).not.toBeNull();
      undo();
      const again = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false });
      expect(again).toMatchObject({ deleted: true, revoke: { state: 'already-dead' } });
      expect(await h.store.findTokenById(token.id!)).toBeNull();
    },
  );

  scenario('another process holds the write lock: revoked at Zoho, the row kept, and said why', async () => {
    const token = await h.stored(US);
    const release = await writeLockHeldElsewhere();
    const result = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false });
    expect(result.deleted).toBe(false);
    expect(result.revoke.state).toBe('revoked');
    expect(result.deleteError).toMatch(/busy/);
    await release();
    expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(false);
  });

  scenario(
    'a token Zoho already considers dead: access already cut, deleted, audited as revoked',
    async () => {
      const token = await h.stored(US);
      await h.clients.accounts.revoke({
        accountsServer: h.sim.dataCenter('US').accountsUrl,
        token: token.refreshToken!,
      });
      const result = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false });
      expect(result).toMatchObject({ deleted: true, revoke: { state: 'already-dead' } });
      expect(await h.store.findTokenById(token.id!)).toBeNull();
      const [revoke] = h.audit.list({ action: 'revoke' });
      expect(revoke).toMatchObject({ outcome: 'success' });
      expect(revoke?.detail).toMatch(/access was already cut at Zoho/);
    },
  );

  scenario(
    'two deletes of the same token at once: one deletes it, the other is told it is gone',
    async () => {
      const token = await h.stored(US);
      const results = await Promise.allSettled([
        h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false }),
        h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false }),
      ]);
      const done = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      expect(done).toHaveLength(1);
      expect((done[0] as PromiseFulfilledResult<{ deleted: boolean }>).value.deleted).toBe(true);
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'NOT_FOUND' });
      expect(h.audit.list({ action: 'delete', outcome: 'failure' })).toEqual([]);
      expect(h.sim.stats.revokeRequests).toBe(1);
    },
  );
});

describe('clear all', () => {
  const three = async () => [
    await h.stored('a@example.com'),
    await h.stored('b@example.com'),
    await h.stored('c@example.com'),
  ];

  for (const fault of ZOHO_FAULTS) {
    scenario(
      `one revoke ${fault}, the default options: that token kept, the rest revoked and deleted`,
      async () => {
        const tokens = await three();
        h.sim.injectFault({ kind: 'revoke', fault });
        const result = await h.service.clearAll({
          revoke: true,
          expectedCount: 3,
          deleteIfRevokeFails: false,
        });
        expect(result).toMatchObject({ deletedCount: 2, revokeFailedCount: 1 });
        const kept = result.results.find((r) => !r.deleted)!;
        expect(kept.revoke.state).toBe('failed');
        expect(await rowCount()).toBe(1);
        const keptToken = tokens.find((t) => t.id === kept.id)!;
        expect(h.sim.activeRefreshTokens()).toEqual([keptToken.refreshToken]);
      },
    );

    scenario(
      `every revoke ${fault}, delete anyway: all rows gone, every token a pending revoke`,
      async () => {
        const tokens = await three();
        h.sim.injectFault({ kind: 'revoke', fault, times: 3 });
        const result = await h.service.clearAll({
          revoke: true,
          expectedCount: 3,
          deleteIfRevokeFails: true,
          concurrency: 1,
        });
        expect(result).toMatchObject({ deletedCount: 3, revokeFailedCount: 3 });
        expect(result.results.every((r) => r.pendingRevoke)).toBe(true);
        expect(h.service.listPendingRevokes()).toHaveLength(3);
        h.clock.advance(PENDING_RETRY_FIRST_MS);
        await h.service.retryDuePendingRevokes();
        for (const t of tokens) expect(h.sim.isRefreshTokenActive(t.refreshToken!)).toBe(false);
        expect(h.service.listPendingRevokes()).toEqual([]);
      },
    );
  }

  scenario(
    'the audit table is full: every token revoked and deleted, the audit failure reported',
    async () => {
      await three();
      diskFull(['audit_log']);
      const result = await h.service.clearAll({ revoke: true, expectedCount: 3, deleteIfRevokeFails: false });
      expect(result).toMatchObject({ deletedCount: 3, revokeFailedCount: 0 });
      expect(result.warnings?.[0]).toMatch(/audit entry could not be written: disk full/);
      expect(await rowCount()).toBe(0);
      expect(h.sim.activeRefreshTokens()).toEqual([]);
    },
  );

  scenario('the disk is full: every token revoked at Zoho, none deleted, each saying why', async () => {
    await three();
    diskFull();
    const result = await h.service.clearAll({ revoke: true, expectedCount: 3, deleteIfRevokeFails: false });
    expect(result.deletedCount).toBe(0);
    expect(result.results.every((r) => r.revoke.state === 'revoked' && r.deleteError === 'disk full')).toBe(
      true,
    );
    expect(await rowCount()).toBe(3);
    expect(h.sim.activeRefreshTokens()).toEqual([]);
  });
});

describe('copy', () => {
  scenario(
    'the audit table is full: the token is on the clipboard, and the audit failure is reported',
    async () => {
      const token = await h.stored(US);
      diskFull(['audit_log']);
      const result = await h.service.copyAccessToken(token.id!);
      expect(result.copied).toBe(true);
      expect(await h.clipboard.readText()).toBe(token.accessToken);
      expect(result.warnings?.[0]).toMatch(/audit entry could not be written: disk full/);
    },
  );
});

describe('pending revokes survive', () => {
  scenario(
    'a passphrase change: the pending token is re-sealed under the new key and still revoked',
    async () => {
      const token = await h.stored(US);
      h.sim.injectFault({ kind: 'revoke', fault: '5xx' });
      await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: true });
      const { testProtector } = await import('../store/test-support/temp-store');
      await h.store.changeProtector(testProtector('a brand new passphrase'));
      expect(h.service.listPendingRevokes()).toMatchObject([
        { refreshTokenPreview: expect.stringMatching(/^1000\./) },
      ]);
      await retriesUntilDead(token.refreshToken!);
    },
  );
});

describe('one account at a time', () => {
  scenario('two sign-ins of the same user at once: one row, and every replaced token revoked', async () => {
    const codes = [grantCode(), grantCode(), grantCode()];
    await Promise.all(codes.map((code) => signIn(US, code)));
    expect(await rowCount()).toBe(1);
    // Only the token in the row still works: each one it replaced was revoked at Zoho.
    const [row] = await h.store.listEntries();
    expect(h.sim.activeRefreshTokens()).toEqual([row?.ok ? row.token.refreshToken : 'unreadable']);
  });
});
