import type { ClearAllResult, DeleteResult, RevokeOutcome } from '../../shared/ipc/views';
import { errorCodeOf } from '../errors';
import type { OAuthToken } from '../store/oauth-token';
import type { TokenEntry } from '../store/token-store';
import { ServiceError } from './errors';
import { clearWords, deletedWords, THIS_COMPUTER } from './removal-words';
import { askZohoToRevoke, revokeWords } from './revoke-call';
import type { ServiceContext } from './service-context';
import { collect, sideWrite } from './side-write';
import { mapWithConcurrency } from './single-flight';
import { consoleUserName } from './user-name';
import { describeWriteFailure } from './write-failure';

export interface DeleteOptions {
  readonly revoke: boolean;
  /**
   * When the revoke fails: true deletes the row anyway, keeping its refresh token as a pending revoke
   * (retried until Zoho confirms it dead); false keeps the row (and reports).
   */
  readonly deleteIfRevokeFails: boolean;
}

export interface ClearAllOptions extends DeleteOptions {
  /** The count the user saw and confirmed; anything else is refused before any revoke or delete. */
  readonly expectedCount: number;
  readonly concurrency?: number;
  /** Called at the start, at most once per PROGRESS_INTERVAL_MS while running, and when all are done. */
  readonly onProgress?: (progress: { done: number; total: number }) => void;
}

export const DEFAULT_REVOKE_CONCURRENCY = 4;
/** Each progress report is an IPC event to every window: one per token would flood it at 10,000 tokens. */
export const PROGRESS_INTERVAL_MS = 100;

/** The part of a row deletion needs: readable rows carry their secrets, unreadable ones only their id. */
export interface Target {
  readonly id: string;
  readonly userName: string | null;
  readonly token: OAuthToken | null;
}

function targetOf(entry: TokenEntry): Target {
  return entry.ok
    ? { id: entry.token.id ?? '', userName: entry.token.userName, token: entry.token }
    : { id: entry.id, userName: entry.userName, token: null };
}

/**
 * Revoke at Zoho (revoking the refresh token also kills its access tokens), reporting, never hiding, a
 * failure; "invalid token" means access was already cut (revoke-call.ts). Audited; a failed audit write
 * is added to `warnings`, never thrown.
 */
export async function revokeAtZoho(
  ctx: ServiceContext,
  target: Target,
  warnings: string[] = [],
  context = '',
): Promise<RevokeOutcome> {
  const token = target.token;
  const record = (outcome: 'success' | 'failure', detail: string) =>
    collect(
      warnings,
      ctx.audit.record({
        action: 'revoke',
        outcome,
        tokenId: target.id,
        userName: target.userName,
        detail: `${context}${detail}`,
      }),
    );
  if (!token) {
    const message = 'The stored row is unreadable, so its refresh token cannot be revoked.';
    record('failure', message);
    return { state: 'failed', code: 'UNREADABLE', message };
  }
  if (!token.refreshToken || !token.dataCenter || !token.environment) {
    record('success', 'Nothing to revoke at Zoho: the token has no refresh token or no data center.');
    return { state: 'skipped' };
  }
  const outcome = await askZohoToRevoke(ctx.zoho, {
    dataCenter: token.dataCenter,
    environment: token.environment,
    apiDomain: token.apiDomain,
    refreshToken: token.refreshToken,
  });
  if (outcome.state === 'failed' && outcome.code === 'DEMO_TOKEN_ORPHANED') {
    // The simulator run that issued it has ended and kept it in memory only: nothing anywhere accepts it.
    record(
      'success',
      'Nothing to revoke: the demo simulator run that issued this token has ended, and the token ended with it.',
    );
    return { state: 'skipped' };
  }
  record(outcome.state === 'failed' ? 'failure' : 'success', revokeWords(outcome));
  return outcome;
}

/** One row by id; an unreadable row (which findTokenById refuses) is found through listEntries. */
async function findTarget(ctx: ServiceContext, id: string): Promise<Target | null> {
  try {
    const token = await ctx.store.findTokenById(id);
    if (token) return { id, userName: token.userName, token };
  } catch (error) {
    if (errorCodeOf(error) !== 'UNREADABLE_ROW') throw error;
  }
  const entry = (await ctx.store.listEntries()).find((e) => (e.ok ? e.token.id : e.id) === id);
  return entry ? targetOf(entry) : null;
}

/**
 * Revoke (when asked), then delete the row. Under the token's lock, with the row read again inside it:
 * a second delete of the same token waits, then finds it gone instead of revoking a dead token and
 * reporting "kept". The outcome is decided by Zoho's answer and the row delete; audit and notes writes
 * only add warnings.
 */
