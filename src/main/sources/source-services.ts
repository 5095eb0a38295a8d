import type { RevokeOutcome } from '../../shared/ipc/views';
import type { AuditLog } from '../audit/audit-log';
import { AuditTrail } from '../audit/audit-trail';
import type { Clipboard } from '../common/clipboard';
import { type Clock, systemClock, systemTimer } from '../common/clock';
import { AppError } from '../errors';
import { notFound } from '../tokens/errors';
import { MemoryPendingRevokeStore } from '../tokens/pending-revoke-store';
import { PendingRevokes } from '../tokens/pending-revokes';
import type { ServiceContext } from '../tokens/service-context';
import { SessionTokenNotes } from '../tokens/session-token-notes';
import { KeyedMutex } from '../tokens/single-flight';
import type { TokenNotes } from '../tokens/token-notes';
import { revokeAtZoho } from '../tokens/token-removal';
import { TokenService } from '../tokens/token-service';
import type { ZohoFor } from '../zoho';
import { sourceAuditLog } from './source-audit';
import type { TokenSource } from './token-source';

export interface SourceServicesDeps {
  readonly zoho: ZohoFor;
  readonly audit: AuditLog;
  readonly clipboard: Clipboard;
  readonly clock?: Clock;
  readonly onChanged?: (reason: string, sourceId: string) => void;
  /** The local store's notes (test results, re-auth marks); other sources keep theirs for the session. */
  readonly localNotes?: TokenNotes;
}

/**
 * A source's token is deleted only once Zoho confirmed its revoke (or with revoking off): its refresh token
 * could only be kept as a pending revoke in memory, lost when the app closes, so "delete even if the revoke
 * fails" is refused for every source but the local store (docs/sources.md, docs/failure-outcomes.md).
 */
export function refuseDeleteAnywayOutsideLocal(sourceId: string | undefined, deleteIfRevokeFails: boolean) {
  if (!deleteIfRevokeFails || sourceId === undefined || sourceId === 'local') return;
  throw new AppError(
    'INVALID_ARGUMENT',
    'A token in a token source is deleted only once Zoho confirmed its revoke; nothing was revoked or deleted.',
    {
      hint: 'Delete it with revoking on and try again if Zoho does not answer, or turn revoking off to delete it without a revoke.',
    },
  );
}

/**
 * One TokenService per source: the same service code (refresh, test call, revoke then delete, clear all)
 * over that source's TokenStore. Nothing here decides anything: it only picks the store, the notes and
 * the audit wording for a source. A service is kept per source object, so its per-token single flights
 * and throttle back-offs hold for as long as the source stays open.
 */
export class SourceServices {
  private readonly services = new WeakMap<TokenSource, { service: TokenService; ctx: ServiceContext }>();

  constructor(private readonly deps: SourceServicesDeps) {}

  for(source: TokenSource): TokenService {
    return this.entry(source).service;
  }

  /** Revoke at Zoho and keep the row (the CLI's `revoke --keep`): the services' own revoke step. */
  async revokeOnly(source: TokenSource, id: string): Promise<RevokeOutcome> {
    source.assertWritable?.('revoke tokens');
    const { ctx } = this.entry(source);
    const token = await source.store.findTokenById(id);
    if (!token) throw notFound(id);
    const outcome = await revokeAtZoho(ctx, { id, userName: token.userName, token });
    ctx.onChanged('revoke');
    return outcome;
  }

  private entry(source: TokenSource) {
    let entry = this.services.get(source);
    if (!entry) {
      const id = source.descriptor.id;
      const clock = this.deps.clock ?? systemClock;
      const onChanged = (reason: string) => this.deps.onChanged?.(reason, id);
      const audit = source.audit ?? sourceAuditLog(this.deps.audit, source.descriptor);
      // Removals name the source they deleted from; a source with its own audit words (the team store)
      // keeps them.
      const place =
        source.descriptor.kind === 'local' || source.audit ? undefined : source.descriptor.displayName;
      const notes =
        source.descriptor.kind === 'local' && this.deps.localNotes
          ? this.deps.localNotes
          : new SessionTokenNotes();
      const service = new TokenService({
        store: source.store,
        zoho: this.deps.zoho,
        audit,
        notes,
        clipboard: this.deps.clipboard,
        clock,
        onChanged,
        place,
      });
      // The same parts TokenService builds for itself, for the one step it does not offer alone.
      const trail = new AuditTrail(audit, () => clock.now());
      const ctx: ServiceContext = {
        store: source.store,
        zoho: this.deps.zoho,
        audit: trail,
        notes,
        clock,
        pending: new PendingRevokes(
          { zoho: this.deps.zoho, store: source.store, audit: trail, clock, timer: systemTimer, onChanged },
          new MemoryPendingRevokeStore(),
        ),
        locks: new KeyedMutex(),
        onChanged,
        place,
      };
      entry = { service, ctx };
      this.services.set(source, entry);
    }
    return entry;
  }
}
