import { useState } from 'react';
import type { ClearAllResult, DeleteResult } from '../../../shared/ipc/views';
import { useClearProgress, useIpcMutation } from '../../api/hooks';
import { DialogClose, DialogDescription, DialogShell } from '../../components/DialogShell';
import { InlineError } from '../../components/InlineError';
import { LabelledCheckbox } from '../../components/LabelledCheckbox';
import { LiveRegion } from '../../components/LiveRegion';
import { SafeText } from '../../components/SafeText';
import { Spinner } from '../../components/Spinner';
import { clearAnnouncement, clearPercent, summariseClear } from './clear-progress';
import { revokeFailureHint, revokeOutcomeLabel, sortOutcomes, withWarnings } from './revoke-outcome';
import { isClearConfirmation } from './token-query';

interface Props {
  readonly count: number;
  /**
   * A token source to clear (docs/sources.md) instead of this computer's store. Its tokens are deleted only
   * once Zoho confirmed the revoke (or with revoking off): TokenDesk cannot keep a source's refresh token
   * as a pending revoke across restarts, so "delete even when the revoke fails" is not offered.
   */
  readonly source?: { readonly id: string; readonly name: string };
  readonly onClose: () => void;
  readonly returnFocus: () => void;
}

/**
 * Clear all tokens: the user types the count they see (main refuses if the store holds a different number),
 * watches progress from `tokens.clearProgress`, then gets the per-token revoke outcome.
 */
