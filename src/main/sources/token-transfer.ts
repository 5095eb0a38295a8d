import type { AuditLog } from '../audit/audit-log';
import { AppError, type AppErrorOptions } from '../errors';
import type { OAuthToken } from '../store/oauth-token';
import { copyToken } from '../store/token-matching';
import { consoleUserName } from '../tokens/user-name';
import { sameSdkUser } from './sdk-user-name';
import type { TokenSource } from './token-source';

export interface TransferRequest {
  readonly from: TokenSource;
  readonly to: TokenSource;
  /** The tokens to copy; absent: every readable token of `from`. */
  readonly ids?: readonly string[];
  /** Delete each token from `from` once its copy is committed to `to` and read back intact. */
  readonly move?: boolean;
  /**
   * The person typed the confirmation that secrets may be written where they sit in plaintext. Required
   * when `to` is plaintext at rest; the transfer is refused before anything is written otherwise.
   */
  readonly plaintextConfirmed?: boolean;
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void;
}

export interface TransferOutcome {
  /** The token's id in `from`. */
  readonly id: string;
  readonly userName: string | null;
  readonly state: 'copied' | 'moved' | 'failed';
  /** Its id in `to`, once written. */
  readonly newId: string | null;
  /** What went wrong, in words, for a failure (or a copy whose source row could not be deleted). */
  readonly message: string | null;
}

export interface TransferResult {
  readonly outcomes: readonly TransferOutcome[];
  readonly copied: number;
  readonly moved: number;
  readonly failed: number;
}

export class TransferError extends AppError {
  declare readonly code: 'SAME_SOURCE' | 'CONFIRMATION_REQUIRED';

  constructor(code: 'SAME_SOURCE' | 'CONFIRMATION_REQUIRED', message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'TransferError';
  }
}

const SECRET_FIELDS = ['clientId', 'clientSecret', 'refreshToken', 'accessToken', 'grantToken'] as const;

function messageOf(error: unknown): string {
  return error instanceof AppError ? error.message : 'An unexpected error stopped this token.';
}

/**
 * Import (into the local store) and export (out of it), one token at a time with an outcome each: a copy
 * is saved under the destination's own matching rules (the same user is updated, not doubled), then read
 * back and compared; only then, for a move, is the original deleted. A failure stops that token only.
 */
