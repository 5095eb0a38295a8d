import type { DeleteResult, GrantResult, RevokeOutcome } from '../../../shared/ipc/views';
import { knownHint, normaliseCode } from '../../api/error-messages';
import { safeInline } from '../../lib/safe-text';

/**
 * One sentence for what happened at Zoho and locally. The wording never says "revoked" unless Zoho
 * confirmed it (docs/architecture.md: a failed revoke is reported, never hidden).
 */
export function describeDeleteResult(result: DeleteResult): {
  tone: 'success' | 'error';
  title: string;
  detail: string;
} {
  const said = describeDeleteOutcome(result);
  return { ...said, detail: withWarnings(said.detail, result.warnings) };
}

/**
 * A source token's revoke-then-delete in one line (Sources and Team pages): the short form when Zoho
 * revoked it and the row is gone, else the full wording of what happened (kept, not deleted, revoke failed).
 */
export function describeSourceRevoke(
  who: string,
  sourceName: string,
  result: DeleteResult,
): { tone: 'ok' | 'danger'; text: string } {
  if (result.revoke.state === 'revoked' && result.deleted) {
    return {
      tone: 'ok',
      text: withWarnings(`${who}: revoked at Zoho and deleted from ${sourceName}.`, result.warnings),
    };
  }
  const said = describeDeleteResult(result);
  return { tone: said.tone === 'success' ? 'ok' : 'danger', text: `${who}: ${said.title}. ${said.detail}` };
}

/**
 * Side-writes that failed while the operation itself was done ("the audit entry could not be written:
 * disk full"), added after what happened, never in its place.
 */
export function withWarnings(detail: string, warnings: readonly string[] | undefined): string {
  if (!warnings || warnings.length === 0) return detail;
  const [first, ...rest] = warnings.map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return `${detail} But: ${[first, ...rest].join('; ')}.`;
}

function describeDeleteOutcome(result: DeleteResult): {
  tone: 'success' | 'error';
  title: string;
  detail: string;
} {
  const r = result.revoke;
  // A token source's row was deleted from the integration's file or table, not from TokenDesk: say which.
  const from = result.deletedFrom ?? null;
  if (r.state === 'revoked' || r.state === 'already-dead') {
    const atZoho = r.state === 'revoked' ? 'Revoked at Zoho' : 'Access already cut at Zoho';
    const why =
      r.state === 'revoked'
        ? 'Zoho confirmed the revoke'
        : 'Zoho answered that it no longer knows this token (revoked elsewhere, replaced or evicted), so nothing can use it';
    return result.deleted
      ? {
          tone: 'success',
          title: from ? `${atZoho} and deleted from ${from}` : `${atZoho} and deleted`,
          detail: `${why}; the token is gone from ${from ?? 'TokenDesk'}.`,
        }
      : {
          tone: 'error',
          title: `${atZoho}, but not deleted ${from ? `from ${from}` : 'here'}`,
          detail: `${why}, but the stored copy could not be deleted${
            result.deleteError ? `: ${result.deleteError}` : ''
          }. It is useless now; delete it again.`,
        };
  }
  if (r.state === 'skipped') {
    return {
      tone: 'success',
      title: `Deleted from ${from ?? 'TokenDesk'} (not revoked at Zoho)`,
      detail: 'The refresh token may still work at Zoho until it is revoked there.',
    };
  }
  if (result.deleted && result.pendingRevoke) {
    return {
      tone: 'error',
      title: 'Deleted here; the revoke at Zoho is still pending',
      detail: `${revokeFailureLead(r)}: ${revokeReason(r)}. TokenDesk keeps the refresh token (encrypted) and retries the revoke until Zoho confirms it; see Pending revokes.`,
    };
  }
  return result.deleted
    ? {
        tone: 'error',
        title: `Deleted ${from ? `from ${from}` : 'locally'}, but NOT revoked at Zoho`,
        detail: `${revokeFailureLead(r)}: ${revokeReason(r)}. The refresh token may still work; revoke it in Zoho (Connected Apps).`,
      }
    : {
        tone: 'error',
        title: 'Zoho did not revoke this token, so nothing was deleted',
        detail: `${revokeFailureLead(r)}: ${revokeReason(r)}.`,
      };
}

const UNANSWERED: ReadonlySet<string> = new Set(['NETWORK', 'TIMEOUT', 'ZOHO_UNREACHABLE']);

/**
 * How a failed revoke began: Zoho answered and refused, or Zoho never answered (no connection, no answer
 * in time). Saying "refused" for the second would tell a person Zoho decided something it never saw.
 */
export function revokeFailureLead(r: Extract<RevokeOutcome, { state: 'failed' }>): string {
  return UNANSWERED.has(normaliseCode(r.code)) ? 'Zoho did not answer the revoke' : 'Zoho refused the revoke';
}

