import { randomUUID } from 'node:crypto';
import type { PendingRevokeView, RevokeOutcome } from '../../shared/ipc/views';
import type { AuditTrail } from '../audit/audit-trail';
import type { Clock, ScheduleTimer } from '../common/clock';
import { maskSecret } from '../common/mask';
import { errorCodeOf } from '../errors';
import { createLogger } from '../log';
import { emptyToken, type OAuthToken } from '../store/oauth-token';
import type { TokenStore } from '../store/token-store';
import type { ZohoFor } from '../zoho';
import type { PendingRevokeRecord, PendingRevokeStore } from './pending-revoke-store';
import { askZohoToRevoke, revokeWords } from './revoke-call';
import { consoleUserName } from './user-name';
import { describeWriteFailure } from './write-failure';

const log = createLogger('service.pending-revokes');

/** First automatic retry after a failed revoke; each later one waits twice as long, up to the cap. */
export const PENDING_RETRY_FIRST_MS = 30_000;
export const PENDING_RETRY_MAX_MS = 60 * 60_000;

export function retryDelay(attempts: number): number {
  return Math.min(PENDING_RETRY_FIRST_MS * 2 ** Math.max(0, attempts - 1), PENDING_RETRY_MAX_MS);
}

/** Where a token waiting for its revoke is kept. */
export interface HeldRevoke {
  readonly id: string;
  /** False when the database refused the record: it is then kept in memory, and the user is told. */
  readonly onDisk: boolean;
  /** Why it is not on disk, in words (null when it is). */
  readonly diskProblem: string | null;
}

export interface PendingRevokesDeps {
  readonly zoho: ZohoFor;
  /** To tell a record made stale by a crash (a row still holds its token) from a real one. */
  readonly store: TokenStore;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly timer: ScheduleTimer;
  readonly onChanged: (reason: string) => void;
}

/**
 * Refresh tokens that may still work at Zoho and that no token row holds any more: never forgotten
 * (docs/failure-outcomes.md). Each is written (sealed) to the store before the step that would drop it,
 * retried with a growing delay, listed for the user with a retry, and removed only when Zoho confirms
 * the token dead ("revoked", or "invalid token": already dead). When the database refuses the record
 * (disk full), it is kept in memory for as long as the app runs, and the user is told so.
 *
 * An operation that holds a record is its owner until it calls `settle` or `release`: the background
 * retry leaves it alone meanwhile (the token may still be in its row at that moment).
 */
