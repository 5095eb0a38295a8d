import {
  type Cell,
  flexRender,
  getCoreRowModel,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table';
import { defaultRangeExtractor, type Range, useVirtualizer } from '@tanstack/react-virtual';
import {
  type FocusEvent,
  type KeyboardEvent,
  memo,
  type Ref,
  useCallback,
  useEffect,
  useId,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { distinctClientIdLabels } from '../../lib/format';
import { safeInline } from '../../lib/safe-text';
import { HeaderCheckbox, RowCheckbox } from './SelectCheckbox';
import { TokenRowMenu } from './TokenRowMenu';
import type { OnTokenAction, TokenAction } from './token-actions';
import { COLUMNS, COMPACT_HIDDEN, NARROW_HIDDEN, type TokenTableMeta } from './token-columns';
import { nextRowIndex, type TokenSort, type TokenSortKey } from './token-query';
import { isLocalRow, sourceIdOf, tokenKey } from './token-sources';

const ROW_HEIGHT = 48;
/** Matches `.grid__head` height in styles.css: the sticky header sits above the rows in the same scroller. */
const HEAD_HEIGHT = 40;

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
 * runs in manual sorting mode. Keyboard: one roving tab stop; arrows, Page keys, Home/End move; Enter opens
 * the row's actions; Space opens the details panel; Shift+Space selects the row for a bulk action and
 * Ctrl/Cmd+A every row shown (docs/health.md "Bulk actions").
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

  // The roving tab stop follows a token, not a position: a live re-sort (a refresh turns "expired" into
  // "valid") must not silently move the keyboard user onto someone else's row.
  const [activeId, setActiveId] = useState<string | null>(null);
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const focusPending = useRef(false);
  const rowHasFocus = useRef(false);
  const safeActive = useMemo(() => {
    const at = activeId === null ? -1 : tokens.findIndex((t) => tokenKey(t) === activeId);
    return Math.max(at, 0);
  }, [tokens, activeId]);

  const scrollRef = useRef<HTMLDivElement>(null);
  // Keep the active row mounted even when scrolled out of view, so a focused row is never torn out from
  // under the keyboard (focus would fall to <body> and arrow keys would stop working).
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (safeActive < tokens.length && !indexes.includes(safeActive)) {
        indexes.push(safeActive);
        indexes.sort((x, y) => x - y);
      }
      return indexes;
    },
    [safeActive, tokens.length],
  );
  const virtualizer = useVirtualizer({
    rangeExtractor,
    count: tokens.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
  });

  // Focus follows the active row after a keyboard move, and comes back to it when new data re-sorted the
  // list and the browser dropped focus while React moved the row; both wait until the row is rendered.
  const lastTokens = useRef(tokens);
  useEffect(() => {
    const dataChanged = lastTokens.current !== tokens;
    lastTokens.current = tokens;
    if (dataChanged && rowHasFocus.current && document.activeElement === document.body) {
      focusPending.current = true;
      virtualizer.scrollToIndex(safeActive, { align: 'auto' });
    }
    if (!focusPending.current) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-row-index="${safeActive}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      focusPending.current = false;
    }
  });

  useImperativeHandle(
    handle,
    () => ({
      focusRow: (key: string) => {
        const index = tokens.findIndex((t) => tokenKey(t) === key);
        if (index < 0) return false;
        focusPending.current = true;
        rowHasFocus.current = true;
        setActiveId(key);
        virtualizer.scrollToIndex(index, { align: 'auto' });
        // When nothing re-renders (the row was already active and on screen), focus it now.
        const el = scrollRef.current?.querySelector<HTMLElement>(`[data-row-index="${index}"]`);
        if (el) {
          el.focus({ preventScroll: true });
          focusPending.current = false;
        }
        return true;
      },
    }),
    [tokens, virtualizer],
  );

  const pageSize = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 480) / ROW_HEIGHT) - 1);
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTableRowElement>) => {
      // Only keys pressed on a row itself; the menu button and open menus handle their own keys.
      if ((event.target as HTMLElement).tagName !== 'TR') return;
      const token = tokens[safeActive];
      if (event.key.toLowerCase() === 'a' && (event.ctrlKey || event.metaKey) && !event.altKey) {
        event.preventDefault();
        selection.onToggleAll();
        return;
      }
      if (event.key === ' ' && event.shiftKey && token) {
        event.preventDefault();
        // Bulk actions act on this computer's store: a source's row is not chosen.
        if (isLocalRow(token)) selection.onToggle(token.id, false);
        return;
      }
      if (event.key === 'Enter' && token) {
        event.preventDefault();
        setMenuFor(tokenKey(token));
        return;
      }
      if (event.key === ' ' && token) {
        event.preventDefault();
        onSelect(tokenKey(token));
        return;
      }
      const next = nextRowIndex(event.key, safeActive, tokens.length, pageSize);
      if (next === null) return;
      event.preventDefault();
      focusPending.current = true;
      const nextToken = tokens[next];
      setActiveId(nextToken ? tokenKey(nextToken) : null);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    },
    [tokens, safeActive, pageSize, onSelect, virtualizer, selection],
  );

  const onRowFocus = useCallback((key: string) => {
    rowHasFocus.current = true;
    setActiveId(key);
  }, []);
  const onRowBlur = useCallback((event: FocusEvent<HTMLTableRowElement>) => {
    // Leaving for somewhere real (a dialog, the search box) ends the tracking; focus dropping to nothing
    // (relatedTarget null: the row was unmounted) keeps it, so the effect above can restore it.
    if (event.relatedTarget !== null) rowHasFocus.current = false;
  }, []);

  // Rows get one stable handler (so memoized rows do not re-render) that always runs the latest logic.
  const keyHandler = useRef(onKeyDown);
  keyHandler.current = onKeyDown;
  const onRowKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTableRowElement>) => keyHandler.current(event),
    [],
  );

  // The row boxes get one stable handler too, so a selection change re-renders only the rows it changes.
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

