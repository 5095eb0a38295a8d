import { NoClipboard } from '../common/clipboard';
import { type Clock, systemClock } from '../common/clock';
import { SessionTokenNotes } from '../tokens/session-token-notes';
import { TokenService } from '../tokens/token-service';
import type { ZohoFor } from '../zoho';
import { TeamServiceAuditLog } from './team-service-audit-log';
import type { TeamTokenStore } from './team-token-store';

export interface TeamTokenServiceOptions {
  readonly zoho: ZohoFor;
  readonly clock?: Clock;
  readonly onChanged?: (reason: string) => void;
}

/**
 * The console's TokenService over a team store, for a process with no window (an SDK server, the
 * benchmark, tests): refreshes take the team-wide lock per token (TeamTokenStore.withRefreshLock) and
 * every audit row goes to the team store under this member's name.
 */
export function createTeamTokenService(store: TeamTokenStore, options: TeamTokenServiceOptions) {
  const clock = options.clock ?? systemClock;
  const audit = new TeamServiceAuditLog(store.audit, clock);
  const service = new TokenService({
    store,
    zoho: options.zoho,
    audit,
    notes: new SessionTokenNotes(),
    clipboard: new NoClipboard(),
    clock,
    ...(options.onChanged ? { onChanged: options.onChanged } : {}),
  });
  return { service, audit };
}
