import { useEffect, useState } from 'react';
import type { DeleteResult, TokenView } from '../../../shared/ipc/views';
import { useIpcMutation } from '../../api/hooks';
import { sourceOf } from '../../api/listed-token';
import { DialogClose, DialogDescription, DialogShell } from '../../components/DialogShell';
import { InlineError } from '../../components/InlineError';
import { LabelledCheckbox } from '../../components/LabelledCheckbox';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toasts';
import { safeInline } from '../../lib/safe-text';
import {
  describeDeleteResult,
  describeLocalDeleteAfterFailedRevoke,
  revokeFailureHint,
  revokeFailureLead,
  revokeReason,
} from './revoke-outcome';
import { sourceRequest } from './token-sources';

interface Props {
  readonly token: TokenView | null;
  readonly onClose: () => void;
  /** Where focus goes when the dialog closes (the row), since the menu item that opened it is gone. */
  readonly returnFocus: () => void;
}

/**
 * Delete one token. "Also revoke at Zoho" is on by default. When the revoke fails, the token stays, the
 * dialog says so with the reason, and offers "Delete here, keep revoking" as a deliberate second step:
 * the row goes, and main keeps the refresh token as a pending revoke until Zoho confirms it dead.
 */
export function DeleteTokenDialog({ token, onClose, returnFocus }: Props) {
  const toast = useToast();
  const del = useIpcMutation('deleteToken');
  const [revoke, setRevoke] = useState(true);
  const [failed, setFailed] = useState<DeleteResult | null>(null);

  // Each opening starts fresh: default to revoking, no stale failure from a previous token.
  useEffect(() => {
    if (token) {
      setRevoke(true);
      setFailed(null);
      del.reset();
    }
  }, [token, del.reset]);

  if (!token) return null;
  const who = token.userName !== null ? safeInline(token.userName) : `token ${token.id}`;
  // Nothing to revoke: an unreadable row has no readable token, an ended demo run's simulator is gone.
  const canRevoke = token.status !== 'unreadable' && token.status !== 'demo-ended';
  const willRevoke = revoke && canRevoke;

  const failure = failed?.revoke.state === 'failed' ? failed.revoke : null;

  /**
   * First step: revoke (if chosen) then delete; a failed revoke keeps the token and shows why.
   * Second step, "Delete here, keep revoking": Zoho is asked once more and the row is deleted whatever it
   * answers; if the revoke still fails, main keeps the refresh token as a pending revoke and retries.
   */
  const run = async (locallyOnly: boolean) => {
    try {
      const result = await del.mutateAsync({
        id: token.id,
        ...sourceRequest(token),
        // An ended demo run's token is still sent as a revoke: main finds nothing to revoke and says so.
        revoke: locallyOnly || token.status === 'demo-ended' ? true : willRevoke,
        deleteIfRevokeFails: locallyOnly,
      });
      if (!result.deleted && result.revoke.state === 'failed') {
        setFailed(result);
        return;
      }
      const said =
        locallyOnly && failure
          ? describeLocalDeleteAfterFailedRevoke(result, failure)
          : describeDeleteResult(result);
      toast({
        tone: said.tone,
        title: `${said.title}: ${who}`,
        description: said.detail,
        hint: revokeFailureHint(locallyOnly && failure ? failure : result.revoke),
      });
      onClose();
    } catch {
      // The error is shown inline from `del.error`.
    }
  };

  return (
    <DialogShell
      kind="alert"
      title={<>Delete {who}?</>}
      // The refusal step has Zoho's reason and three choices: give it the normal width.
      size={failure ? 'normal' : 'narrow'}
      testId="delete-dialog"
      onDismiss={() => !del.isPending && onClose()}
      returnFocus={returnFocus}
      announceFooter
      footer={
        !failure ? (
          <>
            <DialogClose disabled={del.isPending}>Cancel</DialogClose>
            <button
              type="button"
              className="btn btn--danger"
              disabled={del.isPending}
              onClick={() => void run(false)}
              data-testid="delete-confirm"
            >
              {del.isPending ? (
                <Spinner label={willRevoke ? 'Revoking at Zoho…' : 'Deleting…'} />
              ) : willRevoke ? (
                'Revoke and delete'
              ) : (
                'Delete'
              )}
            </button>
          </>
        ) : (
          <>
            <DialogClose disabled={del.isPending}>Keep token</DialogClose>
            <button
              type="button"
              className="btn"
              disabled={del.isPending}
              onClick={() => void run(false)}
              data-testid="delete-retry-revoke"
            >
              {del.isPending && !del.variables?.deleteIfRevokeFails ? (
                <Spinner label="Revoking at Zoho…" />
              ) : (
                'Try the revoke again'
              )}
            </button>
            {/* A source's token is deleted only once Zoho confirmed its revoke (docs/sources.md). */}
            {sourceOf(token) === undefined && (
              <button
                type="button"
                className="btn btn--danger"
                disabled={del.isPending}
                onClick={() => void run(true)}
                data-testid="delete-locally-anyway"
              >
                {del.isPending && del.variables?.deleteIfRevokeFails ? (
                  <Spinner label="Deleting…" />
                ) : (
                  'Delete here, keep revoking'
                )}
              </button>
            )}
          </>
        )
      }
    >
      {!failure ? (
        <>
          <DialogDescription>
            TokenDesk will forget this token. Revoking also tells Zoho to stop accepting it, which is what you
            want when someone leaves.
          </DialogDescription>
          <LabelledCheckbox
            id="revoke-at-zoho"
            label="Also revoke at Zoho"
            checked={willRevoke}
            onCheckedChange={setRevoke}
            disabled={del.isPending || !canRevoke}
            testId="delete-revoke"
          />
          {token.status === 'unreadable' && (
            <p className="muted">
              This row cannot be decrypted, so it cannot be revoked from here; it will only be deleted
              locally.
            </p>
          )}
          {token.status === 'demo-ended' && (
            <p className="muted">
              This token is from an earlier demo run; the simulator that issued it has ended, so there is
              nothing to revoke. It will only be deleted from this computer.
            </p>
          )}
          {canRevoke && !revoke && (
            <p className="warn-text">
              The refresh token will keep working at Zoho until someone revokes it there.
            </p>
          )}
          <InlineError error={del.error} title="The delete did not go through" />
        </>
      ) : (
        <>
          <DialogDescription asChild>
            <div className="inline-error" role="alert" data-testid="revoke-failed">
              <strong className="inline-error__title">
                Zoho did not revoke this token. Nothing was deleted.
              </strong>
              <p className="inline-error__message">
                {revokeFailureLead(failure)}: {revokeReason(failure)}.{' '}
                <span className="mono">({failure.code})</span>
              </p>
              {revokeFailureHint(failure) && (
                <p className="inline-error__hint">{revokeFailureHint(failure)}</p>
              )}
            </div>
          </DialogDescription>
          <p>
            You can remove it from the list now: Zoho is asked once more, and if it still does not confirm,
            TokenDesk keeps the refresh token (encrypted) as a pending revoke and retries until Zoho confirms
            it dead. Until then it may still work at Zoho.
          </p>
          <InlineError error={del.error} />
        </>
      )}
    </DialogShell>
  );
}
