import type { TokenView } from '../../../shared/ipc/views';
import { readOnlyReasonOf } from '../../api/listed-token';

/** Everything a person can do to one token, from the row menu, the details panel or the keyboard. */
export type TokenAction = 'test' | 'refresh' | 'reauthorise' | 'copy' | 'delete' | 'details';

export type OnTokenAction = (action: TokenAction, token: TokenView) => void;

/** Accessible names, shared by the menu and the details panel (the e2e specs use these). */
export const ACTION_LABELS: Readonly<Record<TokenAction, string>> = {
  test: 'Test CRM call',
  refresh: 'Refresh now',
  reauthorise: 'Re-authorise',
  copy: 'Copy access token',
  delete: 'Delete',
  details: 'Show details',
};

/** Why an action cannot run on this token right now, or null when it can. */
export function actionBlockedReason(action: TokenAction, token: TokenView): string | null {
  const readOnly = readOnlyReasonOf(token);
  // Revoking (Delete) and re-authorising change the token for everyone who shares it; a copy takes a secret
  // out of the team store (docs/team-store.md "Read-only members").
  if (readOnly !== undefined && (action === 'delete' || action === 'reauthorise' || action === 'copy')) {
    return readOnly;
  }
  if (token.status === 'unreadable' && action !== 'delete' && action !== 'details') {
    return 'This row cannot be decrypted; only Delete is possible.';
  }
  if (token.status === 'demo-ended' && action !== 'delete' && action !== 'details') {
    return 'This token is from an earlier demo run: the simulator that issued it has ended, so it works nowhere. Delete it and add a demo account again.';
  }
  if (action === 'refresh' && token.status === 'reauth') {
    return 'Zoho no longer accepts the refresh token; re-authorise instead.';
  }
  if (action === 'copy' && token.status === 'reauth') {
    return 'Zoho no longer accepts this token, so its access token is useless; re-authorise first.';
  }
  return null;
}
