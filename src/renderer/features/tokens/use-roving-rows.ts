import { defaultRangeExtractor, type Range, useVirtualizer } from '@tanstack/react-virtual';
import {
  type FocusEvent,
  type KeyboardEvent,
  type Ref,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import type { TableSelection, TokenTableHandle } from './TokenTable';
import { nextRowIndex } from './token-query';
import { isLocalRow, tokenKey } from './token-sources';

const ROW_HEIGHT = 48;
/** Matches `.grid__head` height in styles.css: the sticky header sits above the rows in the same scroller. */
export const HEAD_HEIGHT = 40;

interface RovingRowsOptions {
  readonly tokens: readonly TokenView[];
  readonly selection: TableSelection;
  readonly onSelect: (key: string) => void;
  readonly handle: Ref<TokenTableHandle> | undefined;
}

/**
 * The grid's rows for the keyboard (TokenTable.tsx): TanStack Virtual mounts only the rows in view, one
 * roving tab stop follows a token, and the keys move it, open a row's actions or details, or choose rows
 * for a bulk action (docs/health.md "Bulk actions").
 */
export function useRovingRows({ tokens, selection, onSelect, handle }: RovingRowsOptions) {
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

  return { scrollRef, virtualizer, safeActive, menuFor, setMenuFor, onRowFocus, onRowBlur, onRowKeyDown };
}
