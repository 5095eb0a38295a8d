import { AppError } from '../errors';
import type { AuditLog } from '../service/audit-log';
import { consoleUserName } from '../service/user-name';
import type { OAuthToken } from '../store/oauth-token';
import { copyToken } from '../store/token-matching';
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
  constructor(code: string, message: string, hint?: string) {
    super(code, message, hint);
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
      'Confirm that the secrets may be written there in plaintext.',
    );
  }
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

  for (const entry of chosen) {
    if (!entry.ok) {
      outcomes.push({
        id: entry.id,
        userName: consoleUserName(entry.userName),
        state: 'failed',
        newId: null,
        message: entry.error.message,
      });
      request.onProgress?.({ done: outcomes.length, total });
      continue;
    }
    const original = entry.token;
    const id = original.id ?? '';
    const userName = consoleUserName(original.userName);
    const outcome = await transferOne(request, original).catch(
      (error: unknown): TransferOutcome => ({
        id,
        userName,
        state: 'failed',
        newId: null,
        message: messageOf(error),
      }),
    );
    outcomes.push(outcome);
    audit.record({
      action,
      outcome: outcome.state === 'failed' ? 'failure' : 'success',
      tokenId: id,
      userName: original.userName,
      detail:
        outcome.state === 'failed'
          ? `Not ${request.move ? 'moved' : 'copied'} ${where}: ${outcome.message}`
          : `${outcome.state === 'moved' ? 'Moved' : 'Copied'} ${where} (id ${outcome.newId} there).${outcome.message ? ` ${outcome.message}` : ''}`,
    });
    request.onProgress?.({ done: outcomes.length, total });
  }
  return {
    outcomes,
    copied: outcomes.filter((o) => o.state === 'copied').length,
    moved: outcomes.filter((o) => o.state === 'moved').length,
    failed: outcomes.filter((o) => o.state === 'failed').length,
  };
}

async function transferOne(request: TransferRequest, original: OAuthToken): Promise<TransferOutcome> {
  const id = original.id ?? '';
  const userName = consoleUserName(original.userName);
  const copy = copyToken(original);
  copy.id = null;
  copy.createdAt = null;
  copy.updatedAt = null;
  await request.to.store.saveToken(copy);
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
