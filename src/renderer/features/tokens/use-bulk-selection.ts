import { useMemo, useState } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import {
  EMPTY_SELECTION,
  keepExisting,
  type Selection,
  shownState,
  toggleAllShown,
  toggleRow,
} from './selection';
import type { TableSelection } from './TokenTable';
import { isLocalRow } from './token-sources';

/**
 * The tokens chosen for a bulk action (selection.ts, docs/health.md "Bulk actions"): tokens deleted
 * meanwhile drop out; ranges and "all" run over the rows shown. Bulk actions act on this computer's store,
 * so only its rows are chosen (ids of sources overlap them).
 */
export function useBulkSelection(tokens: readonly TokenView[], visible: readonly TokenView[]) {
  const [rawSelection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const selection = useMemo(
    () => keepExisting(rawSelection, new Set(tokens.filter(isLocalRow).map((t) => t.id))),
    [rawSelection, tokens],
  );
  const shownIds = useMemo(() => visible.filter(isLocalRow).map((t) => t.id), [visible]);
  const tableSelection: TableSelection = useMemo(
    () => ({
      ids: selection.ids,
      shown: shownState(selection, shownIds),
      onToggle: (id, range) => setSelection(toggleRow(selection, id, range, shownIds)),
      onToggleAll: () => setSelection(toggleAllShown(selection, shownIds)),
    }),
    [selection, shownIds],
  );
  const chosen = useMemo(() => [...selection.ids], [selection]);
  /** Chosen tokens the filters hide now: the bulk bar says so, since the action still acts on them. */
  const hiddenChosen = useMemo(() => {
    const shown = new Set(shownIds);
    return chosen.filter((id) => !shown.has(id)).length;
  }, [chosen, shownIds]);
  const clear = () => setSelection(EMPTY_SELECTION);
  return { tableSelection, chosen, hiddenChosen, clear };
}