interface RowProps {
  readonly token: TokenView;
  readonly index: number;
  readonly start: number;
  readonly active: boolean;
  readonly selected: boolean;
  readonly checked: boolean;
  readonly onToggle: (id: string, range: boolean) => void;
  readonly menuOpen: boolean;
  readonly pending: TokenAction | null;
  readonly onActivate: (key: string) => void;
  readonly onBlur: (event: FocusEvent<HTMLTableRowElement>) => void;
  readonly onSelect: (key: string) => void;
  readonly onMenuOpenChange: (key: string | null) => void;
  readonly onAction: OnTokenAction;
  readonly onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>) => void;
  readonly cells: ReadonlyArray<Cell<TokenView, unknown>>;
}

const TokenRow = memo(
  function TokenRow(props: RowProps) {
    const { token, index, start, active, selected, checked, menuOpen, pending, cells } = props;
    const who = token.userName !== null ? safeInline(token.userName) : token.id;
    const key = tokenKey(token);
    return (
      <tr
        aria-rowindex={index + 2}
        // A table row cannot be aria-selected; aria-current marks the row whose details are open.
        aria-current={selected ? 'true' : undefined}
        tabIndex={active ? 0 : -1}
        data-row-index={index}
        data-testid="token-row"
        data-token-id={token.id}
        data-source-id={sourceIdOf(token)}
        data-status={token.status}
        className={`grid__row${selected ? ' is-selected' : ''}${checked ? ' is-checked' : ''}${pending ? ' is-busy' : ''}`}
        style={{ transform: `translateY(${start}px)` }}
        onFocus={() => props.onActivate(key)}
        onBlur={props.onBlur}
        onClick={() => props.onSelect(key)}
        onKeyDown={props.onKeyDown}
      >
        <td className="grid__cell grid__cell--select">
          {/* Bulk actions act on this computer's store only (docs/sources.md "In the token table"). */}
          {isLocalRow(token) && (
            <RowCheckbox id={token.id} who={who} checked={checked} onToggle={props.onToggle} />
          )}
        </td>
        {cells.map((cell) => (
          <td key={cell.id} className={`grid__cell grid__cell--${cell.column.id}`}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        ))}
        <td className="grid__cell grid__cell--actions">
          <TokenRowMenu
            token={token}
            open={menuOpen}
            pending={pending}
            onAction={props.onAction}
            onOpenChange={(open) => props.onMenuOpenChange(open ? key : null)}
          />
        </td>
      </tr>
    );
  },
  // The cells array is rebuilt every render; the row only needs to change when its token or state does.
  (a, b) =>
    a.token === b.token &&
    a.index === b.index &&
    a.start === b.start &&
    a.active === b.active &&
    a.selected === b.selected &&
    a.checked === b.checked &&
    a.menuOpen === b.menuOpen &&
    a.pending === b.pending &&
    a.cells.length === b.cells.length &&
    a.onAction === b.onAction,
);
