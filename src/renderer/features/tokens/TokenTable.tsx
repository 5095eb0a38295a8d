import { flexRender, getCoreRowModel, type SortingState, useReactTable } from '@tanstack/react-table';
import { type Ref, useCallback, useId, useMemo, useRef } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { distinctClientIdLabels } from '../../lib/format';
import { HeaderCheckbox } from './SelectCheckbox';
import { TokenRow } from './TokenRow';
import type { OnTokenAction, TokenAction } from './token-actions';
import { COLUMNS, COMPACT_HIDDEN, NARROW_HIDDEN, type TokenTableMeta } from './token-columns';
import type { TokenSort, TokenSortKey } from './token-query';
import { tokenKey } from './token-sources';
import { HEAD_HEIGHT, useRovingRows } from './use-roving-rows';

const ALL_VISIBLE = {};

/** What the page may ask of the table: put keyboard focus on one token's row (scrolling it into view). */
export interface TokenTableHandle {
  /**
   * `key` is the row's tokenKey (source and id). False when the token is not in the (filtered) list, so
   * the caller can focus something else.
   */
  focusRow: (key: string) => boolean;
}

interface TableProps {
  readonly tokens: readonly TokenView[];
  readonly sort: TokenSort | null;
  readonly onSortChange: (sort: TokenSort | null) => void;
  /** Rows are keyed by tokenKey (token ids of different sources overlap). */
  readonly selectedId: string | null;
  readonly onSelect: (key: string) => void;
  readonly onAction: OnTokenAction;
  /** By tokenKey. */
  readonly pending: ReadonlyMap<string, TokenAction>;
  /**
   * Narrow mode beside the details panel: client id folds under the user and last refreshed under the
   * expiry, so every column's information stays on screen.
   */
  readonly compact: boolean;
  /** The window is narrow (NARROW_WINDOW_QUERY): fold further, see NARROW_HIDDEN. */
  readonly narrow?: boolean;
  readonly handle?: Ref<TokenTableHandle>;
  /** Tokens chosen for a bulk action (selection.ts); the first column's boxes show and change it. */
  readonly selection: TableSelection;
  /** The Source column's words for a source id; without it (only local tokens) the column is hidden. */
  readonly sourceName?: ((sourceId: string) => string) | undefined;
}

export interface TableSelection {
  readonly ids: ReadonlySet<string>;
  /** The header box's state for the rows shown. */
  readonly shown: boolean | 'mixed';
  /** One row's box; `range` with Shift: from the anchor to this row. */
  readonly onToggle: (id: string, range: boolean) => void;
  /** The header box or Ctrl/Cmd+A: every row shown, or none when all are. */
  readonly onToggleAll: () => void;
}

/**
 * The token grid: TanStack Table for columns and sort state, TanStack Virtual so only the visible rows
 * exist in the DOM. Rows are pre-filtered and pre-sorted by pure helpers (token-query.ts), so the table
 * runs in manual sorting mode. Keyboard (use-roving-rows.ts): one roving tab stop; arrows, Page keys,
 * Home/End move; Enter opens the row's actions; Space opens the details panel; Shift+Space selects the row
 * for a bulk action and Ctrl/Cmd+A every row shown (docs/health.md "Bulk actions"). Columns are in
 * token-columns.tsx, one row in TokenRow.tsx.
 */
export function TokenTable({
  tokens,
  sort,
  onSortChange,
  selectedId,
  onSelect,
  onAction,
  pending,
  compact: compactAsked,
  narrow = false,
  handle,
  selection,
  sourceName,
}: TableProps) {
  const compact = compactAsked || narrow;
  const sorting: SortingState = useMemo(() => (sort ? [{ id: sort.key, desc: sort.desc }] : []), [sort]);
  const data = tokens as TokenView[];
  const clientLabel = useMemo(() => distinctClientIdLabels(tokens.map((t) => t.clientId)), [tokens]);
  const meta: TokenTableMeta = useMemo(
    () => ({ compact, clientLabel, sourceName }),
    [compact, clientLabel, sourceName],
  );
  const columnVisibility = useMemo(() => {
    const folded = narrow ? NARROW_HIDDEN : compact ? COMPACT_HIDDEN : ALL_VISIBLE;
    return sourceName ? folded : { ...folded, source: false };
  }, [narrow, compact, sourceName]);
  const table = useReactTable({
    data,
    columns: COLUMNS,
    state: { sorting, columnVisibility },
    meta,
    manualSorting: true,
    // Every column starts ascending (for status: most urgent first), numbers included.
    sortDescFirst: false,
    enableSortingRemoval: true,
    getRowId: tokenKey,
    getCoreRowModel: getCoreRowModel(),
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      onSortChange(first ? { key: first.id as TokenSortKey, desc: first.desc } : null);
    },
  });

  const { scrollRef, virtualizer, safeActive, menuFor, setMenuFor, onRowFocus, onRowBlur, onRowKeyDown } =
    useRovingRows({ tokens, selection, onSelect, handle });

  // The row boxes get one stable handler (as the rows' keys do in use-roving-rows.ts), so a selection
  // change re-renders only the rows it changes.
  const toggleHandler = useRef(selection.onToggle);
  toggleHandler.current = selection.onToggle;
  const onRowToggle = useCallback((id: string, range: boolean) => toggleHandler.current(id, range), []);

  const rows = table.getRowModel().rows;
  const items = virtualizer.getVirtualItems();
  const hintId = useId();

  return (
    <div className="grid-wrap" data-testid="token-table">
      <p id={hintId} className="sr-only">
        Arrow keys move between tokens. Enter opens a token's actions, Space its details. Shift+Space selects
        a token for a bulk action; Control+A (Command+A on a Mac) selects every token shown.
      </p>
      <div className="grid-scroll" ref={scrollRef}>
        <table
          className={`${narrow ? 'grid grid--compact grid--narrow' : compact ? 'grid grid--compact' : 'grid'}${
            sourceName ? ' grid--with-source' : ''
          }`}
          aria-label="Tokens"
          aria-describedby={hintId}
          aria-rowcount={tokens.length + 1}
        >
          <thead className="grid__head">
            <tr className="grid__row grid__row--head" aria-rowindex={1}>
              <th scope="col" className="grid__cell grid__cell--head grid__cell--select">
                <HeaderCheckbox state={selection.shown} onToggle={selection.onToggleAll} />
              </th>
              {table.getHeaderGroups()[0]?.headers.map((header) => {
                const dir = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className="grid__cell grid__cell--head"
                    aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}
                  >
                    <button
                      type="button"
                      className="sort"
                      onClick={header.column.getToggleSortingHandler()}
                      data-testid={`sort-${header.id}`}
                    >
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      <span className="sort__icon" aria-hidden="true">
                        {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}
                      </span>
                    </button>
                  </th>
                );
              })}
              <th scope="col" className="grid__cell grid__cell--head">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="grid__body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <TokenRow
                  key={row.id}
                  token={row.original}
                  index={item.index}
                  start={item.start - HEAD_HEIGHT}
                  active={item.index === safeActive}
                  selected={row.id === selectedId}
                  checked={selection.ids.has(row.id)}
                  onToggle={onRowToggle}
                  menuOpen={menuFor === row.id}
                  pending={pending.get(row.id) ?? null}
                  onActivate={onRowFocus}
                  onBlur={onRowBlur}
                  onSelect={onSelect}
                  onMenuOpenChange={setMenuFor}
                  onAction={onAction}
                  onKeyDown={onRowKeyDown}
                  cells={row.getVisibleCells()}
                />
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
