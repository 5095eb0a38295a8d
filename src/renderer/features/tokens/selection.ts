/**
 * Which tokens are chosen for a bulk action (docs/health.md "Bulk actions"): a set of ids plus the anchor
 * a Shift+click or Shift+Space extends from, as spreadsheets and file managers do. Pure, so the rules
 * are tested apart from the table.
 */
export interface Selection {
  readonly ids: ReadonlySet<string>;
  /** The last row toggled on its own; a range runs from here. */
  readonly anchor: string | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

/**
 * A click (or Space) on one row's box: toggles it and makes it the anchor. With Shift, every row shown
 * between the anchor and this one takes this row's new state; rows outside the range keep theirs.
 */
export function toggleRow(
  selection: Selection,
  id: string,
  range: boolean,
  shownIds: readonly string[],
): Selection {
  const on = !selection.ids.has(id);
  const next = new Set(selection.ids);
  const from = selection.anchor === null ? -1 : shownIds.indexOf(selection.anchor);
  const to = shownIds.indexOf(id);
  if (range && from >= 0 && to >= 0) {
    const [lo, hi] = from <= to ? [from, to] : [to, from];
    for (const rowId of shownIds.slice(lo, hi + 1)) {
      if (on) next.add(rowId);
      else next.delete(rowId);
    }
    return { ids: next, anchor: selection.anchor };
  }
  if (on) next.add(id);
  else next.delete(id);
  return { ids: next, anchor: id };
}

/** Ctrl/Cmd+A or the header box: every row shown; when all of them already are, none. */
export function toggleAllShown(selection: Selection, shownIds: readonly string[]): Selection {
  const allOn = shownIds.length > 0 && shownIds.every((id) => selection.ids.has(id));
  if (allOn) {
    const next = new Set(selection.ids);
    for (const id of shownIds) next.delete(id);
    return { ids: next, anchor: null };
  }
  return { ids: new Set([...selection.ids, ...shownIds]), anchor: selection.anchor };
}

/** The header box's state for the rows shown. */
export function shownState(selection: Selection, shownIds: readonly string[]): boolean | 'mixed' {
  let on = 0;
  for (const id of shownIds) if (selection.ids.has(id)) on += 1;
  if (on === 0) return false;
  return on === shownIds.length ? true : 'mixed';
}

/**
 * Tokens deleted meanwhile leave the selection (a bulk action never names a token that is gone); the
 * same object comes back when nothing changed, so React does not re-render for nothing.
 */
export function keepExisting(selection: Selection, existing: ReadonlySet<string>): Selection {
  let gone = false;
  for (const id of selection.ids) {
    if (!existing.has(id)) {
      gone = true;
      break;
    }
  }
  if (!gone) return selection;
  const ids = new Set([...selection.ids].filter((id) => existing.has(id)));
  return {
    ids,
    anchor: selection.anchor !== null && existing.has(selection.anchor) ? selection.anchor : null,
  };
}
