import { type Cell, flexRender } from '@tanstack/react-table';
import { type FocusEvent, type KeyboardEvent, memo } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { safeInline } from '../../lib/safe-text';
import { RowCheckbox } from './SelectCheckbox';
import { TokenRowMenu } from './TokenRowMenu';
import type { OnTokenAction, TokenAction } from './token-actions';
import { isLocalRow, sourceIdOf, tokenKey } from './token-sources';

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

/**
 * One token's row in the grid (TokenTable.tsx): its bulk-selection box, the visible columns' cells and the
 * actions menu. Memoized, so a live countdown or a selection change re-renders only the rows it changes.
 */
export const TokenRow = memo(
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
