import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { useEffect, useRef, useState } from 'react';
import type { TokenJobOutcome, TokenJobResult } from '../../../shared/ipc/token-jobs';
import type { DeleteResult } from '../../../shared/ipc/views';
import { useIpcMutation } from '../../api/hooks';
import { InlineError } from '../../components/InlineError';
import { SafeText } from '../../components/SafeText';
import { Spinner } from '../../components/Spinner';
import { downloadText } from '../../lib/download';
import { describeDeleteResult, withWarnings } from './revoke-outcome';
import { jobSummary, reportFileName, sortJobOutcomes } from './token-job-words';

const OUTCOME_CLASS: Readonly<Record<TokenJobOutcome['state'], string>> = {
  done: 'revoked',
  failed: 'failed',
  kept: 'failed',
  skipped: 'skipped',
  cancelled: 'skipped',
};

/**
 * What a job did, one line per token, in main's words (so the CSV says the same). A delete that kept a
 * token because its revoke failed offers Retry, as Clear all's report does (docs/failure-outcomes.md).
 */
export function TokenJobReport({
  result,
  onClose,
  onShowAttention,
}: {
  result: TokenJobResult;
  onClose: () => void;
  onShowAttention: () => void;
}) {
  const retry = useIpcMutation('deleteToken');
  const [retried, setRetried] = useState<ReadonlyMap<string, DeleteResult>>(new Map());
  const retryOne = async (id: string) => {
    try {
      const answer = await retry.mutateAsync({ id, revoke: true, deleteIfRevokeFails: false });
      setRetried((old) => new Map(old).set(id, answer));
    } catch {
      // Shown inline from `retry.error`.
    }
  };
  // The report replaces the progress and its Cancel button: focus moves to Done, not to the page body.
  const done = useRef<HTMLButtonElement>(null);
  useEffect(() => done.current?.focus(), []);
  const attention = result.outcomes.some((o) => o.needsAttention && !retried.get(o.id)?.deleted);
  return (
    <div data-testid="token-job-report">
      <AlertDialog.Description asChild>
        <p className="summary">
          {jobSummary(result).map((part, i) => (
            <span key={part.label}>
              {i > 0 && ' · '}
              <strong className={part.danger ? 'danger-text' : undefined}>{part.count}</strong> {part.label}
            </span>
          ))}
        </p>
      </AlertDialog.Description>
      {result.warnings.length > 0 && (
        <p className="warn-text">{withWarnings('Done as listed.', result.warnings)}</p>
      )}
      <ul className="outcomes" aria-label="Per-token outcome">
        {sortJobOutcomes(result.outcomes).map((o) => {
          const again = retried.get(o.id);
          const said = again ? describeDeleteResult(again) : null;
          return (
            <li
              key={o.id}
              className={`outcome outcome--${again ? (again.deleted ? 'revoked' : 'failed') : OUTCOME_CLASS[o.state]}`}
              data-testid="token-job-outcome"
              data-state={o.state}
            >
              <span className="outcome__who">
                {o.userName !== null ? <SafeText value={o.userName} max={80} /> : o.id}
              </span>
              <span className="outcome__state">{said ? said.title : o.label}</span>
              {(said?.detail ?? o.detail) && <span className="outcome__why">{said?.detail ?? o.detail}</span>}
              {o.state === 'kept' && !again?.deleted && (
                <button
                  type="button"
                  className="btn"
                  disabled={retry.isPending}
                  onClick={() => void retryOne(o.id)}
                  aria-label={`Retry revoke and delete of ${o.userName ?? o.id}`}
                  data-testid="token-job-retry"
                >
                  {retry.isPending && retry.variables?.id === o.id ? <Spinner label="Revoking…" /> : 'Retry'}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <InlineError error={retry.error} title="The retry did not run" />
      <div className="dialog__actions">
        <button
          type="button"
          className="btn"
          onClick={() => downloadText(reportFileName(result.action, result.finishedAt), result.csv)}
          data-testid="token-job-download"
        >
          Download report (CSV)
        </button>
        {attention && (
          <button
            type="button"
            className="btn"
            onClick={onShowAttention}
            data-testid="token-job-show-attention"
          >
            Show tokens needing attention
          </button>
        )}
        <AlertDialog.Action ref={done} className="btn btn--primary" onClick={onClose}>
          Done
        </AlertDialog.Action>
      </div>
    </div>
  );
}
