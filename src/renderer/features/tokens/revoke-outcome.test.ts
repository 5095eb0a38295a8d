import { describe, expect, it } from 'vitest';
import { blankTokenView } from '../../../shared/ipc/test-support/token-views';
import {
  describeDeleteResult,
  describeGrantResult,
  describeLocalDeleteAfterFailedRevoke,
  describeSourceRevoke,
  revokeFailureHint,
  revokeOutcomeLabel,
  revokeReason,
  sortOutcomes,
} from './revoke-outcome';

const failed = { state: 'failed' as const, code: 'NETWORK', message: 'Could not reach accounts.zoho.eu.' };

describe('describeDeleteResult', () => {
  it('only says revoked when Zoho confirmed it', () => {
    expect(describeDeleteResult({ id: 'a', revoke: { state: 'revoked' }, deleted: true }).title).toBe(
      'Revoked at Zoho and deleted',
    );
    const skipped = describeDeleteResult({ id: 'a', revoke: { state: 'skipped' }, deleted: true });
    expect(skipped.title).toMatch(/not revoked at Zoho/);
    const local = describeDeleteResult({ id: 'a', revoke: failed, deleted: true });
    expect(local.tone).toBe('error');
    expect(local.title).toMatch(/NOT revoked/);
    expect(local.detail).toContain('Could not reach accounts.zoho.eu.');
    const kept = describeDeleteResult({ id: 'a', revoke: failed, deleted: false });
    expect(kept.title).toMatch(/nothing was deleted/);
  });
  it('says "refused" only when Zoho answered', () => {
    // `failed` is a NETWORK failure: Zoho never saw the request.
    for (const deleted of [true, false]) {
      const said = describeDeleteResult({ id: 'a', revoke: failed, deleted });
      expect(said.detail).toContain('Zoho did not answer the revoke: Could not reach accounts.zoho.eu.');
      expect(said.detail).not.toMatch(/refused/);
    }
    const timedOut = { state: 'failed' as const, code: 'timeout', message: 'No answer in 30 s.' };
    expect(
      describeLocalDeleteAfterFailedRevoke({ id: 'a', revoke: { state: 'skipped' }, deleted: true }, timedOut)
        .detail,
    ).toContain('Zoho did not answer the revoke (No answer in 30 s)');
    const refused = { state: 'failed' as const, code: 'INVALID_TOKEN', message: 'Zoho rejected it.' };
    expect(describeDeleteResult({ id: 'a', revoke: refused, deleted: false }).detail).toBe(
      'Zoho refused the revoke: Zoho rejected it.',
    );
  });
});

describe('describeSourceRevoke', () => {
  const from = 'FileStore sdk_tokens.txt';
  it('says revoked and deleted only when both happened', () => {
    expect(
      describeSourceRevoke('a@example.com', from, {
        id: '1',
        revoke: { state: 'revoked' },
        deleted: true,
        deletedFrom: from,
      }),
    ).toEqual({ tone: 'ok', text: `a@example.com: revoked at Zoho and deleted from ${from}.` });
    // Revoked, but the row could not be deleted: still there, and said so.
    const notDeleted = describeSourceRevoke('a@example.com', from, {
      id: '1',
      revoke: { state: 'revoked' },
      deleted: false,
      deleteError: 'the file is read-only',
      deletedFrom: from,
    });
    expect(notDeleted.tone).toBe('danger');
    expect(notDeleted.text).toContain(`Revoked at Zoho, but not deleted from ${from}`);
    expect(notDeleted.text).toContain('the file is read-only');
    // Zoho no longer knew it: nothing was revoked now, and the text does not claim it.
    const dead = describeSourceRevoke('a@example.com', from, {
      id: '1',
      revoke: { state: 'already-dead' },
      deleted: true,
      deletedFrom: from,
    });
    expect(dead.text).toContain('Access already cut at Zoho and deleted from');
    expect(dead.text).not.toContain('revoked at Zoho and deleted');
    // The revoke failed: kept, in the danger tone.
    const kept = describeSourceRevoke('a@example.com', from, { id: '1', revoke: failed, deleted: false });
    expect(kept).toMatchObject({ tone: 'danger', text: expect.stringContaining('nothing was deleted') });
  });
});

describe('describeDeleteResult for a token source', () => {
  it('names the source the row was deleted from, never "TokenDesk" or "locally"', () => {
    const from = 'FileStore sdk_tokens.txt';
    const revoked = describeDeleteResult({
      id: 'a',
      revoke: { state: 'revoked' },
      deleted: true,
      deletedFrom: from,
    });
    expect(revoked.title).toBe('Revoked at Zoho and deleted from FileStore sdk_tokens.txt');
    expect(revoked.detail).toBe(
      'Zoho confirmed the revoke; the token is gone from FileStore sdk_tokens.txt.',
    );
    const skipped = describeDeleteResult({
      id: 'a',
      revoke: { state: 'skipped' },
      deleted: true,
      deletedFrom: from,
    });
    expect(skipped.title).toBe('Deleted from FileStore sdk_tokens.txt (not revoked at Zoho)');
    const notDeleted = describeDeleteResult({
      id: 'a',
      revoke: { state: 'already-dead' },
      deleted: false,
      deleteError: 'the file is read-only',
      deletedFrom: from,
    });
    expect(notDeleted.title).toBe(
      'Access already cut at Zoho, but not deleted from FileStore sdk_tokens.txt',
    );
    for (const said of [revoked, skipped, notDeleted]) {
      expect(`${said.title} ${said.detail}`).not.toMatch(/TokenDesk|locally|this computer|\bhere\b/);
    }
    // This computer's store keeps its words.
    expect(describeDeleteResult({ id: 'a', revoke: { state: 'revoked' }, deleted: true }).detail).toBe(
      'Zoho confirmed the revoke; the token is gone from TokenDesk.',
    );
  });
});

