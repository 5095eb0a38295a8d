import type {
  TokenJobAction,
  TokenJobOutcome,
  TokenJobResult,
  TokenJobTrigger,
} from '../../shared/ipc/token-jobs';
import type { DeleteResult, TestCallResult, TokenView } from '../../shared/ipc/views';
import { toCsv } from '../common/csv';
import { errorCodeOf, safeMessageOf } from '../errors';
import { consoleUserName } from '../tokens/user-name';

/**
 * What one token's part of a job did, in the words the report, its CSV and the audit log share
 * (docs/health.md "Outcomes"). Nothing here claims more than the service returned: a delete says
 * "deleted" only when its DeleteResult does (docs/failure-outcomes.md).
 */
type Who = Pick<TokenView, 'id' | 'userName'>;

function outcome(
  who: Who,
  state: TokenJobOutcome['state'],
  label: string,
  detail: string | null,
  needsAttention: boolean,
  deleted: DeleteResult | null = null,
): TokenJobOutcome {
  return {
    id: who.id,
    userName: consoleUserName(who.userName),
    state,
    label,
    detail,
    needsAttention,
    delete: deleted,
  };
}

export function skipped(who: Who, why: string, needsAttention: boolean): TokenJobOutcome {
  return outcome(who, 'skipped', 'Skipped', why, needsAttention);
}

export function cancelledOutcome(who: Who): TokenJobOutcome {
  return outcome(who, 'cancelled', 'Not done: cancelled', 'The job was cancelled before its turn.', false);
}

/** A token deleted (or never there) before its turn: nothing was done to it by this job. */
export function goneOutcome(who: Who): TokenJobOutcome {
  return skipped(who, 'No longer stored: it was deleted meanwhile.', false);
}

export function testOutcome(who: Who, result: TestCallResult): TokenJobOutcome {
  const refreshed = result.refreshed ? '; the access token was refreshed first' : '';
  if (result.ok) {
    const whom = [result.userEmail, result.orgName].filter((s) => s !== null).join(', ');
    return outcome(
      who,
      'done',
      'CRM call worked',
      `HTTP ${result.httpStatus}${whom ? ` (${whom})` : ''}${refreshed}.`,
      false,
    );
  }
  const status = result.httpStatus === null ? 'no HTTP answer' : `HTTP ${result.httpStatus}`;
  return outcome(
    who,
    'failed',
    result.errorCode === 'REAUTH_REQUIRED' ? 'Needs re-authorisation' : 'CRM call failed',
    `${status}: ${result.message ?? result.errorCode ?? 'unknown error'}${refreshed}`,
    true,
  );
}

export function refreshOutcome(who: Who, view: TokenView): TokenJobOutcome {
  const until = view.expiresAt === null ? '' : ` Valid until ${new Date(view.expiresAt).toISOString()}.`;
  return outcome(who, 'done', 'Refreshed', `A new access token was saved.${until}`, false);
}

/** A test or refresh that threw: its code decides whether the token now needs a person. */
export function failedOutcome(who: Who, label: string, error: unknown): TokenJobOutcome {
  const code = errorCodeOf(error);
  if (code === 'NOT_FOUND') return goneOutcome(who);
  const hint = (error as { hint?: unknown } | null)?.hint;
  const words = safeMessageOf(error, 'It failed for an unexpected reason.');
  const detail = typeof hint === 'string' && hint !== '' ? `${words} ${hint}` : words;
  return outcome(
    who,
    'failed',
    code === 'REAUTH_REQUIRED' ? 'Needs re-authorisation' : label,
    detail,
    code === 'REAUTH_REQUIRED',
  );
}

export function deleteOutcome(who: Who, result: DeleteResult, revokeAsked: boolean): TokenJobOutcome {
  const { revoke } = result;
  if (!result.deleted) {
    if (result.deleteError) {
      return outcome(
        who,
        'failed',
        'Not deleted',
        `Not deleted from this computer: ${result.deleteError}.`,
        true,
        result,
      );
    }
    // The only case where a delete keeps the row: the revoke failed and deleting anyway was not asked for.
    const why = revoke.state === 'failed' ? revoke.message : 'Kept.';
    return outcome(who, 'kept', 'Revoke failed, kept: retry', why, true, result);
  }
  switch (revoke.state) {
    case 'revoked':
      return outcome(who, 'done', 'Revoked at Zoho, deleted', null, false, result);
    case 'already-dead':
      return outcome(
        who,
        'done',
        'Access already cut at Zoho, deleted',
        'Zoho answered "invalid token": it was revoked elsewhere, replaced or evicted.',
        false,
        result,
      );
    case 'skipped':
      return outcome(
        who,
        'done',
        revokeAsked ? 'Deleted (nothing to revoke)' : 'Deleted here only, not revoked',
        revokeAsked
          ? 'No refresh token or no data center to revoke with, or its demo run has ended.'
          : 'Not revoked at Zoho, as chosen: the refresh token keeps working there until revoked.',
        false,
        result,
      );
    case 'failed':
      return outcome(
        who,
        'done',
        'Deleted; revoke pending',
        `${revoke.message} It waits under Pending revokes and is retried until Zoho confirms it dead.`,
        false,
        result,
      );
  }
}

export function countOutcomes(outcomes: readonly TokenJobOutcome[]): TokenJobResult['counts'] {
  const counts = { done: 0, failed: 0, kept: 0, skipped: 0, cancelled: 0 };
  for (const o of outcomes) counts[o.state] += 1;
  return counts;
}

const ACTION_NAMES: Readonly<Record<TokenJobAction, string>> = {
  check: 'Check all',
  test: 'Test',
  refresh: 'Refresh',
  delete: 'Delete',
};

/** The report as CSV: who, what, and what happened; the formula guard is toCsv's. */
export function outcomesCsv(action: TokenJobAction, outcomes: readonly TokenJobOutcome[]): string {
  return toCsv(
    ['user', 'token_id', 'action', 'outcome', 'result', 'detail'],
    outcomes.map((o) => [o.userName, o.id, ACTION_NAMES[action], o.state, o.label, o.detail]),
  );
}

/** The job's one audit row (each token's own rows are written by the service as it acts). */
export function jobAuditWords(
  action: TokenJobAction,
  trigger: TokenJobTrigger,
  counts: TokenJobResult['counts'],
  cancelled: boolean,
): { outcome: 'success' | 'failure'; detail: string } {
  const total = counts.done + counts.failed + counts.kept + counts.skipped + counts.cancelled;
  const name = `${ACTION_NAMES[action]}${trigger === 'schedule' ? ' (scheduled)' : ''}`;
  const scope = action === 'check' ? `${total} tokens` : `${total} selected tokens`;
  const parts = [
    `${counts.done} done`,
    `${counts.failed} failed`,
    ...(counts.kept > 0 ? [`${counts.kept} kept because the revoke failed`] : []),
    `${counts.skipped} skipped`,
    ...(counts.cancelled > 0 ? [`${counts.cancelled} not reached`] : []),
  ];
  const clean = counts.failed === 0 && counts.kept === 0 && !cancelled;
  const how = cancelled ? ', cancelled part-way' : clean ? '' : ', partly done';
  return {
    outcome: clean ? 'success' : 'failure',
    detail: `${name} of ${scope}${how}: ${parts.join(', ')}.`,
  };
}