export function ClearAllDialog({ count: countAtOpen, source, onClose, returnFocus }: Props) {
  // The count the user saw when opening; the live list may shrink while the clear runs.
  const [count] = useState(countAtOpen);
  const clear = useIpcMutation('clearAllTokens');
  const [typed, setTyped] = useState('');
  const [revoke, setRevoke] = useState(true);
  // Off by default: a token whose revoke failed is the only copy of a refresh token that may still work.
  const [deleteIfRevokeFails, setDeleteIfRevokeFails] = useState(false);
  const progress = useClearProgress(clear.isPending);
  const confirmed = isClearConfirmation(typed, count);
  const result = clear.data ?? null;
  const percent = clearPercent(progress);

  const start = () => {
    if (!confirmed || clear.isPending) return;
    clear.mutate({
      revoke,
      expectedCount: count,
      deleteIfRevokeFails: source ? false : deleteIfRevokeFails,
      ...(source ? { sourceId: source.id } : {}),
    });
  };

  return (
    <DialogShell
      kind="alert"
      title={
        result
          ? 'Clear all: finished'
          : `Delete all ${count} ${count === 1 ? 'token' : 'tokens'}${source ? ` in ${source.name}` : ''}?`
      }
      testId="clear-all-dialog"
      onDismiss={() => !clear.isPending && onClose()}
      returnFocus={returnFocus}
      // Mounted with the dialog, before the clear starts, so the first progress update is announced.
      live={
        <LiveRegion
          message={clearAnnouncement(clear.isPending, progress, result)}
          testId="clear-all-announcer"
        />
      }
      footer={
        result ? (
          <DialogClose className="btn btn--primary" onClick={onClose}>
            Done
          </DialogClose>
        ) : (
          <>
            <DialogClose disabled={clear.isPending}>Cancel</DialogClose>
            <button
              type="button"
              className="btn btn--danger"
              disabled={!confirmed || clear.isPending}
              onClick={start}
              data-testid="clear-all-confirm"
            >
              {clear.isPending ? 'Clearing…' : `Delete ${count} ${count === 1 ? 'token' : 'tokens'}`}
            </button>
          </>
        )
      }
    >
      {!result && (
        <>
          <DialogDescription>
            {source
              ? `This removes every token from ${source.name}, the store its integration uses: the integration loses them too. With revoking on, each refresh token is revoked at Zoho first, a few at a time, and a token is deleted only once Zoho confirmed; one whose revoke fails stays in the source. The list at the end says what Zoho answered for each one.`
              : 'This removes every token from TokenDesk. With revoking on, each refresh token is also revoked at Zoho first, a few at a time (up to 4 at once); the list at the end says what Zoho answered for each one.'}
          </DialogDescription>
          <LabelledCheckbox
            id="clear-revoke"
            label="Also revoke each token at Zoho"
            checked={revoke}
            onCheckedChange={setRevoke}
            disabled={clear.isPending}
          />
          {revoke && !source && (
            <LabelledCheckbox
              id="clear-delete-anyway"
              label="Delete even when the revoke fails (TokenDesk keeps retrying the revoke)"
              checked={deleteIfRevokeFails}
              onCheckedChange={setDeleteIfRevokeFails}
              disabled={clear.isPending}
            />
          )}
          <div className="field">
            <label className="field__label" htmlFor="clear-confirm">
              To confirm, type <strong className="mono">{count}</strong> or{' '}
              <strong className="mono">delete {count} tokens</strong>
            </label>
            <input
              id="clear-confirm"
              className="input"
              value={typed}
              autoComplete="off"
              spellCheck={false}
              disabled={clear.isPending}
              onChange={(e) => setTyped(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && start()}
              data-testid="clear-all-confirm-input"
            />
          </div>
          {clear.isPending && (
            <div className="progress-block">
              <div
                className="progress"
                role="progressbar"
                aria-label="Clearing tokens"
                aria-valuemin={0}
                aria-valuemax={progress?.total ?? count}
                aria-valuenow={progress?.done ?? 0}
                data-testid="clear-all-progress"
              >
                <div className="progress__bar" style={{ width: `${percent}%` }} />
              </div>
              <Spinner
                label={progress ? `${progress.done} of ${progress.total} done…` : 'Starting…'}
                announce={false}
              />
            </div>
          )}
          <InlineError error={clear.error} title="Nothing was cleared" />
        </>
      )}
      {result && <ClearAllReport result={result} sourceId={source?.id} />}
    </DialogShell>
  );
}

function ClearAllReport({ result, sourceId }: { result: ClearAllResult; sourceId: string | undefined }) {
  const s = summariseClear(result);
  const retry = useIpcMutation('deleteToken');
  // What a "Retry" on a kept row answered, by token id: the report shows the latest word on each row.
  const [retried, setRetried] = useState<ReadonlyMap<string, DeleteResult>>(new Map());
  const retryOne = async (id: string) => {
    try {
      const answer = await retry.mutateAsync({
        id,
        revoke: true,
        deleteIfRevokeFails: false,
        ...(sourceId ? { sourceId } : {}),
      });
      setRetried((old) => new Map(old).set(id, answer));
    } catch {
      // Shown inline from `retry.error`.
    }
  };
  return (
    <div data-testid="clear-all-report">
      <DialogDescription asChild>
        <p className="summary">
          <strong>{s.deleted}</strong> deleted · <strong>{s.revoked}</strong> revoked at Zoho ·{' '}
          {s.alreadyDead > 0 && (
            <>
              <strong>{s.alreadyDead}</strong> already cut at Zoho ·{' '}
            </>
          )}
          <strong className={s.failed > 0 ? 'danger-text' : undefined}>{s.failed}</strong> revoke failed ·{' '}
          <strong>{s.skipped}</strong> skipped
          {s.kept > 0 && (
            <>
              {' '}
              · <strong className="danger-text">{s.kept}</strong> kept
            </>
          )}
        </p>
      </DialogDescription>
      {s.failed > 0 && (
        <p className="warn-text">
          Tokens whose revoke failed may still work at Zoho. Kept ones stay in the list: retry them here or
          later; deleted ones wait under Pending revokes, retried until Zoho confirms them dead.
        </p>
      )}
      {result.warnings && result.warnings.length > 0 && (
        <p className="warn-text" data-testid="clear-all-warnings">
          {withWarnings('Done as listed.', result.warnings)}
        </p>
      )}
      <ul className="outcomes" aria-label="Per-token outcome">
        {sortOutcomes(result.results).map((first) => {
          const r = { ...first, ...(retried.get(first.id) ?? {}) };
          const kept = !r.deleted;
          return (
            <li
              key={r.id}
              className={`outcome outcome--${r.revoke.state}`}
              data-testid="clear-outcome"
              data-state={r.revoke.state}
            >
              <span className="outcome__who">
                {r.userName !== null ? <SafeText value={r.userName} max={80} /> : r.id}
              </span>
              <span className="outcome__state">
                {kept && r.revoke.state === 'failed'
                  ? 'Revoke failed, kept: retry'
                  : `${revokeOutcomeLabel(r.revoke)}${
                      r.deleted ? (r.pendingRevoke ? ', deleted; revoke pending' : ', deleted') : ', kept'
                    }`}
              </span>
              {r.revoke.state === 'failed' && (
                <span className="outcome__why">
                  {r.revoke.message} {revokeFailureHint(r.revoke) ?? ''}
                </span>
              )}
              {r.deleteError && (
                <span className="outcome__why">
                  Not deleted from {r.deletedFrom ?? 'this computer'}: {r.deleteError}.
                </span>
              )}
              {kept && (
                <button
                  type="button"
                  className="btn"
                  disabled={retry.isPending}
                  onClick={() => void retryOne(r.id)}
                  data-testid="clear-outcome-retry"
                >
                  {retry.isPending && retry.variables?.id === r.id ? <Spinner label="Revoking…" /> : 'Retry'}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <InlineError error={retry.error} title="The retry did not run" />
    </div>
  );
}