describe('revokeFailureHint / sortOutcomes', () => {
  it('gives revoke-specific advice', () => {
    expect(revokeFailureHint(failed)).toMatch(/revoke it in Zoho later/);
    expect(revokeFailureHint({ state: 'failed', code: 'invalid_token', message: '' })).toMatch(
      /Connected Apps/,
    );
    expect(revokeFailureHint({ state: 'revoked' })).toBeNull();
  });
  it('puts failures first', () => {
    const list = [
      { id: '1', revoke: { state: 'revoked' as const } },
      { id: '2', revoke: failed },
      { id: '3', revoke: { state: 'skipped' as const } },
    ];
    expect(sortOutcomes(list).map((r) => r.id)).toEqual(['2', '3', '1']);
  });
});

describe('describeLocalDeleteAfterFailedRevoke', () => {
  const refused = {
    state: 'failed' as const,
    code: 'SERVER_ERROR',
    message: 'Revoke failed: Zoho answered with a server error.',
  };
  it('says the token was deleted here only, that Zoho refused, and was not asked again', () => {
    // "Delete locally anyway" sends revoke: false, so main reports the revoke as skipped.
    const said = describeLocalDeleteAfterFailedRevoke(
      { id: 'a', revoke: { state: 'skipped' }, deleted: true },
      refused,
    );
    expect(said.tone).toBe('error');
    expect(said.title).toBe('Deleted from TokenDesk only; NOT revoked at Zoho');
    expect(said.detail).toContain('Zoho refused the revoke (Zoho answered with a server error)');
    expect(said.detail).toContain('not asked again');
    expect(said.detail).not.toContain('Revoke failed:');
  });
  it('never reports less than happened', () => {
    expect(
      describeLocalDeleteAfterFailedRevoke({ id: 'a', revoke: { state: 'revoked' }, deleted: true }, refused)
        .title,
    ).toBe('Revoked at Zoho and deleted');
    expect(
      describeLocalDeleteAfterFailedRevoke({ id: 'a', revoke: { state: 'skipped' }, deleted: false }, refused)
        .title,
    ).toMatch(/Not deleted/);
  });
  it("revokeReason drops main's lead-in and the final full stop, falling back to the code", () => {
    expect(revokeReason(refused)).toBe('Zoho answered with a server error');
    expect(revokeReason({ state: 'failed', code: 'NETWORK', message: '' })).toBe('NETWORK');
  });
});

describe('outcomes under failure', () => {
  it('a token Zoho no longer knows: access already cut, never "refused"', () => {
    const said = describeDeleteResult({ id: 'a', revoke: { state: 'already-dead' }, deleted: true });
    expect(said).toMatchObject({ tone: 'success', title: 'Access already cut at Zoho and deleted' });
    expect(said.detail).not.toMatch(/refused|may still work/);
    expect(revokeOutcomeLabel({ state: 'already-dead' })).toBe('Access already cut at Zoho');
  });

  it('a row deleted while its revoke failed: the revoke is said to be pending, not done', () => {
    const said = describeDeleteResult({ id: 'a', revoke: failed, deleted: true, pendingRevoke: true });
    expect(said.title).toBe('Deleted here; the revoke at Zoho is still pending');
    expect(said.detail).toMatch(/retries the revoke until Zoho confirms/);
  });

  it('revoked at Zoho but the row delete failed: both halves, with the reason', () => {
    const said = describeDeleteResult({
      id: 'a',
      revoke: { state: 'revoked' },
      deleted: false,
      deleteError: 'disk full',
    });
    expect(said).toMatchObject({ tone: 'error', title: 'Revoked at Zoho, but not deleted here' });
    expect(said.detail).toContain('could not be deleted: disk full');
  });

  it('a failed audit write is added after the outcome, never instead of it', () => {
    const said = describeDeleteResult({
      id: 'a',
      revoke: { state: 'revoked' },
      deleted: true,
      warnings: [
        'the audit entry could not be written: disk full (it is kept and written once the database accepts it)',
      ],
    });
    expect(said.title).toBe('Revoked at Zoho and deleted');
    expect(said.detail).toMatch(/gone from TokenDesk\. But: The audit entry could not be written: disk full/);
  });

  it('a sign-in that replaced a token says what Zoho answered the old token’s revoke', () => {
    const view = blankTokenView({ id: '1', userName: 'a@example.com', dataCenter: null, environment: null });
    expect(describeGrantResult({ ...view, replaced: null }, 'Added')).toEqual({
      tone: 'success',
      title: 'Added a@example.com',
      detail: undefined,
    });
    const revoked = describeGrantResult(
      { ...view, replaced: { revoke: { state: 'revoked' }, pendingRevoke: false } },
      'Added',
    );
    expect(revoked.detail).toMatch(/old refresh token was revoked at Zoho/);
    const pending = describeGrantResult(
      { ...view, replaced: { revoke: failed, pendingRevoke: true } },
      'Added',
    );
    expect(pending.tone).toBe('error');
    expect(pending.detail).toMatch(/NOT revoked: Could not reach accounts\.zoho\.eu.*retries the revoke/);
  });
});