export class PendingRevokes {
  private readonly inMemory = new Map<string, PendingRevokeRecord>();
  private readonly owned = new Set<string>();
  private cancelTimer: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly deps: PendingRevokesDeps,
    private readonly durable: PendingRevokeStore,
  ) {}

  /** Keeps `token`'s refresh token until Zoho confirms it dead; the caller owns it until it settles. */
  hold(token: OAuthToken, reason: string): HeldRevoke {
    const record: Omit<PendingRevokeRecord, 'id'> = {
      tokenId: token.id,
      userName: token.userName,
      clientId: token.clientId,
      dataCenter: token.dataCenter,
      environment: token.environment,
      apiDomain: token.apiDomain,
      reason,
      createdAt: this.deps.clock.now(),
      attempts: 0,
      lastAttemptAt: null,
      nextAttemptAt: null,
      lastError: null,
      refreshToken: token.refreshToken,
      clientSecret: token.clientSecret,
    };
    try {
      const id = this.durable.add(record);
      this.owned.add(id);
      return { id, onDisk: true, diskProblem: null };
    } catch (error) {
      const id = `memory-${randomUUID()}`;
      this.inMemory.set(id, { ...record, id });
      this.owned.add(id);
      log.warn('Pending revoke kept in memory only', { errorCode: errorCodeOf(error) });
      return { id, onDisk: false, diskProblem: describeWriteFailure(error) };
    }
  }

  /** The holder no longer needs the record (the token went back into a row, or was never at risk). */
  release(id: string): void {
    this.owned.delete(id);
    this.drop(id);
  }

  /**
   * The holder's revoke attempt ended with `outcome`: a confirmed death removes the record, a failure
   * schedules the next automatic attempt. Either way the record is no longer owned by the holder.
   */
  settle(id: string, outcome: RevokeOutcome): void {
    this.owned.delete(id);
    if (outcome.state !== 'failed') {
      this.drop(id);
      return;
    }
    const record = this.find(id);
    if (record) this.noteAttempt(record, outcome.message);
    this.schedule();
  }

  /** Every record, oldest first, as the user sees it (no secret). */
  list(): PendingRevokeView[] {
    return this.records().map((r) => ({
      id: r.id,
      tokenId: r.tokenId,
      userName: consoleUserName(r.userName),
      clientId: r.clientId,
      dataCenter: r.dataCenter,
      environment: r.environment,
      reason: r.reason,
      createdAt: r.createdAt,
      attempts: r.attempts,
      lastAttemptAt: r.lastAttemptAt,
      nextAttemptAt: r.nextAttemptAt,
      lastError:
        r.refreshToken === null
          ? 'Its sealed refresh token cannot be read, so it cannot be revoked from here.'
          : r.lastError,
      refreshTokenPreview: maskSecret(r.refreshToken),
      onDisk: !this.inMemory.has(r.id),
    }));
  }

  /** Whether `refreshToken` waits here for its revoke (on disk or in memory). */
  holds(refreshToken: string): boolean {
    return this.records().some((r) => r.refreshToken === refreshToken);
  }

  get count(): number {
    return this.records().length;
  }

  /** Asks Zoho now (the user's "Retry"); returns what Zoho answered. */
  async retry(id: string): Promise<{ id: string; revoke: RevokeOutcome; resolved: boolean }> {
    const record = this.find(id);
    if (!record) return { id, revoke: { state: 'already-dead' }, resolved: true };
    if (this.owned.has(id)) {
      const message = 'TokenDesk is revoking this token right now; wait for that answer.';
      return { id, revoke: { state: 'failed', code: 'IN_PROGRESS', message }, resolved: false };
    }
    const revoke = await this.attempt(record);
    this.schedule();
    // Resolved when the record is gone: Zoho confirmed, or (a demo token whose simulator ended) nothing is left to ask.
    return { id, revoke, resolved: this.find(id) === undefined };
  }

  /** Tries every record that is due, one at a time; then sets the timer for the next one. */
  async retryDue(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        const now = this.deps.clock.now();
        for (const record of this.records()) {
          if (this.closed) return;
          if (this.owned.has(record.id)) continue;
          if ((record.nextAttemptAt ?? 0) > now) continue;
          await this.attempt(record);
        }
      } finally {
        this.running = null;
      }
    })();
    await this.running;
    this.schedule();
  }

  /** Sets one timer for the earliest due record. */
  schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.closed) return;
    const due = this.records()
      .filter((r) => !this.owned.has(r.id) && r.refreshToken !== null)
      .map((r) => r.nextAttemptAt ?? 0);
    if (due.length === 0) return;
    const wait = Math.max(0, Math.min(...due) - this.deps.clock.now());
    this.cancelTimer = this.deps.timer(wait, () => {
      this.retryDue().catch((error: unknown) => {
        log.warn('Pending revoke retries stopped early', { errorCode: errorCodeOf(error) });
      });
    });
  }

  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private async attempt(record: PendingRevokeRecord): Promise<RevokeOutcome> {
    if (record.refreshToken === null || record.dataCenter === null || record.environment === null) {
      const message = 'Its sealed refresh token, data center or environment cannot be read.';
      this.noteAttempt(record, message);
      return { state: 'failed', code: 'UNREADABLE', message };
    }
    // A crash between keeping the record and saving the row that replaced the token can leave a record
    // whose token a row still holds: that token is in use, not pending a revoke.
    const held = await this.heldByRow(record.refreshToken);
    if (held === 'unknown') {
      // The store cannot be read (closed, or failing): neither revoke a token a row may hold, nor drop it.
      return { state: 'failed', code: 'STORAGE', message: 'The token store could not be read; try again.' };
    }
    if (held === 'held') {
      this.drop(record.id);
      return { state: 'skipped' };
    }
    this.owned.add(record.id);
    let outcome: RevokeOutcome;
    try {
      outcome = await askZohoToRevoke(this.deps.zoho, {
        dataCenter: record.dataCenter,
        environment: record.environment,
        apiDomain: record.apiDomain,
        refreshToken: record.refreshToken,
      });
    } finally {
      this.owned.delete(record.id);
    }
    // A demo token whose simulator run has ended: that simulator kept it in memory only, so nothing,
    // anywhere, can use it any more; there is nobody left to ask.
    const orphaned = outcome.state === 'failed' && outcome.code === 'DEMO_TOKEN_ORPHANED';
    this.deps.audit.record({
      action: 'revoke',
      outcome: outcome.state === 'failed' && !orphaned ? 'failure' : 'success',
      tokenId: record.tokenId,
      userName: record.userName,
      detail: `Pending revoke (${record.reason}), attempt ${record.attempts + 1}: ${
        orphaned
          ? 'the demo simulator run that issued this token has ended, and the token ended with it. Dropped.'
          : revokeWords(outcome)
      }`,
    });
    if (outcome.state === 'failed' && !orphaned) this.noteAttempt(record, outcome.message);
    else this.drop(record.id);
    this.deps.onChanged('pending-revoke');
    return outcome;
  }

  private async heldByRow(refreshToken: string): Promise<'held' | 'free' | 'unknown'> {
    try {
      return (await this.deps.store.findToken(emptyToken({ refreshToken }))) !== null ? 'held' : 'free';
    } catch {
      return 'unknown';
    }
  }

  private noteAttempt(record: PendingRevokeRecord, lastError: string): void {
    const attempts = record.attempts + 1;
    const now = this.deps.clock.now();
    const fields = { attempts, lastAttemptAt: now, nextAttemptAt: now + retryDelay(attempts), lastError };
    const kept = this.inMemory.get(record.id);
    if (kept) {
      this.inMemory.set(record.id, { ...kept, ...fields });
      return;
    }
    try {
      this.durable.update(record.id, fields);
    } catch (error) {
      // The record itself is still on disk; only its attempt count is behind.
      log.warn('Could not note a pending revoke attempt', { errorCode: errorCodeOf(error) });
    }
  }

  private drop(id: string): void {
    if (this.inMemory.delete(id)) return;
    try {
      this.durable.remove(id);
    } catch (error) {
      // Left on disk: its next attempt finds the token dead ("invalid token") and removes it then.
      log.warn('Could not remove a settled pending revoke', { errorCode: errorCodeOf(error) });
    }
  }

  private find(id: string): PendingRevokeRecord | undefined {
    return this.records().find((r) => r.id === id);
  }

  private records(): PendingRevokeRecord[] {
    let onDisk: PendingRevokeRecord[] = [];
    try {
      onDisk = this.durable.list();
    } catch (error) {
      log.warn('Could not read pending revokes', { errorCode: errorCodeOf(error) });
    }
    return [...onDisk, ...this.inMemory.values()];
  }
}
