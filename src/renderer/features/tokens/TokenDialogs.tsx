import { useMemo, useState } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { ClearAllDialog } from './ClearAllDialog';
import { DeleteTokenDialog } from './DeleteTokenDialog';
import { ReauthoriseDialog } from './ReauthoriseDialog';
import { TokenJobDialog, type TokenJobRequest } from './TokenJobDialog';

/** Which of the token page's dialogs are open, and for what. Setters are stable (React state setters). */
export function useTokenDialogs() {
  const [deleting, setDeleting] = useState<TokenView | null>(null);
  const [reauthorising, setReauthorising] = useState<TokenView | null>(null);
  const [clearing, setClearing] = useState(false);
  const [job, setJob] = useState<TokenJobRequest | null>(null);
  return useMemo(
    () => ({ deleting, setDeleting, reauthorising, setReauthorising, clearing, setClearing, job, setJob }),
    [deleting, reauthorising, clearing, job],
  );
}
export type TokenDialogState = ReturnType<typeof useTokenDialogs>;

interface Props {
  readonly dialogs: TokenDialogState;
  /** What "Clear all" acts on: how many tokens, and the source when not this computer's store. */
  readonly clearCount: number;
  readonly clearSource: { readonly id: string; readonly name: string } | null;
  readonly returnFocus: () => void;
  /** The job report's "show them": the table filtered to the tokens that need attention. */
  readonly onShowAttention: () => void;
}

/**
 * The token page's dialogs. They outlive the list: "Clear all" must keep its report after the last row is
 * gone, so the page renders this with the same key in both its layouts and React keeps their state.
 */
export function TokenDialogs({ dialogs, clearCount, clearSource, returnFocus, onShowAttention }: Props) {
  const { deleting, reauthorising, clearing, job } = dialogs;
  return (
    <>
      <DeleteTokenDialog
        token={deleting}
        onClose={() => dialogs.setDeleting(null)}
        returnFocus={returnFocus}
      />
      {reauthorising && (
        <ReauthoriseDialog
          token={reauthorising}
          onClose={() => dialogs.setReauthorising(null)}
          returnFocus={returnFocus}
        />
      )}
      {clearing && (
        <ClearAllDialog
          count={clearCount}
          {...(clearSource ? { source: clearSource } : {})}
          onClose={() => dialogs.setClearing(false)}
          returnFocus={returnFocus}
        />
      )}
      {job && (
        <TokenJobDialog
          job={job}
          onClose={() => dialogs.setJob(null)}
          returnFocus={returnFocus}
          onShowAttention={onShowAttention}
        />
      )}
    </>
  );
}
