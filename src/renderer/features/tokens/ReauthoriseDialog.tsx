import { useEffect, useRef, useState } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { toUserError } from '../../api/client';
import { useIpcMutation, useSignInProgress } from '../../api/hooks';
import { DialogClose, DialogShell } from '../../components/DialogShell';
import { InlineError } from '../../components/InlineError';
import { LiveRegion } from '../../components/LiveRegion';
import { useToast } from '../../components/Toasts';
import { safeInline } from '../../lib/safe-text';
import { signInAnnouncement } from '../add-account/account-form';
import { SignInProgressView } from '../add-account/SignInProgressView';
import { describeGrantResult } from './revoke-outcome';
import { sourceRequest } from './token-sources';

/**
 * Re-authorise one token through the system browser (RFC 8252), reusing the add-account progress view.
 * It starts as soon as the dialog opens: the user already chose "Re-authorise".
 */
export function ReauthoriseDialog({
  token,
  onClose,
  returnFocus,
}: {
  token: TokenView;
  onClose: () => void;
  returnFocus: () => void;
}) {
  const toast = useToast();
  const reauth = useIpcMutation('reauthorise');
  const cancel = useIpcMutation('cancelSignIn');
  const [flowId, setFlowId] = useState<string | null>(null);
  const { progress, begin } = useSignInProgress();
  const started = useRef(false);
  const who = token.userName !== null ? safeInline(token.userName) : `token ${token.id}`;

  const start = () => {
    const id = crypto.randomUUID();
    setFlowId(id);
    begin(id);
    reauth.mutate(
      { id: token.id, flowId: id, ...sourceRequest(token) },
      {
        onSuccess: (result) => {
          const said = describeGrantResult(result, 'Re-authorised');
          toast({
            tone: said.tone,
            title: said.title,
            description: said.detail ?? 'Zoho issued a new refresh token.',
          });
          onClose();
        },
        onError: (error) => {
          // Cancelling is the user's own choice, not a failure: close quietly with a note.
          if (toUserError(error).code === 'CANCELLED') {
            toast({
              tone: 'info',
              title: `Re-authorisation of ${who} cancelled`,
              description: 'The stored token is unchanged.',
            });
            onClose();
          }
        },
      },
    );
  };

  // Start once per opening (StrictMode mounts effects twice in development).
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start();
  });

  const stop = () => {
    if (flowId && reauth.isPending) cancel.mutate({ flowId });
    else onClose();
  };

  return (
    <DialogShell
      title={<>Re-authorise {who}</>}
      description={
        <>
          Sign in to Zoho in your browser as <strong>{who}</strong> and accept. TokenDesk replaces the stored
          refresh token when Zoho answers, then revokes the old one at Zoho (if Zoho does not confirm,
          TokenDesk keeps it as a pending revoke and retries).
        </>
      }
      testId="reauthorise-dialog"
      onDismiss={stop}
      returnFocus={returnFocus}
      live={<LiveRegion message={signInAnnouncement(reauth.isPending, reauth.isPending ? progress : null)} />}
      footer={
        reauth.isError && (
          <>
            <DialogClose>Close</DialogClose>
            <button type="button" className="btn btn--primary" onClick={start}>
              Try again
            </button>
          </>
        )
      }
    >
      {reauth.isPending && (
        <SignInProgressView progress={progress} onCancel={stop} cancelling={cancel.isPending} />
      )}
      {reauth.isError && <InlineError error={reauth.error} title="Re-authorisation did not finish" />}
    </DialogShell>
  );
}
