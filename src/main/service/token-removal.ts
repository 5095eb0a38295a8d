import type { ClearAllResult, DeleteResult, RevokeOutcome } from '../../shared/ipc/views';
import type { OAuthToken } from '../store/oauth-token';
import type { TokenEntry } from '../store/token-store';
import { errorCodeOf, notFound, ServiceError, safeMessageOf } from './errors';
import type { ServiceContext } from './service-context';
import { mapWithConcurrency } from './single-flight';
import { consoleUserName } from './user-name';
import { explainZoho } from './zoho-explain';

export interface DeleteOptions {
  readonly revoke: boolean;
  /** When the revoke fails: true deletes locally anyway, false keeps the token (and reports). */
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
interface Target {
  readonly id: string;
  readonly userName: string | null;
  readonly token: OAuthToken | null;
}

function targetOf(entry: TokenEntry): Target {
  return entry.ok
    ? { id: entry.token.id ?? '', userName: entry.token.userName, token: entry.token }
    : { id: entry.id, userName: entry.userName, token: null };
}

/** Revoke at Zoho (revoking the refresh token also kills its access tokens), reporting, never hiding, a failure. */
export async function revokeAtZoho(ctx: ServiceContext, target: Target): Promise<RevokeOutcome> {
  const token = target.token;
  const record = (outcome: 'success' | 'failure', detail: string) =>
    ctx.audit.record({ action: 'revoke', outcome, tokenId: target.id, userName: target.userName, detail });
  if (!token) {
    const message = 'The stored row is unreadable, so its refresh token cannot be revoked.';
    record('failure', message);
    return { state: 'failed', code: 'UNREADABLE', message };
  }
  if (!token.refreshToken || !token.dataCenter || !token.environment) {
    record('success', 'Nothing to revoke at Zoho: the token has no refresh token or no data center.');
    return { state: 'skipped' };
  }
  try {
    await ctx.zoho.revoke({
      dataCenter: token.dataCenter,
      environment: token.environment,
      apiDomain: token.apiDomain,
      refreshToken: token.refreshToken,
    });
    record('success', 'Refresh token revoked at Zoho (its access tokens die with it).');
    return { state: 'revoked' };
  } catch (error) {
    const code = errorCodeOf(error) ?? 'REVOKE_FAILED';
    const message = explainZoho(code, safeMessageOf(error, 'Zoho did not confirm the revoke.'));
    record('failure', `Revoke failed: ${message}`);
    return { state: 'failed', code, message: `Revoke failed: ${message}` };
  }
}

async function removeLocally(ctx: ServiceContext, target: Target, revoke: RevokeOutcome, why: string) {
  await ctx.store.deleteToken(target.id);
  ctx.notes.delete(target.id);
  ctx.audit.record({
    action: 'delete',
    outcome: 'success',
    tokenId: target.id,
    userName: target.userName,
    detail: `Deleted from this computer (${why}; revoke: ${revoke.state}).`,
  });
}

/** One row by id; an unreadable row (which findTokenById refuses) is found through listEntries. */
async function findTarget(ctx: ServiceContext, id: string): Promise<Target> {
  try {
    const token = await ctx.store.findTokenById(id);
    if (token) return { id, userName: token.userName, token };
  } catch (error) {
    if (errorCodeOf(error) !== 'UNREADABLE_ROW') throw error;
  }
  const entry = (await ctx.store.listEntries()).find((e) => (e.ok ? e.token.id : e.id) === id);
  if (!entry) throw notFound(id);
  return targetOf(entry);
}

async function deleteTarget(
  ctx: ServiceContext,
  target: Target,
  options: DeleteOptions,
  why: string,
): Promise<DeleteResult> {
  const revoke: RevokeOutcome = options.revoke ? await revokeAtZoho(ctx, target) : { state: 'skipped' };
  const deleted = revoke.state !== 'failed' || options.deleteIfRevokeFails;
  if (deleted) await removeLocally(ctx, target, revoke, why);
  else {
    ctx.audit.record({
      action: 'delete',
      outcome: 'failure',
      tokenId: target.id,
      userName: target.userName,
      detail: 'Kept on this computer because the revoke failed and deleting anyway was not asked for.',
    });
  }
  return { id: target.id, revoke, deleted };
}

export async function deleteOne(
  ctx: ServiceContext,
  id: string,
  options: DeleteOptions,
): Promise<DeleteResult> {
  const result = await deleteTarget(ctx, await findTarget(ctx, id), options, 'delete');
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
      'The list changed since you confirmed. Review it and try again.',
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
      const result = await deleteTarget(ctx, target, options, 'clear all');
      done += 1;
      report();
      // The renderer lists outcomes by the email, also for a row the SDK named `<email>:<org id>`.
      return { ...result, userName: consoleUserName(target.userName) };
    },
  );
  const deletedCount = results.filter((r) => r.deleted).length;
  const revokeFailedCount = results.filter((r) => r.revoke.state === 'failed').length;
  ctx.audit.record({
    action: 'clear',
    outcome: revokeFailedCount === 0 ? 'success' : 'failure',
    detail: `Clear all: ${deletedCount} of ${total} deleted${options.revoke ? `, ${revokeFailedCount} revoke(s) failed` : ', without revoking'}.`,
  });
  ctx.onChanged('clear');
  return { results, deletedCount, revokeFailedCount };
}