/** Zoho's reason without main's "Revoke failed: " lead-in or a final full stop, to sit inside a sentence. */
export function revokeReason(r: Extract<RevokeOutcome, { state: 'failed' }>): string {
  const text = r.message
    .replace(/^\s*(revoke failed|zoho did not confirm the revoke):\s*/i, '')
    .replace(/\s*the refresh token may still work at zoho\.?\s*$/i, '')
    .replace(/\.\s*$/, '')
    .trim();
  return text === '' ? r.code : text;
}

/**
 * The second step after a failed revoke: the user chose "Delete locally anyway", which sends
 * `revoke: false` (Zoho is not asked again), so main reports the revoke as skipped. The text carries the
 * earlier failure, because what happened at Zoho is "refused" (or "no answer"), not "not asked".
 */
export function describeLocalDeleteAfterFailedRevoke(
  result: DeleteResult,
  refused: Extract<RevokeOutcome, { state: 'failed' }>,
): { tone: 'success' | 'error'; title: string; detail: string } {
  if (!result.deleted) {
    return {
      tone: 'error',
      title: 'Not deleted: the token is still stored here',
      detail: `${revokeFailureLead(refused)} (${revokeReason(refused)}), and the local delete did not happen either.`,
    };
  }
  if (result.revoke.state !== 'skipped') {
    // The second try reached Zoho (revoked, already dead, or a pending revoke now): say what it answered. (not what the renderer asks for, but never report less than happened).
    return describeDeleteResult(result);
  }
  return {
    tone: 'error',
    title: 'Deleted from TokenDesk only; NOT revoked at Zoho',
    detail: `${revokeFailureLead(refused)} (${revokeReason(refused)}) and was not asked again. The refresh token may still work at Zoho: revoke it there (Zoho accounts → Connected Apps).`,
  };
}

export function revokeOutcomeLabel(r: RevokeOutcome): string {
  if (r.state === 'revoked') return 'Revoked at Zoho';
  if (r.state === 'already-dead') return 'Access already cut at Zoho';
  if (r.state === 'skipped') return 'Not revoked (skipped)';
  return 'Revoke failed';
}

/**
 * The likely fix for a failed revoke. Not the generic hint for the code: "refresh it" makes no sense
 * for a token someone is trying to get rid of.
 */
export function revokeFailureHint(r: RevokeOutcome): string | null {
  if (r.state !== 'failed') return null;
  switch (normaliseCode(r.code)) {
    case 'INVALID_TOKEN':
    case 'INVALID_CODE':
    case 'REAUTH_REQUIRED':
      return 'Zoho may already treat this token as revoked or expired. To be sure, check Connected Apps in the user’s Zoho account.';
    case 'NETWORK':
    case 'TIMEOUT':
    case 'ZOHO_UNREACHABLE':
      return 'Zoho could not be reached. Try again when online, or delete locally and revoke it in Zoho later.';
    case 'THROTTLED':
      return 'Zoho is throttling requests. Wait a few minutes and try again.';
    default:
      return knownHint(r.code);
  }
}

/** Failures first, then skipped, then revoked: the rows that need a person come first. */
export function sortOutcomes<T extends { revoke: RevokeOutcome }>(results: readonly T[]): T[] {
  const rank = { failed: 0, skipped: 1, 'already-dead': 2, revoked: 3 } as const;
  return [...results].sort((a, b) => rank[a.revoke.state] - rank[b.revoke.state]);
}

/**
 * The toast after a sign-in or re-authorisation: who was added, and when it replaced a stored token of
 * the same user and client, what Zoho answered the revoke of the old refresh token.
 */
export function describeGrantResult(
  result: GrantResult,
  verb: 'Added' | 'Re-authorised',
): { tone: 'success' | 'error'; title: string; detail: string | undefined } {
  const who = result.userName !== null ? safeInline(result.userName) : `token ${result.id}`;
  const replaced = result.replaced ?? null;
  let tone: 'success' | 'error' = 'success';
  let detail: string | undefined;
  if (replaced) {
    const r = replaced.revoke;
    if (r.state === 'revoked')
      detail = 'It replaced the stored token, and the old refresh token was revoked at Zoho.';
    else if (r.state === 'already-dead')
      detail = 'It replaced the stored token; Zoho answered that the old refresh token was already dead.';
    else if (r.state === 'failed') {
      tone = 'error';
      detail = `It replaced the stored token, but the old refresh token was NOT revoked: ${revokeReason(r)}. TokenDesk keeps it and retries the revoke until Zoho confirms it; see Pending revokes.`;
    }
  }
  const warned =
    result.warnings && result.warnings.length > 0
      ? withWarnings(detail ?? '', result.warnings).trim()
      : detail;
  return { tone, title: `${verb} ${who}`, detail: warned };
}
