import type { AuditLog } from '../service/audit-log';
import type { Clipboard } from '../service/clipboard';
import type { Clock } from '../service/clock';
import { MemoryTokenNotes, type TokenNotes } from '../service/token-notes';
import { TokenService } from '../service/token-service';
import type { TokenZoho } from '../service/zoho-gateway';
import { sourceAuditLog } from './source-audit';
import type { TokenSource } from './token-source';

export interface SourceServicesDeps {
  readonly zoho: TokenZoho;
  readonly audit: AuditLog;
  readonly clipboard: Clipboard;
  readonly clock?: Clock;
  readonly onChanged?: (reason: string, sourceId: string) => void;
  /** The local store's notes (test results, re-auth marks); other sources keep theirs for the session. */
  readonly localNotes?: TokenNotes;
}

/**
 * One TokenService per source: the same service code (refresh, test call, revoke then delete, clear all)
 * over that source's TokenStore. Nothing here decides anything: it only picks the store, the notes and
 * the audit wording for a source. A service is kept per source object, so its per-token single flights
 * and throttle back-offs hold for as long as the source stays open.
 */
export class SourceServices {
  private readonly services = new WeakMap<TokenSource, TokenService>();

  constructor(private readonly deps: SourceServicesDeps) {}

  for(source: TokenSource): TokenService {
    let service = this.services.get(source);
    if (!service) {
      const id = source.descriptor.id;
      service = new TokenService({
        store: source.store,
        zoho: this.deps.zoho,
        audit: sourceAuditLog(this.deps.audit, source.descriptor),
        notes:
          source.descriptor.kind === 'local' && this.deps.localNotes
            ? this.deps.localNotes
            : new MemoryTokenNotes(),
        clipboard: this.deps.clipboard,
        ...(this.deps.clock ? { clock: this.deps.clock } : {}),
        onChanged: (reason) => this.deps.onChanged?.(reason, id),
      });
      this.services.set(source, service);
    }
    return service;
  }
}