async function deleteTarget(
  ctx: ServiceContext,
  id: string,
  options: DeleteOptions,
  why: string,
): Promise<DeleteResult | null> {
  return ctx.locks.run(id, async () => {
    const target = await findTarget(ctx, id);
    if (!target) return null;
    const warnings: string[] = [];
    const revoke: RevokeOutcome = options.revoke
      ? await revokeAtZoho(ctx, target, warnings)
      : { state: 'skipped' };
    const failed = revoke.state === 'failed';
    if (failed && !options.deleteIfRevokeFails) {
      collect(
        warnings,
        ctx.audit.record({
          action: 'delete',
          outcome: 'failure',
          tokenId: target.id,
          userName: target.userName,
          detail: `Not deleted from ${ctx.place ?? THIS_COMPUTER}: the revoke failed and deleting anyway was not asked for.`,
        }),
      );
      return {
        id,
        revoke,
        deleted: false,
        pendingRevoke: false,
        deleteError: null,
        warnings,
        ...placeOf(ctx),
      };
    }
    // The row is about to go while its token may still work: keep the token first (docs/failure-outcomes.md).
    const held =
      failed && target.token?.refreshToken
        ? ctx.pending.hold(
            target.token,
            `${why === 'delete' ? 'deleted' : `deleted by ${why}`} while its revoke failed`,
          )
        : null;
    try {
      await ctx.store.deleteToken(id);
    } catch (error) {
      if (held) ctx.pending.release(held.id);
      const deleteError = describeWriteFailure(error);
      collect(
        warnings,
        ctx.audit.record({
          action: 'delete',
          outcome: 'failure',
          tokenId: target.id,
          userName: target.userName,
          detail: `Not deleted from ${ctx.place ?? THIS_COMPUTER} (${why}): ${deleteError}. ${revokeWords(revoke)}`,
        }),
      );
      return { id, revoke, deleted: false, pendingRevoke: false, deleteError, warnings, ...placeOf(ctx) };
    }
    if (held) {
      ctx.pending.settle(held.id, revoke);
      if (!held.onDisk) {
        warnings.push(
          `the refresh token waiting for its revoke could not be saved (${held.diskProblem}): TokenDesk keeps it in memory and retries while it runs`,
        );
      }
    }
    collect(
      warnings,
      sideWrite("the token's notes", () => ctx.notes.delete(id)),
    );
    collect(
      warnings,
      ctx.audit.record({
        action: 'delete',
        ...deletedWords(why, options.revoke, revoke, held !== null, ctx.place),
        tokenId: target.id,
        userName: target.userName,
      }),
    );
    return {
      id,
      revoke,
      deleted: true,
      pendingRevoke: held !== null,
      deleteError: null,
      warnings,
      ...placeOf(ctx),
    };
  });
}

export async function deleteOne(
  ctx: ServiceContext,
  id: string,
  options: DeleteOptions,
): Promise<DeleteResult> {
  const result = await deleteTarget(ctx, id, options, 'delete');
  if (!result) {
    throw new ServiceError(
      'NOT_FOUND',
      `No token with id ${id} is stored: it was deleted already, or by another action meanwhile.`,
      { hint: 'Reload the list.' },
    );
  }
  ctx.onChanged('delete');
  return result;
}

export async function clearAll(ctx: ServiceContext, options: ClearAllOptions): Promise<ClearAllResult> {
  const entries = await ctx.store.listEntries();
  if (entries.length !== options.expectedCount) {
    ctx.audit.record({
      action: 'clear',
      outcome: 'failure',
      detail: `Clear all refused: ${options.expectedCount} tokens were confirmed but ${entries.length} are stored. Nothing was revoked or deleted.`,
    });
    throw new ServiceError(
      'COUNT_MISMATCH',
      `The store now holds ${entries.length} tokens, but ${options.expectedCount} were confirmed. Nothing was revoked or deleted.`,
      { hint: 'The list changed since you confirmed. Review it and try again.' },
    );
  }
  const total = entries.length;
  let done = 0;
  let reportedAt = Number.NEGATIVE_INFINITY;
  const report = () => {
    const now = ctx.clock.now();
    if (done < total && now - reportedAt < PROGRESS_INTERVAL_MS) return;
    reportedAt = now;
    options.onProgress?.({ done, total });
  };
  report();
  const results = await mapWithConcurrency(
    entries,
    options.concurrency ?? DEFAULT_REVOKE_CONCURRENCY,
    async (entry) => {
      const target = targetOf(entry);
      const result = (await deleteTarget(ctx, target.id, options, 'Clear all')) ?? {
        // Another action deleted it between the list and now: it is gone, and this run did nothing to it.
        id: target.id,
        revoke: { state: 'skipped' as const },
        deleted: true,
        pendingRevoke: false,
        deleteError: null,
        warnings: ['it was deleted by another action meanwhile'],
        ...placeOf(ctx),
      };
      done += 1;
      report();
      // The renderer lists outcomes by the email, also for a row the SDK named `<email>:<org id>`.
      return { ...result, userName: consoleUserName(target.userName) };
    },
  );
  const deletedCount = results.filter((r) => r.deleted).length;
  const revokeFailedCount = results.filter((r) => r.revoke.state === 'failed').length;
  const warnings: string[] = [];
  collect(
    warnings,
    ctx.audit.record({
      action: 'clear',
      ...clearWords(
        {
          total,
          revokeAsked: options.revoke,
          deleted: deletedCount,
          keptRevokeFailed: results.filter((r) => !r.deleted && r.revoke.state === 'failed').length,
          deletedRevokeFailed: results.filter((r) => r.deleted && r.revoke.state === 'failed').length,
          pending: results.filter((r) => r.pendingRevoke).length,
        },
        ctx.place,
      ),
    }),
  );
  ctx.onChanged('clear');
  return { results, deletedCount, revokeFailedCount, warnings };
}

/** A token source's name on a removal's result, so the window says where the row was deleted. */
function placeOf(ctx: ServiceContext): { deletedFrom?: string } {
  return ctx.place === undefined ? {} : { deletedFrom: ctx.place };
}
