import { createTable, getCoreRowModel, type SortingState } from '@tanstack/react-table';
import { describe, expect, it } from 'vitest';
import type { TokenView } from '../../../shared/ipc/views';
import { COLUMNS, COMPACT_HIDDEN } from './token-columns';
import { SORT_KEYS } from './token-query';

/** A headless table with the console's columns, to check what the header buttons will do. */
function headless(sorting: SortingState, onSorting: (s: SortingState) => void) {
  const table = createTable<TokenView>({
    data: [],
    columns: COLUMNS,
    state: { sorting, columnPinning: {}, columnVisibility: {} },
    onStateChange: () => {},
    onSortingChange: (u) => onSorting(typeof u === 'function' ? u(sorting) : u),
    manualSorting: true,
    sortDescFirst: false,
    getCoreRowModel: getCoreRowModel(),
    renderFallbackValue: null,
  });
  return table;
}

describe('token columns', () => {
  it('has one sortable column per sort key, in order', () => {
    const table = headless([], () => {});
    const ids = table.getAllLeafColumns().map((c) => c.id);
    expect(ids).toEqual([...SORT_KEYS]);
    for (const column of table.getAllLeafColumns()) expect(column.getCanSort(), column.id).toBe(true);
  });
  it('a header click sorts ascending first, then descending', () => {
    let next: SortingState = [];
    headless([], (s) => {
      next = s;
    })
      .getColumn('expiresAt')
      ?.toggleSorting(undefined, false);
    expect(next).toEqual([{ id: 'expiresAt', desc: false }]);
    headless(next, (s) => {
      next = s;
    })
      .getColumn('expiresAt')
      ?.toggleSorting(undefined, false);
    expect(next).toEqual([{ id: 'expiresAt', desc: true }]);
  });
  it('the compact grid hides only the columns it folds into others (client id, last refreshed, source)', () => {
    expect(Object.keys(COMPACT_HIDDEN).sort()).toEqual(['clientId', 'lastRefreshedAt', 'source']);
    const ids = headless([], () => {})
      .getAllLeafColumns()
      .map((c) => c.id);
    for (const hidden of Object.keys(COMPACT_HIDDEN)) expect(ids).toContain(hidden);
  });
});
