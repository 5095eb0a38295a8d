import * as Menu from '@radix-ui/react-dropdown-menu';
import { useId, useRef } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { safeInline } from '../../lib/safe-text';
import { ACTION_LABELS, actionBlockedReason, type OnTokenAction, type TokenAction } from './token-actions';

const MENU_ACTIONS: readonly TokenAction[] = ['test', 'refresh', 'copy', 'reauthorise', 'details'];

interface Props {
  readonly token: TokenView;
  readonly open: boolean;
  readonly onOpenChange: (open: boolean) => void;
  readonly onAction: OnTokenAction;
  readonly pending: TokenAction | null;
}

/** The per-row actions menu (Radix DropdownMenu: arrow keys, typeahead, Escape, focus return). */
export function TokenRowMenu({ token, open, onOpenChange, onAction, pending }: Props) {
  const who = token.userName !== null ? safeInline(token.userName) : token.id;
  const trigger = useRef<HTMLButtonElement>(null);
  const idBase = useId();
  // A read-only team member's row: Delete (a revoke) is theirs to see, not to take.
  const deleteBlocked = actionBlockedReason('delete', token);
  return (
    <Menu.Root open={open} onOpenChange={onOpenChange} modal={false}>
      <Menu.Trigger
        ref={trigger}
        className="btn btn--icon"
        aria-label={`Actions for ${who}`}
        data-testid="token-row-actions"
        tabIndex={-1}
      >
        <span aria-hidden="true">⋯</span>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          className="menu"
          align="end"
          sideOffset={4}
          data-testid="token-row-menu"
          // Give focus back to the row, not the (untabbable) trigger, so arrow keys keep moving between rows.
          onCloseAutoFocus={(event) => {
            const row = trigger.current?.closest('tr');
            if (row) {
              event.preventDefault();
              row.focus();
            }
          }}
        >
          <Menu.Label className="menu__label">{who}</Menu.Label>
          {MENU_ACTIONS.map((action) => {
            const blocked = actionBlockedReason(action, token);
            const whyId = blocked !== null ? `${idBase}-why-${action}` : undefined;
            return (
              <Menu.Item
                key={action}
                className="menu__item"
                // One action per token at a time, as in the details panel (the busy mark is kept per token);
                // the details stay reachable.
                disabled={blocked !== null || (pending !== null && action !== 'details')}
                onSelect={() => onAction(action, token)}
                aria-describedby={whyId}
              >
                {ACTION_LABELS[action]}
                {pending === action && <span className="menu__hint">working…</span>}
                {/* Seen under the label; heard as the item's description (not part of its name). */}
                {blocked !== null && (
                  <span id={whyId} className="menu__reason" aria-hidden="true">
                    {blocked}
                  </span>
                )}
              </Menu.Item>
            );
          })}
          <Menu.Separator className="menu__sep" />
          <Menu.Item
            className="menu__item menu__item--danger"
            disabled={deleteBlocked !== null}
            onSelect={() => onAction('delete', token)}
            aria-describedby={deleteBlocked !== null ? `${idBase}-why-delete` : undefined}
          >
            {ACTION_LABELS.delete}…
            {deleteBlocked !== null && (
              <span id={`${idBase}-why-delete`} className="menu__reason" aria-hidden="true">
                {deleteBlocked}
              </span>
            )}
          </Menu.Item>
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
