import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditOutcomeShown } from '../../shared/audit-outcome';
import { type ServiceHarness, startServiceHarness } from './test-support/service-harness';

let h: ServiceHarness;
beforeEach(async () => {
  h = await startServiceHarness();
});
afterEach(async () => {
  await h.close();
});

const clearRow = () => h.audit.list({ action: 'clear' })[0];
const deleteRow = (tokenId: string) => h.audit.list({ action: 'delete', tokenId })[0];

describe('the audit row of a Clear all says what happened', () => {
  it('every token revoked and deleted reads as a success, in words', async () => {
    const tokens = [
      await h.stored('a@example.com'),
      await h.stored('b@example.com'),
      await h.stored('c@example.com'),
    ];
    const result = await h.service.clearAll({ revoke: true, expectedCount: 3, deleteIfRevokeFails: false });
    expect(result.deletedCount).toBe(3);
    for (const t of tokens) expect(h.sim.isRefreshTokenActive(t.refreshToken!)).toBe(false);
    expect(await h.service.list()).toHaveLength(0);
    expect(clearRow()).toMatchObject({
      outcome: 'success',
      detail:
        'Clear all: all 3 tokens revoked at Zoho (or already cut there) and deleted from this computer.',
    });
  });

  it('3 of 3 deleted while one revoke failed is "partly done", naming the pending revoke', async () => {
    const tokens = [
      await h.stored('a@example.com'),
      await h.stored('b@example.com'),
      await h.stored('c@example.com'),
    ];
    h.sim.injectFault({ kind: 'revoke', fault: '5xx', times: 1 });
    const result = await h.service.clearAll({ revoke: true, expectedCount: 3, deleteIfRevokeFails: true });
    expect(result.deletedCount).toBe(3);
    expect(tokens.filter((t) => h.sim.isRefreshTokenActive(t.refreshToken!))).toHaveLength(1);
    expect(await h.service.list()).toHaveLength(0);
    expect(clearRow()).toMatchObject({
      outcome: 'partial',
      detail:
        'Clear all, partly done: 3 of 3 tokens deleted from this computer; 1 deleted although Zoho did not revoke it (1 kept as pending revokes and retried).',
    });
    // The console's badge reads "Partly done", not a bare "Failed".
    expect(auditOutcomeShown(clearRow()!)).toBe('partly-done');
  });

  it('a kept token is named as kept, with the way to retry', async () => {
    await h.stored('a@example.com');
    await h.stored('b@example.com');
    h.sim.injectFault({ kind: 'revoke', fault: '5xx', times: 1 });
    await h.service.clearAll({ revoke: true, expectedCount: 2, deleteIfRevokeFails: false });
    expect(await h.service.list()).toHaveLength(1);
    expect(clearRow()).toMatchObject({
      outcome: 'partial',
      detail:
        'Clear all, partly done: 1 of 2 tokens deleted from this computer; 1 kept because Zoho did not revoke it (retry from the token list).',
    });
  });

  it('without revoking, says the tokens were not revoked, as chosen', async () => {
    const token = await h.stored('a@example.com');
    await h.stored('b@example.com');
    await h.service.clearAll({ revoke: false, expectedCount: 2, deleteIfRevokeFails: false });
    expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
    expect(clearRow()).toMatchObject({
      outcome: 'success',
      detail: 'Clear all: all 2 tokens deleted from this computer, not revoked at Zoho, as chosen.',
    });
  });
});

describe('the audit row of a single delete says what happened', () => {
  it('a local-only delete says the token still works at Zoho, never "revoke: skipped"', async () => {
    const token = await h.stored('a@example.com');
    await h.service.delete(token.id!, { revoke: false, deleteIfRevokeFails: false });
    expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
    expect(await h.store.findTokenById(token.id!)).toBeNull();
    const row = deleteRow(token.id!);
    expect(row?.outcome).toBe('success');
    expect(row?.detail).toBe(
      'Deleted from this computer only; not revoked at Zoho, as chosen: the refresh token keeps working there until it is revoked.',
    );
  });

  it('a refused revoke then a delete anyway is "partly done", with what Zoho said and the pending revoke', async () => {
    const token = await h.stored('a@example.com');
    h.sim.injectFault({ kind: 'revoke', fault: '5xx', times: 1 });
    const result = await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: true });
    expect(result).toMatchObject({ deleted: true, pendingRevoke: true, revoke: { state: 'failed' } });
    expect(h.sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
    const row = deleteRow(token.id!);
    expect(row?.outcome).toBe('partial');
    expect(row?.detail).toMatch(
      /^Partly done: deleted from this computer, but Zoho did not revoke it \(Zoho did not confirm/,
    );
    expect(row?.detail).toContain('kept as a pending revoke and retried');
    expect(row?.detail).not.toContain('skipped');
    expect(auditOutcomeShown(row!)).toBe('partly-done');
  });

  it('a revoke and delete that both worked reads plainly', async () => {
    const token = await h.stored('a@example.com');
    await h.service.delete(token.id!, { revoke: true, deleteIfRevokeFails: false });
    expect(deleteRow(token.id!)).toMatchObject({
      outcome: 'success',
      detail: 'Revoked at Zoho and deleted from this computer.',
    });
  });
});
