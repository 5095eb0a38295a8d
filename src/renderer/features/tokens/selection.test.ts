import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, keepExisting, shownState, toggleAllShown, toggleRow } from './selection';

const SHOWN = ['a', 'b', 'c', 'd', 'e'];
const ids = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe('token selection', () => {
  it('a click toggles one row and anchors there; Shift extends from the anchor to the row, both ways', () => {
    let s = toggleRow(EMPTY_SELECTION, 'b', false, SHOWN);
    expect(ids(s)).toEqual(['b']);
    s = toggleRow(s, 'd', true, SHOWN);
    expect(ids(s)).toEqual(['b', 'c', 'd']);
    // The anchor stays at b: a Shift-click above it runs upwards from b, and adds a.
    s = toggleRow(s, 'a', true, SHOWN);
    expect(ids(s)).toEqual(['a', 'b', 'c', 'd']);
    // Shift on a selected row clears the range to it (it takes the clicked row's new state).
    s = toggleRow(s, 'c', true, SHOWN);
    expect(ids(s)).toEqual(['a', 'd']);
    s = toggleRow(s, 'd', false, SHOWN);
    expect(ids(s)).toEqual(['a']);
    expect(s.anchor).toBe('d');
  });

  it('Shift without an anchor (or one filtered out) toggles just the row', () => {
    expect(ids(toggleRow(EMPTY_SELECTION, 'c', true, SHOWN))).toEqual(['c']);
    const hidden = { ids: new Set(['x']), anchor: 'x' };
    expect(ids(toggleRow(hidden, 'c', true, SHOWN))).toEqual(['c', 'x']);
  });

  it('select all shown adds every shown row, keeps hidden ones, and a second time clears the shown ones', () => {
    const start = { ids: new Set(['x']), anchor: null };
    const all = toggleAllShown(start, SHOWN);
    expect(ids(all)).toEqual(['a', 'b', 'c', 'd', 'e', 'x']);
    expect(shownState(all, SHOWN)).toBe(true);
    const none = toggleAllShown(all, SHOWN);
    expect(ids(none)).toEqual(['x']);
    expect(shownState(none, SHOWN)).toBe(false);
    expect(shownState(toggleRow(none, 'a', false, SHOWN), SHOWN)).toBe('mixed');
    expect(shownState(EMPTY_SELECTION, [])).toBe(false);
  });

  it('drops tokens that are gone, and returns the same object when none is', () => {
    const s = { ids: new Set(['a', 'b']), anchor: 'b' };
    expect(keepExisting(s, new Set(['a', 'b', 'c']))).toBe(s);
    const kept = keepExisting(s, new Set(['a']));
    expect(ids(kept)).toEqual(['a']);
    expect(kept.anchor).toBeNull();
  });
});
