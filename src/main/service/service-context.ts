import type { ListableTokenStore } from '../store/token-store';
import type { AuditLog } from './audit-log';
import type { Clock } from './clock';
import type { TokenNotes } from './token-notes';
import type { TokenZoho } from './zoho-gateway';

/** What every part of TokenService shares. */
export interface ServiceContext {
  readonly store: ListableTokenStore;
  readonly zoho: TokenZoho;
  readonly audit: AuditLog;
  readonly notes: TokenNotes;
  readonly clock: Clock;
  /** Called after every mutation (the core pushes `tokens.changed`). */
  readonly onChanged: (reason: string) => void;
}
