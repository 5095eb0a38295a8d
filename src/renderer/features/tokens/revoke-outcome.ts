import type { DeleteResult, RevokeOutcome } from '../../../shared/ipc/views';
import { knownHint, normaliseCode } from '../../api/error-messages';

/**
 * One sentence for what happened at Zoho and locally. The wording never says "revoked" unless Zoho
 * confirmed it (DESIGN.md: a failed revoke is reported, never hidden).
 */
export function describeDeleteResult(result: DeleteResult): {
  tone: 'success' | 'error';
  title: string;
  detail: string;
} {
  const r = result.revoke;
  if (r.state === 'revoked') {
    return result.deleted
      ? {
          tone: 'success',
          title: 'Revoked at Zoho and deleted',
          detail: 'Zoho confirmed the revoke; the token is gone from TokenDesk.',
        }
      : {
          tone: 'error',
          title: 'Revoked at Zoho, but not deleted here',
          detail: 'The stored copy is now useless; delete it again.',
        };
  }
  if (r.state === 'skipped') {
    return {
      tone: 'success',
      title: 'Deleted from TokenDesk (not revoked at Zoho)',
      detail: 'The refresh token may still work at Zoho until it is revoked there.',
    };
  }
  return result.deleted
    ? {
        tone: 'error',
        title: 'Deleted locally, but NOT revoked at Zoho',
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
    .replace(/^\s*revoke failed:\s*/i, '')
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
  if (result.revoke.state === 'revoked') {
    // Main chose to revoke after all (not what the renderer asks for, but never report less than happened).
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
  const rank = { failed: 0, skipped: 1, revoked: 2 } as const;
  return [...results].sort((a, b) => rank[a.revoke.state] - rank[b.revoke.state]);
}
