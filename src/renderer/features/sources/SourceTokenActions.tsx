import { useId, useState } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { useIpcMutation } from '../../api/hooks';
import { describeSourceRevoke } from '../tokens/revoke-outcome';
import { actionBlockedReason } from '../tokens/token-actions';
import { useTokenActions } from '../tokens/useTokenActions';

/** What the list needs of a source: its id (sent back with every action) and its name (said in results). */
export interface ListedSource {
  readonly id: string;
  readonly displayName: string;
}

export interface SourceActionMessage {
  readonly tone: 'ok' | 'danger';
  readonly text: string;
}

interface Props {
  /** A row of the source's list (a ListedToken, its sourceId set): every action goes back to that source. */
  readonly token: TokenView;
  readonly source: ListedSource;
  /**
   * The id of the text saying why this member may not change the source (a read-only team member): Copy,
   * Re-authorise, Import and Revoke are then off and described by it. Null: every action is on.
   */
  readonly readOnlyReasonId: string | null;
  readonly onMessage: (message: SourceActionMessage) => void;
  readonly onReauthorise: () => void;
  readonly onChanged: () => void;
}

/**
 * One source token's buttons (Sources page, Team page): test, refresh (written back to the source), copy the
 * access token (main puts it on the clipboard and audits it), re-authorise, import into this computer, and
 * revoke at Zoho then delete from the source (asked twice).
 */
export function SourceTokenActions({
  token: t,
  source,
  readOnlyReasonId,
  onMessage,
  onReauthorise,
  onChanged,
}: Props) {
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const refresh = useIpcMutation('refreshToken');
  const test = useIpcMutation('testToken');
  const remove = useIpcMutation('deleteToken');
  const transfer = useIpcMutation('transferTokens');
  const actions = useTokenActions();
  const failed = (error: Error) => onMessage({ tone: 'danger', text: error.message });
  const who = t.userName ?? `token ${t.id}`;
  const copyBlocked = actionBlockedReason('copy', t);
  const reauthBlocked = actionBlockedReason('reauthorise', t);
  const readOnly = readOnlyReasonId !== null;
  const request = { id: t.id, sourceId: source.id };
  // Why Copy or Re-authorise is off for this token's status, written out (not only in a hover title).
  const statusReasons = [...new Set([copyBlocked, reauthBlocked].filter((r): r is string => r !== null))];
  const statusReasonId = useId();
  const describedBy = (blocked: string | null) =>
    [readOnlyReasonId, blocked !== null ? statusReasonId : null].filter(Boolean).join(' ') || undefined;

  return (
    <>
      <button
        type="button"
        className="btn btn--small"
        onClick={() =>
          test.mutate(request, {
            onSuccess: (r) =>
              onMessage(
                r.ok
                  ? { tone: 'ok', text: `${who}: CRM answered as ${r.userEmail ?? 'the user'}.` }
                  : { tone: 'danger', text: `${who}: ${r.message}` },
              ),
            onError: failed,
          })
        }
      >
        Test
      </button>
      <button
        type="button"
        className="btn btn--small"
        onClick={() =>
          refresh.mutate(request, {
            onSuccess: () => {
              onMessage({ tone: 'ok', text: `${who}: refreshed and written back to ${source.displayName}.` });
              onChanged();
            },
            onError: failed,
          })
        }
      >
        Refresh
      </button>
      <button
        type="button"
        className="btn btn--small"
        disabled={copyBlocked !== null || readOnly || actions.pending.size > 0}
        aria-describedby={describedBy(copyBlocked)}
        onClick={() => void actions.copy(t)}
      >
        Copy access token
      </button>
      <button
        type="button"
        className="btn btn--small"
        disabled={reauthBlocked !== null || readOnly}
        aria-describedby={describedBy(reauthBlocked)}
        onClick={onReauthorise}
      >
        Re-authorise
      </button>
      <button
        type="button"
        className="btn btn--small"
        disabled={readOnly}
        aria-describedby={readOnlyReasonId ?? undefined}
        onClick={() =>
          transfer.mutate(
            { fromSourceId: source.id, toSourceId: 'local', ids: [t.id] },
            {
              onSuccess: (r) => {
                const o = r.outcomes[0];
                onMessage(
                  o?.state === 'failed'
                    ? { tone: 'danger', text: `${who}: not imported: ${o.message}` }
                    : { tone: 'ok', text: `${who}: imported into this computer's encrypted store.` },
                );
                onChanged();
              },
              onError: failed,
            },
          )
        }
      >
        Import
      </button>
      {confirmRevoke ? (
        <>
          <button
            type="button"
            className="btn btn--small btn--danger"
            onClick={() =>
              remove.mutate(
                { ...request, revoke: true, deleteIfRevokeFails: false },
                {
                  onSuccess: (r) => {
                    setConfirmRevoke(false);
                    onMessage(describeSourceRevoke(who, source.displayName, r));
                    onChanged();
                  },
                  onError: failed,
                },
              )
            }
          >
            Confirm revoke
          </button>
          <button type="button" className="btn btn--small" onClick={() => setConfirmRevoke(false)}>
            Keep
          </button>
        </>
      ) : (
        <button
          type="button"
          className="btn btn--small btn--danger"
          disabled={readOnly}
          aria-describedby={readOnlyReasonId ?? undefined}
          onClick={() => setConfirmRevoke(true)}
        >
          Revoke
        </button>
      )}
      {statusReasons.length > 0 && (
        <span id={statusReasonId} className="muted" data-testid="source-token-blocked-reason">
          {statusReasons.join(' ')}
        </span>
      )}
    </>
  );
}
