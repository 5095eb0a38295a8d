import { describe, expect, it } from 'vitest';
import type { TokenStatus, TokenView } from '../../../shared/ipc/views';
import type { ListedToken } from '../../api/listed-token';
import { actionBlockedReason, type TokenAction } from './token-actions';

const token = (status: TokenStatus) => ({ status }) as TokenView;
const ALL: TokenAction[] = ['test', 'refresh', 'reauthorise', 'copy', 'delete', 'details'];
const allowed = (status: TokenStatus) => ALL.filter((a) => actionBlockedReason(a, token(status)) === null);

describe('which token actions are offered', () => {
  it('a token Zoho rejected offers no refresh and no copy, and says why', () => {
    expect(allowed('reauth')).toEqual(['test', 'reauthorise', 'delete', 'details']);
    expect(actionBlockedReason('copy', token('reauth'))).toMatch(/Zoho no longer accepts this token/);
  });

  it('an unreadable row offers only delete and details; a live token offers everything', () => {
    expect(allowed('unreadable')).toEqual(['delete', 'details']);
    for (const status of ['valid', 'expiring', 'expired'] as const) expect(allowed(status)).toEqual(ALL);
  });

  it("a read-only team member's row offers test, refresh and details; copy, delete and re-authorise say why not", () => {
    const reason = 'Your membership of this team store is read-only: …';
    const row: ListedToken = { ...token('valid'), sourceId: 'postgres-1', readOnlyReason: reason };
    expect(ALL.filter((a) => actionBlockedReason(a, row) === null)).toEqual(['test', 'refresh', 'details']);
    expect(actionBlockedReason('copy', row)).toBe(reason);
    expect(actionBlockedReason('delete', row)).toBe(reason);
    expect(actionBlockedReason('reauthorise', row)).toBe(reason);
  });
});
