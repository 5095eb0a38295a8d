import { useEffect, useRef } from 'react';

/**
 * A row's box in the token table's first column (docs/health.md "Bulk actions"). Not a tab stop: the
 * row is, and Shift+Space on it does the same. A Shift-click selects the range from the anchor.
 */
export function RowCheckbox({
  id,
  who,
  checked,
  onToggle,
}: {
  id: string;
  who: string;
  checked: boolean;
  onToggle: (id: string, range: boolean) => void;
}) {
  return (
    <input
      type="checkbox"
      className="row-check"
      tabIndex={-1}
      aria-label={`Select ${who}`}
      checked={checked}
      // A Shift-click must not also select the page's text.
      onMouseDown={(e) => e.shiftKey && e.preventDefault()}
      onClick={(e) => {
        // The row's own click opens the details; this one only selects.
        e.stopPropagation();
        onToggle(id, e.shiftKey);
      }}
      onChange={() => {}}
      data-testid="token-row-select"
    />
  );
}

/** The header's box: all shown, none, or some ("mixed", shown as indeterminate). */
export function HeaderCheckbox({ state, onToggle }: { state: boolean | 'mixed'; onToggle: () => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = state === 'mixed';
  }, [state]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className="row-check"
      aria-label="Select every token shown"
      checked={state === true}
      onChange={onToggle}
      data-testid="token-select-all"
    />
  );
}