export async function transferTokens(request: TransferRequest, audit: AuditLog): Promise<TransferResult> {
  const { from, to } = request;
  if (from.descriptor.id === to.descriptor.id) {
    throw new TransferError('SAME_SOURCE', 'The tokens are already in that source.');
  }
  if (to.descriptor.plaintextAtRest && request.plaintextConfirmed !== true) {
    throw new TransferError(
      'CONFIRMATION_REQUIRED',
      `${to.descriptor.displayName} keeps secrets in plaintext; nothing was copied.`,
      { hint: 'Confirm that the secrets may be written there in plaintext.' },
    );
  }
  // Refused before the first copy, so a read-only destination or origin is one plain answer, not N failures.
  to.assertWritable?.('add tokens');
  // A read-only team member copies no secret out of the team store (docs/team-store.md "Read-only").
  from.assertWritable?.(request.move ? 'delete tokens' : 'copy its tokens');
  const entries = await from.store.listEntries();
  const wanted = request.ids ? new Set(request.ids) : null;
  const chosen = wanted ? entries.filter((e) => wanted.has(e.ok ? (e.token.id ?? '') : e.id)) : entries;
  const outcomes: TransferOutcome[] = [];
  const found = new Set(chosen.map((e) => (e.ok ? (e.token.id ?? '') : e.id)));
  for (const id of request.ids ?? []) {
    if (!found.has(id)) {
      outcomes.push({
        id,
        userName: null,
        state: 'failed',
        newId: null,
        message: `There is no token ${id} in ${from.descriptor.displayName}.`,
      });
    }
  }
  const total = chosen.length + outcomes.length;
  request.onProgress?.({ done: outcomes.length, total });
  const action = to.descriptor.kind === 'local' || from.descriptor.kind !== 'local' ? 'import' : 'export';
  const where = `from ${from.descriptor.displayName} to ${to.descriptor.displayName}`;
  const verb = request.move ? 'moved' : 'copied';
  // The audit's source field names the token source that is not the local store (the side the tokens
  // came from on an import, went to on an export); null when both are local-like.
  const external = [from, to].find((s) => s.descriptor.kind !== 'local');
  const source = external ? external.descriptor.displayName : null;

  for (let start = 0; start < chosen.length; start += BATCH) {
    const chunk = chosen.slice(start, start + BATCH);
    const readable = chunk.flatMap((e) => (e.ok ? [e.token] : []));
    const copies = readable.map(copyFor);
    // One transaction for the chunk where the destination offers it; else (or if it failed) one by one.
    const batchSaved = await saveBatch(to, copies);
    let next = 0;
    for (const entry of chunk) {
      if (!entry.ok) {
        outcomes.push({
          id: entry.id,
          userName: consoleUserName(entry.userName),
          state: 'failed',
          newId: null,
          message: entry.error.message,
        });
        continue;
      }
      const copy = copies[next++]!;
      const original = entry.token;
      const outcome = await transferOne(request, original, copy, batchSaved).catch(
        (error: unknown): TransferOutcome => ({
          id: original.id ?? '',
          userName: consoleUserName(original.userName),
          state: 'failed',
          newId: null,
          message: messageOf(error),
        }),
      );
      outcomes.push(outcome);
      if (outcome.state === 'failed' || outcome.message) {
        audit.record({
          action,
          source,
          outcome: outcome.state === 'failed' ? 'failure' : 'success',
          tokenId: outcome.id,
          userName: original.userName,
          detail: `${outcome.state === 'failed' ? `Not ${verb}` : 'Copied'} ${where}: ${outcome.message}`,
        });
      }
    }
    request.onProgress?.({ done: outcomes.length, total });
  }
  const result = {
    outcomes,
    copied: outcomes.filter((o) => o.state === 'copied').length,
    moved: outcomes.filter((o) => o.state === 'moved').length,
    failed: outcomes.filter((o) => o.state === 'failed').length,
  };
  // One row for the whole transfer (an import of 10,000 tokens is one action), plus one per failure above.
  const done = outcomes.filter((o) => o.state !== 'failed');
  const listed = done
    .slice(0, 20)
    .map((o) => `${o.id}→${o.newId}`)
    .join(', ');
  audit.record({
    action,
    source,
    // Some copied and some not: the transfer did part of what was asked.
    outcome: result.failed === 0 ? 'success' : done.length > 0 ? 'partial' : 'failure',
    tokenId: done.length === 1 ? (done[0]?.id ?? null) : null,
    userName: null,
    detail: `${result.copied + result.moved} token(s) ${verb} ${where}${result.failed > 0 ? `; ${result.failed} failed` : ''}${listed ? ` (ids ${listed}${done.length > 20 ? ', …' : ''})` : ''}.`,
  });
  return result;
}

/** Tokens per destination transaction: one commit per chunk instead of one per token. */
const BATCH = 500;

interface BatchSavingStore {
  saveTokens(tokens: readonly OAuthToken[]): Promise<void>;
}

function hasBatchSave(store: object): store is BatchSavingStore {
  return typeof (store as Partial<BatchSavingStore>).saveTokens === 'function';
}

async function saveBatch(to: TokenSource, copies: OAuthToken[]): Promise<boolean> {
  if (copies.length === 0 || !hasBatchSave(to.store)) return false;
  try {
    await to.store.saveTokens(copies);
    return true;
  } catch {
    // All or nothing: none was saved; each is tried on its own, so the failing one is named.
    for (const copy of copies) copy.id = null;
    return false;
  }
}

/** The token as it is written to the destination: no id or timestamps of the source. */
function copyFor(original: OAuthToken): OAuthToken {
  const copy = copyToken(original);
  copy.id = null;
  copy.createdAt = null;
  copy.updatedAt = null;
  return copy;
}

async function transferOne(
  request: TransferRequest,
  original: OAuthToken,
  copy: OAuthToken,
  saved: boolean,
): Promise<TransferOutcome> {
  const id = original.id ?? '';
  const userName = consoleUserName(original.userName);
  if (!saved) await request.to.store.saveToken(copy);
  const newId = copy.id;
  const written = newId ? await request.to.store.findTokenById(newId) : null;
  const intact =
    written !== null &&
    SECRET_FIELDS.every((f) => original[f] === null || written[f] === original[f]) &&
    (original.userName === null || sameSdkUser(written.userName, original.userName));
  if (!intact) {
    return {
      id,
      userName,
      state: 'failed',
      newId,
      message: 'The copy did not read back as written, so the original was left in place.',
    };
  }
  if (!request.move) return { id, userName, state: 'copied', newId, message: null };
  try {
    await request.from.store.deleteToken(id);
  } catch (error) {
    return {
      id,
      userName,
      state: 'copied',
      newId,
      message: `Copied, but not removed from the source: ${messageOf(error)}`,
    };
  }
  return { id, userName, state: 'moved', newId, message: null };
}
