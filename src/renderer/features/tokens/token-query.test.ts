import { describe, expect, it } from 'vitest';
import { blankTokenView } from '../../../shared/ipc/test-support/token-views';
import type { TokenView } from '../../../shared/ipc/views';
import {
  countByStatus,
  EMPTY_QUERY,
  filterTokens,
  isClearConfirmation,
  nextRowIndex,
  sortTokens,
} from './token-query';

const token = blankTokenView;

const rows: TokenView[] = [
  token({
    id: 'a',
    userName: 'ana@acme.com',
    clientId: '1000.AAA',
    status: 'valid',
    dataCenter: 'US',
    expiresAt: 300,
  }),
  token({
    id: 'b',
    userName: 'bob@acme.eu',
    clientId: '1000.BBB',
    status: 'reauth',
    dataCenter: 'EU',
    expiresAt: 100,
  }),
  token({
    id: 'c',
    userName: null,
    clientId: '1000.CCC',
    status: 'unreadable',
    dataCenter: null,
    expiresAt: null,
  }),
  token({
    id: 'd',
    userName: 'Dee@Acme.com',
    clientId: '1000.DDD',
    status: 'expired',
    dataCenter: 'US',
    expiresAt: 200,
  }),
];
const ids = (list: TokenView[]) => list.map((t) => t.id);

describe('filterTokens', () => {
  it('searches user and client id case-insensitively', () => {
    expect(ids(filterTokens(rows, { search: 'DEE', status: 'all', dataCenter: 'all' }))).toEqual(['d']);
    expect(ids(filterTokens(rows, { search: '1000.c', status: 'all', dataCenter: 'all' }))).toEqual(['c']);
    expect(ids(filterTokens(rows, { search: '  ', status: 'all', dataCenter: 'all' }))).toHaveLength(4);
  });
  it('searches the client name, label, note and organisation, composed like stored text', () => {
    const named = [
      token({ id: 'n1', clientName: 'Website forms integration' }),
      token({ id: 'n2', label: 'Leaver 2026-11' }),
      token({ id: 'n3', note: 'Owned by the caf\u00e9 team' }),
      token({ id: 'n4', orgName: 'Zylker Corp' }),
      token({ id: 'n5' }),
    ];
    const ids = (search: string) => filterTokens(named, { ...EMPTY_QUERY, search }).map((t) => t.id);
    expect(ids('website')).toEqual(['n1']);
    expect(ids('LEAVER 2026')).toEqual(['n2']);
    // "é" typed as e + combining accent finds the composed form main stored.
    expect(ids('cafe\u0301')).toEqual(['n3']);
    expect(ids('zylker')).toEqual(['n4']);
    expect(ids('nothing like it')).toEqual([]);
  });

  it('filters by status, "needs attention" and data center', () => {
    expect(ids(filterTokens(rows, { search: '', status: 'reauth', dataCenter: 'all' }))).toEqual(['b']);
    expect(ids(filterTokens(rows, { search: '', status: 'attention', dataCenter: 'all' }))).toEqual([
      'b',
      'c',
      'd',
    ]);
    expect(ids(filterTokens(rows, { search: '', status: 'all', dataCenter: 'US' }))).toEqual(['a', 'd']);
    expect(ids(filterTokens(rows, { search: 'acme', status: 'attention', dataCenter: 'US' }))).toEqual(['d']);
  });
});

describe('sortTokens', () => {
  it('puts the most urgent status first ascending', () => {
    expect(ids(sortTokens(rows, { key: 'status', desc: false }))).toEqual(['c', 'b', 'd', 'a']);
  });
  it('keeps missing values last in both directions', () => {
    expect(ids(sortTokens(rows, { key: 'expiresAt', desc: false }))).toEqual(['b', 'd', 'a', 'c']);
    expect(ids(sortTokens(rows, { key: 'expiresAt', desc: true }))).toEqual(['a', 'd', 'b', 'c']);
    expect(ids(sortTokens(rows, { key: 'user', desc: false }))).toEqual(['a', 'b', 'd', 'c']);
  });
  it('is stable and does not mutate its input', () => {
    const same = [token({ id: 'x', status: 'valid' }), token({ id: 'y', status: 'valid' })];
    expect(ids(sortTokens(same, { key: 'status', desc: true }))).toEqual(['x', 'y']);
    expect(ids(sortTokens(rows, null))).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(rows)).toEqual(['a', 'b', 'c', 'd']);
  });
  it('sorts failed tests before passed ones', () => {
    const tested = [
      token({ id: 'ok', lastTest: { at: 5, ok: true } as TokenView['lastTest'] }),
      token({ id: 'none' }),
      token({ id: 'bad', lastTest: { at: 9, ok: false } as TokenView['lastTest'] }),
    ];
    expect(ids(sortTokens(tested, { key: 'lastTest', desc: false }))).toEqual(['bad', 'ok', 'none']);
  });
});

describe('countByStatus', () => {
  it('counts every status', () => {
    expect(countByStatus(rows)).toEqual({
      valid: 1,
      expiring: 0,
      expired: 1,
      reauth: 1,
      unreadable: 1,
      'demo-ended': 0,
    });
  });
});

describe('nextRowIndex', () => {
  it('moves and clamps', () => {
    expect(nextRowIndex('ArrowDown', 0, 3, 10)).toBe(1);
    expect(nextRowIndex('ArrowDown', 2, 3, 10)).toBe(2);
    expect(nextRowIndex('ArrowUp', 0, 3, 10)).toBe(0);
    expect(nextRowIndex('PageDown', 0, 100, 10)).toBe(10);
    expect(nextRowIndex('End', 0, 100, 10)).toBe(99);
    expect(nextRowIndex('Home', 50, 100, 10)).toBe(0);
    expect(nextRowIndex('a', 0, 3, 10)).toBeNull();
    expect(nextRowIndex('ArrowDown', 0, 0, 10)).toBeNull();
  });
});

describe('isClearConfirmation', () => {
  it('accepts the count or "delete N tokens"', () => {
    expect(isClearConfirmation('12', 12)).toBe(true);
    expect(isClearConfirmation('  Delete  12 tokens ', 12)).toBe(true);
    expect(isClearConfirmation('delete 1 token', 1)).toBe(true);
    expect(isClearConfirmation('11', 12)).toBe(false);
    expect(isClearConfirmation('delete tokens', 12)).toBe(false);
    expect(isClearConfirmation('', 0)).toBe(false);
  });
});
