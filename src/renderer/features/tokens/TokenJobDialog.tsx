import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { useEffect, useRef, useState } from 'react';
import type { TokenJobAction, TokenJobResult } from '../../../shared/ipc/token-jobs';
import { useIpcMutation, useTokenJobProgress } from '../../api/hooks';
import { InlineError } from '../../components/InlineError';
import { LabelledCheckbox } from '../../components/LabelledCheckbox';
import { LiveRegion } from '../../components/LiveRegion';
import { Spinner } from '../../components/Spinner';
import { clearPercent } from './clear-progress';
import { TokenJobReport } from './TokenJobReport';
import { jobAnnouncement, jobTitle, tokensWord } from './token-job-words';

/** A job the page asked for: Check all (every token), or a bulk action on the chosen ids. */
export interface TokenJobRequest {
  readonly action: TokenJobAction;
  /** null: every token (Check all). */
  readonly ids: readonly string[] | null;
  readonly count: number;
}

interface Props {
  readonly job: TokenJobRequest;
  readonly onClose: () => void;
  readonly returnFocus: () => void;
  /** "Show tokens needing attention": the page sets its filter. */
  readonly onShowAttention: () => void;
}

/**
 * One dialog for every job over many tokens (docs/health.md): a delete asks first (revoke, and whether a
 * failed revoke still deletes, as Clear all does); a check, test or refresh starts at once. Progress comes
 * from `tokens.jobProgress`, with Cancel; the end is one outcome per token, downloadable as CSV.
 */
export function TokenJobDialog({ job, onClose, returnFocus, onShowAttention }: Props) {
  const checkAll = useIpcMutation('checkAllTokens');
  const bulk = useIpcMutation('runTokenJob');
  const cancel = useIpcMutation('cancelTokenJob');
  const mutation = job.ids === null ? checkAll : bulk;
  const [revoke, setRevoke] = useState(true);
  const [deleteIfRevokeFails, setDeleteIfRevokeFails] = useState(false);
  const progress = useTokenJobProgress();
  const result: TokenJobResult | null = mutation.data ?? null;
  const running = mutation.isPending;
  const live = running && progress && !progress.finished && progress.action === job.action ? progress : null;

  const start = () => {
    if (mutation.isPending || result) return;
    if (job.ids === null) checkAll.mutate({});
    else if (job.action !== 'check') {
      bulk.mutate({ action: job.action, ids: [...job.ids], revoke, deleteIfRevokeFails });
    }
  };
  // Check, test and refresh change nothing a person must weigh first: they start as the dialog opens.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || job.action === 'delete') return;
    started.current = true;
    start();
  });

  const phase = result ? 'done' : running || job.action !== 'delete' ? 'running' : 'confirm';
  const confirmRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  return (
    <AlertDialog.Root open onOpenChange={(open) => !open && !running && onClose()}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="overlay" />
        <AlertDialog.Content
          className="dialog"
          data-testid="token-job-dialog"
          data-action={job.action}
          onOpenAutoFocus={(event) => {
            // A delete lands on its confirm button; a running job on Cancel (Escape does not stop a job).
            event.preventDefault();
            (confirmRef.current ?? cancelRef.current)?.focus();
          }}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            returnFocus();
          }}
        >
          <LiveRegion message={jobAnnouncement(job.action, live, result)} testId="token-job-announcer" />
          <AlertDialog.Title className="dialog__title">
            {jobTitle(job.action, job.count, phase)}
          </AlertDialog.Title>
          {phase === 'confirm' && (
            <>
              <AlertDialog.Description className="dialog__desc">
                Each chosen token is removed from TokenDesk. With revoking on, its refresh token is revoked at
                Zoho first; a token whose revoke fails is kept (unless you choose otherwise below), and the
                report at the end says what Zoho answered for each one.
              </AlertDialog.Description>
              <LabelledCheckbox
                id="bulk-revoke"
                label="Also revoke each token at Zoho"
                checked={revoke}
                onCheckedChange={setRevoke}
              />
              {revoke && (
                <LabelledCheckbox
                  id="bulk-delete-anyway"
                  label="Delete even when the revoke fails (TokenDesk keeps retrying the revoke)"
                  checked={deleteIfRevokeFails}
                  onCheckedChange={setDeleteIfRevokeFails}
                />
              )}
              {!revoke && (
                <p className="warn-text">
                  Not revoked: the refresh tokens keep working at Zoho for whoever else holds them.
                </p>
              )}
            </>
          )}
          {phase === 'running' && !result && (
            <div className="progress-block">
              <AlertDialog.Description className="dialog__desc">
                {job.action === 'delete'
                  ? 'Revoking and deleting, a few at a time.'
                  : 'A few at a time, spaced out so Zoho’s limits are kept; the apps using these tokens keep working meanwhile.'}
              </AlertDialog.Description>
              <div
                className="progress"
                role="progressbar"
                aria-label={`${jobTitle(job.action, job.count, 'running')}: progress`}
                aria-valuemin={0}
                aria-valuemax={live?.total ?? job.count}
                aria-valuenow={live?.done ?? 0}
                data-testid="token-job-progress"
              >
                <div className="progress__bar" style={{ width: `${clearPercent(live)}%` }} />
              </div>
              <Spinner label={live ? `${live.done} of ${live.total} done…` : 'Starting…'} announce={false} />
            </div>
          )}
          <InlineError error={mutation.error} title="The job did not run" />
          <InlineError error={cancel.error} title="The job could not be cancelled" />
          {!result && (
            <div className="dialog__actions">
              {phase === 'confirm' ? (
                <>
                  <AlertDialog.Cancel className="btn">Cancel</AlertDialog.Cancel>
                  <button
                    ref={confirmRef}
                    type="button"
                    className="btn btn--danger"
                    onClick={start}
                    data-testid="token-job-confirm"
                  >
                    {revoke
                      ? `Revoke and delete ${tokensWord(job.count)}`
                      : `Delete ${tokensWord(job.count)}`}
                  </button>
                </>
              ) : running ? (
                <button
                  ref={cancelRef}
                  type="button"
                  className="btn"
                  disabled={!live || cancel.isPending}
                  onClick={() => live && cancel.mutate({ jobId: live.jobId })}
                  data-testid="token-job-cancel"
                >
                  {cancel.isPending || cancel.data?.cancelled ? 'Cancelling…' : 'Cancel the rest'}
                </button>
              ) : (
                <AlertDialog.Cancel className="btn">Close</AlertDialog.Cancel>
              )}
            </div>
          )}
          {result && (
            <TokenJobReport
              result={result}
              onClose={onClose}
              onShowAttention={() => {
                onShowAttention();
                onClose();
              }}
            />
          )}
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
