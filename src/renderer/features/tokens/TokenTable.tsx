import {
  type Cell,
  type ColumnDef,
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { DataCenterBadge, StatusBadge } from '../../components/Badge';
import { Countdown } from '../../components/Countdown';
import { RelativeTime } from '../../components/RelativeTime';
import { formatLatency, shortenClientId } from '../../lib/format';
import { TokenRowMenu } from './TokenRowMenu';
import type { OnTokenAction, TokenAction } from './token-actions';
import { nextRowIndex, type TokenSort, type TokenSortKey } from './token-query';

const ROW_HEIGHT = 48;
/** Matches `.grid__head` height in styles.css: the sticky header sits above the rows in the same scroller. */
const HEAD_HEIGHT = 40;

const col = createColumnHelper<TokenView>();

function LastTestCell({ token }: { token: TokenView }) {
  const t = token.lastTest;
  if (!t) return <span className="muted">Not tested</span>;
  return (
    <span className={t.ok ? 'test test--ok' : 'test test--fail'}>
      <span aria-hidden="true">{t.ok ? '✓' : '✕'}</span>
      <span className="sr-only">{t.ok ? 'Passed' : 'Failed'}</span>
      {t.httpStatus ?? '—'} · {t.ok ? formatLatency(t.latencyMs) : (t.errorCode ?? 'error')}
      <span className="test__when">
        <RelativeTime at={t.at} />
      </span>
    </span>
  );
}

/** Column definitions are static; cells read only their own row, so memoized rows stay cheap. */
const COLUMNS: ColumnDef<TokenView, unknown>[] = [
  col.display({
    id: 'user',
    header: 'User',
    cell: ({ row }) => (
      <span className="cell-user" title={row.original.userName ?? undefined}>
        {row.original.userName ?? <span className="muted">Unknown user</span>}
      </span>
    ),
  }),
  col.display({
    id: 'dataCenter',
    header: 'Data center',
    cell: ({ row }) => <DataCenterBadge dc={row.original.dataCenter} env={row.original.environment} />,
  }),
  col.display({
    id: 'clientId',
    header: 'Client ID',
    cell: ({ row }) => (
      <span className="mono" title={row.original.clientId ?? undefined}>
        {shortenClientId(row.original.clientId)}
      </span>
    ),
  }),
  col.display({
    id: 'status',
    header: 'Status',
    cell: ({ row }) => <StatusBadge status={row.original.status} />,
  }),
  col.display({
    id: 'expiresAt',
    header: 'Access token expires',
    cell: ({ row }) => <Countdown expiresAt={row.original.expiresAt} />,
  }),
  col.display({
    id: 'lastRefreshedAt',
    header: 'Last refreshed',
    cell: ({ row }) => <RelativeTime at={row.original.lastRefreshedAt} />,
  }),
  col.display({
    id: 'lastTest',
    header: 'Last test',
    cell: ({ row }) => <LastTestCell token={row.original} />,
  }),
];

const ALL_VISIBLE = {};
const COMPACT_HIDDEN = { clientId: false, lastRefreshedAt: false };

interface TableProps {
  readonly tokens: readonly TokenView[];
  readonly sort: TokenSort | null;
  readonly onSortChange: (sort: TokenSort | null) => void;
  readonly selectedId: string | null;
  readonly onSelect: (id: string) => void;
  readonly onAction: OnTokenAction;
  readonly pending: ReadonlyMap<string, TokenAction>;
  /** Narrow mode beside the details panel: the panel shows client id and last refresh instead. */
  readonly compact: boolean;
}

/**
 * The token grid: TanStack Table for columns and sort state, TanStack Virtual so only the visible rows
 * exist in the DOM. Rows are pre-filtered and pre-sorted by pure helpers (token-query.ts), so the table
 * runs in manual sorting mode. Keyboard: one roving tab stop; arrows, Page keys, Home/End move; Enter opens
 * the row's actions; Space opens the details panel.
 */
export function TokenTable({
  tokens,
  sort,
  onSortChange,
  selectedId,
  onSelect,
  onAction,
  pending,
  compact,
}: TableProps) {
  const sorting: SortingState = useMemo(() => (sort ? [{ id: sort.key, desc: sort.desc }] : []), [sort]);
  const data = tokens as TokenView[];
  const table = useReactTable({
    data,
    columns: COLUMNS,
    state: { sorting, columnVisibility: compact ? COMPACT_HIDDEN : ALL_VISIBLE },
    manualSorting: true,
    enableSortingRemoval: true,
    getRowId: (t) => t.id,
    getCoreRowModel: getCoreRowModel(),
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      onSortChange(first ? { key: first.id as TokenSortKey, desc: first.desc } : null);
    },
  });

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tokens.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
  });

  const [activeIndex, setActiveIndex] = useState(0);
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const focusPending = useRef(false);
  const safeActive = Math.min(activeIndex, Math.max(0, tokens.length - 1));

  // Focus follows the active index only after a keyboard move, once the virtualizer has rendered the row.
  useEffect(() => {
    if (!focusPending.current) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-row-index="${safeActive}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      focusPending.current = false;
    }
  });

  const pageSize = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 480) / ROW_HEIGHT) - 1);
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTableRowElement>) => {
      // Only keys pressed on a row itself; the menu button and open menus handle their own keys.
      if ((event.target as HTMLElement).tagName !== 'TR') return;
      const token = tokens[safeActive];
      if (event.key === 'Enter' && token) {
        event.preventDefault();
        setMenuFor(token.id);
        return;
      }
      if (event.key === ' ' && token) {
        event.preventDefault();
        onSelect(token.id);
        return;
      }
      const next = nextRowIndex(event.key, safeActive, tokens.length, pageSize);
      if (next === null) return;
      event.preventDefault();
      focusPending.current = true;
      setActiveIndex(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    },
    [tokens, safeActive, pageSize, onSelect, virtualizer],
  );

  // Rows get one stable handler (so memoized rows do not re-render) that always runs the latest logic.
  const keyHandler = useRef(onKeyDown);
  keyHandler.current = onKeyDown;
  const onRowKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTableRowElement>) => keyHandler.current(event),
    [],
  );

  const rows = table.getRowModel().rows;
  const items = virtualizer.getVirtualItems();

  return (
    <div className="grid-wrap" data-testid="token-table">
      <div className="grid-scroll" ref={scrollRef}>
        <table
          className={compact ? 'grid grid--compact' : 'grid'}
          aria-label="Tokens"
          aria-rowcount={tokens.length + 1}
        >
          <thead className="grid__head">
            <tr className="grid__row grid__row--head" aria-rowindex={1}>
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
                  menuOpen={menuFor === row.id}
                  pending={pending.get(row.id) ?? null}
                  onActivate={setActiveIndex}
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
  readonly menuOpen: boolean;
  readonly pending: TokenAction | null;
  readonly onActivate: (index: number) => void;
  readonly onSelect: (id: string) => void;
  readonly onMenuOpenChange: (id: string | null) => void;
  readonly onAction: OnTokenAction;
  readonly onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>) => void;
  readonly cells: ReadonlyArray<Cell<TokenView, unknown>>;
}

const TokenRow = memo(
  function TokenRow(props: RowProps) {
    const { token, index, start, active, selected, menuOpen, pending, cells } = props;
    return (
      <tr
        aria-rowindex={index + 2}
        aria-selected={selected}
        tabIndex={active ? 0 : -1}
        data-row-index={index}
        data-testid="token-row"
        data-token-id={token.id}
        data-status={token.status}
        className={`grid__row${selected ? ' is-selected' : ''}${pending ? ' is-busy' : ''}`}
        style={{ transform: `translateY(${start}px)` }}
        onFocus={() => props.onActivate(index)}
        onClick={() => props.onSelect(token.id)}
        onKeyDown={props.onKeyDown}
      >
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
            onOpenChange={(open) => props.onMenuOpenChange(open ? token.id : null)}
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
    a.menuOpen === b.menuOpen &&
    a.pending === b.pending &&
    a.cells.length === b.cells.length &&
    a.onAction === b.onAction,
);
