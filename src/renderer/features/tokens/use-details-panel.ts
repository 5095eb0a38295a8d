import { type RefObject, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { isShortcutTarget, shortcutFor } from '../../lib/shortcuts';
import type { TokenTableHandle } from './TokenTable';
import { tokenKey } from './token-sources';

/**
 * Where focus goes after a dialog: back to the table's current row (the deleted row's neighbour takes its
 * tab stop), else the search box, else the first action on the empty page.
 */
export function useReturnFocus(searchRef: RefObject<HTMLInputElement | null>): () => void {
  return useCallback(() => {
    requestAnimationFrame(() => {
      const target =
        document.querySelector<HTMLElement>('[data-testid="token-row"][tabindex="0"]') ??
        searchRef.current ??
        document.querySelector<HTMLElement>('[data-testid="tokens-empty"] button');
      target?.focus();
    });
  }, [searchRef]);
}

/**
 * The details panel beside the table: which token it shows (by tokenKey), and closing it (× or Escape)
 * with focus back on that token's row, scrolled into view; if the row is filtered out, `returnFocus`.
 */
export function useDetailsPanel(tokens: readonly TokenView[], returnFocus: () => void) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = useMemo(
    () => tokens.find((t) => tokenKey(t) === selectedId) ?? null,
    [tokens, selectedId],
  );
  const tableRef = useRef<TokenTableHandle>(null);
  const closeDetails = useCallback(() => {
    const id = selectedId;
    setSelectedId(null);
    requestAnimationFrame(() => {
      if (id === null || !tableRef.current?.focusRow(id)) returnFocus();
    });
  }, [selectedId, returnFocus]);

  // Escape closes the details panel from the panel, the table or the page, but not while a dialog, menu or
  // list owns Escape, and not in a text field (where Escape clears the search).
  useEffect(() => {
    if (selected === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || shortcutFor(e) !== 'close' || !isShortcutTarget(e.target, document)) return;
      e.preventDefault();
      closeDetails();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selected, closeDetails]);

  return { selectedId, setSelectedId, selected, tableRef, closeDetails };
}
