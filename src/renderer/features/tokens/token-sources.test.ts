import { describe, expect, it } from 'vitest';
import { blankTokenView } from '../../../shared/ipc/test-support/token-views';
import type { TokenView } from '../../../shared/ipc/views';
import { EMPTY_QUERY, filterTokens, isFiltered, sortTokens } from './token-query';
import { sourceRequest, tokenKey, withSource } from './token-sources';

function token(id: string, userName: string, sourceId?: string): TokenView {
  return blankTokenView({ id, userName, ...(sourceId === undefined ? {} : { sourceId }) });
}

// Token ids overlap across sources: every SDK store numbers its rows from 1.
const local = token('1', 'local@example.com');
const [fileOne, fileTwo] = withSource([token('1', 'zed@example.com'), token('2', 'amy@example.com')], 'fs-a');
const rows = [local, fileOne!, fileTwo!];
const names = (id: string) => ({ local: 'This computer', 'fs-a': 'FileStore sdk_tokens.txt' })[id] ?? id;

describe('tokens of several sources in one table', () => {
  it('keys rows by source and id, so the same id in two sources is two rows', () => {
    expect(rows.map(tokenKey)).toEqual(['1', 'fs-a/1', 'fs-a/2']);
    expect(new Set(rows.map(tokenKey)).size).toBe(3);
  });

  it("sends an action to the row's own source (none for a local row: main's default)", () => {
    expect(sourceRequest(local)).toEqual({});
    expect(sourceRequest(fileOne!)).toEqual({ sourceId: 'fs-a' });
  });

  it('filters by source and counts that as a filter', () => {
    expect(filterTokens(rows, { ...EMPTY_QUERY, source: 'fs-a' }).map(tokenKey)).toEqual([
      'fs-a/1',
      'fs-a/2',
    ]);
    expect(filterTokens(rows, { ...EMPTY_QUERY, source: 'local' }).map(tokenKey)).toEqual(['1']);
    expect(filterTokens(rows, EMPTY_QUERY)).toHaveLength(3);
    expect(isFiltered({ ...EMPTY_QUERY, source: 'fs-a' })).toBe(true);
    expect(isFiltered(EMPTY_QUERY)).toBe(false);
  });

  it('sorts the Source column by the name shown, keeping the order within a source', () => {
    expect(sortTokens(rows, { key: 'source', desc: false }, names).map(tokenKey)).toEqual([
      'fs-a/1',
      'fs-a/2',
      '1',
    ]);
    expect(sortTokens(rows, { key: 'source', desc: true }, names).map(tokenKey)).toEqual([
      '1',
      'fs-a/1',
      'fs-a/2',
    ]);
  });
});
