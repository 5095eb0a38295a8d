import type { AuditTrail } from '../audit/audit-trail';
import type { Clock } from '../common/clock';
import type { ListableTokenStore } from '../store/token-store';
import type { ZohoFor } from '../zoho';
import type { PendingRevokes } from './pending-revokes';
import type { KeyedMutex } from './single-flight';
import type { TokenNotes } from './token-notes';

/** What every part of TokenService shares. */
export interface ServiceContext {
  readonly store: ListableTokenStore;
  /** The Zoho a stored token was issued by, chosen by its API domain. */
  readonly zoho: ZohoFor;
  /** Never throws: a failed write is queued and returned as words (audit-trail.ts). */
  readonly audit: AuditTrail;
  readonly notes: TokenNotes;
  readonly clock: Clock;
  /** Refresh tokens no row holds that may still work at Zoho, until Zoho confirms them dead. */
  readonly pending: PendingRevokes;
  /** Per token id: deletes, and the save of a re-authorisation, run one at a time. */
  readonly locks: KeyedMutex;
  /** Called after every mutation (the core pushes `tokens.changed`). */
  readonly onChanged: (reason: string) => void;
  /**
   * Where the tokens are kept, as a removal's words and result name it: absent for this computer's store,
   * a token source's display name ("FileStore sdk_tokens.txt") otherwise (docs/sources.md).
   */
  readonly place?: string;
}
