import type { AuditOutcome, RevokeOutcome } from '../../shared/ipc/views';

/**
 * What a delete or a Clear all did, as one audit row: the outcome is "success" only when everything the
 * user asked for happened; "partial" when some of it did (its detail opens with "Partly done:" and says
 * what did and did not happen), so nobody has to decode "revoke: skipped" or a red badge on a Clear all
 * that deleted every token; "failure" when nothing was (docs/failure-outcomes.md).
 */
export interface AuditWords {
  readonly outcome: AuditOutcome;
  readonly detail: string;
}

/** Where this computer's store keeps its tokens, in the words below; a token source is named by its name. */
export const THIS_COMPUTER = 'this computer';

/**
 * A delete whose row is gone; `revokeAsked` is the user's choice, `revoke` Zoho's answer to it, `place`
 * where the row was (a token source's name; this computer by default).
 */
export function deletedWords(
  why: string,
  revokeAsked: boolean,
  revoke: RevokeOutcome,
  keptAsPending: boolean,
  place: string = THIS_COMPUTER,
): AuditWords {
  const where = why === 'delete' ? '' : ` (${why})`;
  switch (revoke.state) {
    case 'revoked':
      return { outcome: 'success', detail: `Revoked at Zoho and deleted from ${place}${where}.` };
    case 'already-dead':
      return {
        outcome: 'success',
        detail: `Deleted from ${place}${where}; Zoho had already cut this token's access (it answered "invalid token").`,
      };
    case 'skipped':
      return {
        outcome: 'success',
        detail: revokeAsked
          ? `Deleted from ${place}${where}; nothing to revoke at Zoho (no refresh token or no data center, or the demo run that issued it has ended).`
          : `Deleted from ${place} only${where}; not revoked at Zoho, as chosen: the refresh token keeps working there until it is revoked.`,
      };
    case 'failed':
      return {
        outcome: 'partial',
        detail: `Partly done: deleted from ${place}${where}, but Zoho did not revoke it (${revoke.message.replace(/\.$/, '')}). ${
          keptAsPending
            ? 'Its refresh token is kept as a pending revoke and retried until Zoho confirms it dead.'
            : 'No copy of its refresh token was kept.'
        }`,
      };
  }
}

export interface ClearTally {
  readonly total: number;
  readonly revokeAsked: boolean;
  readonly deleted: number;
  /** Rows kept because Zoho did not confirm their revoke and deleting anyway was not asked for. */
  readonly keptRevokeFailed: number;
  /** Rows deleted although their revoke failed (the user asked to delete anyway). */
  readonly deletedRevokeFailed: number;
  /** Of those, the ones whose refresh token waits as a pending revoke (an unreadable row has none). */
  readonly pending: number;
}

const tokens = (n: number) => `${n} ${n === 1 ? 'token' : 'tokens'}`;

export function clearWords(t: ClearTally, place: string = THIS_COMPUTER): AuditWords {
  const kept = t.total - t.deleted;
  if (kept === 0 && t.deletedRevokeFailed === 0) {
    const all = t.total === 1 ? 'the only token' : `all ${tokens(t.total)}`;
    return {
      outcome: 'success',
      detail: t.revokeAsked
        ? `Clear all: ${all} revoked at Zoho (or already cut there) and deleted from ${place}.`
        : `Clear all: ${all} deleted from ${place}, not revoked at Zoho, as chosen.`,
    };
  }
  const parts = [`${t.deleted} of ${tokens(t.total)} deleted from ${place}`];
  if (t.keptRevokeFailed > 0) {
    const n = t.keptRevokeFailed;
    parts.push(
      `${n} kept because Zoho did not revoke ${n === 1 ? 'it' : 'them'} (retry from the token list)`,
    );
  }
  const deleteFailed = kept - t.keptRevokeFailed;
  if (deleteFailed > 0) parts.push(`${deleteFailed} could not be deleted (see their delete rows)`);
  if (t.deletedRevokeFailed > 0) {
    const n = t.deletedRevokeFailed;
    const pending = t.pending > 0 ? ` (${t.pending} kept as pending revokes and retried)` : '';
    parts.push(`${n} deleted although Zoho did not revoke ${n === 1 ? 'it' : 'them'}${pending}`);
  }
  // Nothing deleted is a failure (whatever Zoho answered); some deleted, a part of what was asked.
  return t.deleted > 0
    ? { outcome: 'partial', detail: `Clear all, partly done: ${parts.join('; ')}.` }
    : { outcome: 'failure', detail: `Clear all deleted nothing: ${parts.join('; ')}.` };
}
