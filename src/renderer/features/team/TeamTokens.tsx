import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { decodeTokenList } from '../../../shared/ipc/token-list';
import { call } from '../../api/client';
import { useIpcMutation } from '../../api/hooks';
import { DataCenterBadge, StatusBadge } from '../../components/Badge';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { teamKeys } from './team-queries';

/**
 * The team's tokens, read from the team store on every change any member commits (team.changed). Test and
 * refresh for every member; copy in from this computer and revoke for managing members only.
 */
export function TeamTokens({ sourceId, canManage }: { sourceId: string; canManage: boolean }) {
  const client = useQueryClient();
  const tokens = useQuery({
    queryKey: teamKeys.tokens(sourceId),
    queryFn: async () => decodeTokenList(await call('listTokens', { sourceId })),
  });
  const [message, setMessage] = useState<{ tone: 'ok' | 'danger'; text: string } | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState<string | null>(null);
  const test = useIpcMutation('testToken');
  const refresh = useIpcMutation('refreshToken');
  const revoke = useIpcMutation('deleteToken');
  const copyIn = useIpcMutation('transferTokens');
  const reload = () => void client.invalidateQueries({ queryKey: teamKeys.all });
  const failed = (error: Error) => setMessage({ tone: 'danger', text: error.message });

  return (
    <section className="card stacked" aria-labelledby="team-tokens-title">
      <div className="toolbar">
        <h2 className="card__title" id="team-tokens-title">
          Team tokens
        </h2>
        <span className="toolbar__spacer" />
        {canManage && (
          <button
            type="button"
            className="btn"
            disabled={copyIn.isPending}
            onClick={() =>
              copyIn.mutate(
                { fromSourceId: 'local', toSourceId: sourceId },
                {
                  onSuccess: (r) => {
                    setMessage(
                      r.failed > 0
                        ? { tone: 'danger', text: `${r.copied} copied, ${r.failed} not copied.` }
                        : { tone: 'ok', text: `${r.copied} token(s) copied from this computer to the team.` },
                    );
                    reload();
                  },
                  onError: failed,
                },
              )
            }
          >
            {copyIn.isPending ? 'Copying…' : 'Copy this computer’s tokens to the team'}
          </button>
        )}
      </div>
      <div role="status" data-testid="team-action-result">
        {message && <p className={message.tone === 'ok' ? 'ok-text' : 'danger-text'}>{message.text}</p>}
      </div>
      {tokens.isPending && <Spinner label="Reading the team's tokens…" />}
      {tokens.isError && <InlineError error={tokens.error} title="The team's tokens could not be read" />}
      {tokens.data?.length === 0 && <p className="muted">No tokens in the team store yet.</p>}
      {tokens.data && tokens.data.length > 0 && (
        <table className="simple-table" data-testid="team-tokens">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Data center</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id} data-testid="team-token-row" data-user={t.userName ?? ''}>
                <td>{t.userName ?? '—'}</td>
                <td>
                  <DataCenterBadge dc={t.dataCenter} env={t.environment} />
                </td>
                <td>{t.expiresAt ? new Date(t.expiresAt).toLocaleString() : '—'}</td>
                <td>
                  <StatusBadge status={t.status} />
                </td>
                <td className="row">
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() =>
                      test.mutate(
                        { id: t.id, sourceId },
                        {
                          onSuccess: (r) =>
                            setMessage(
                              r.ok
                                ? {
                                    tone: 'ok',
                                    text: `${t.userName}: CRM answered as ${r.userEmail ?? 'the user'}.`,
                                  }
                                : { tone: 'danger', text: `${t.userName}: ${r.message}` },
                            ),
                          onError: failed,
                        },
                      )
                    }
                  >
                    Test
                  </button>
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() =>
                      refresh.mutate(
                        { id: t.id, sourceId },
                        {
                          onSuccess: () => {
                            setMessage({ tone: 'ok', text: `${t.userName}: refreshed for the whole team.` });
                            reload();
                          },
                          onError: failed,
                        },
                      )
                    }
                  >
                    Refresh
                  </button>
                  {canManage &&
                    (confirmRevoke === t.id ? (
                      <>
                        <button
                          type="button"
                          className="btn btn--small btn--danger"
                          onClick={() =>
                            revoke.mutate(
                              { id: t.id, sourceId, revoke: true, deleteIfRevokeFails: false },
                              {
                                onSuccess: (r) => {
                                  setConfirmRevoke(null);
                                  setMessage(
                                    r.revoke.state === 'failed'
                                      ? {
                                          tone: 'danger',
                                          text: `${t.userName}: Zoho did not revoke it (${r.revoke.message}); it was kept.`,
                                        }
                                      : {
                                          tone: 'ok',
                                          text: `${t.userName}: revoked at Zoho and removed from the team store.`,
                                        },
                                  );
                                  reload();
                                },
                                onError: failed,
                              },
                            )
                          }
                        >
                          Confirm revoke
                        </button>
                        <button
                          type="button"
                          className="btn btn--small"
                          onClick={() => setConfirmRevoke(null)}
                        >
                          Keep
                        </button>
                      </>
                    ) : (
                      <button
                        type="button"
                        className="btn btn--small btn--danger"
                        onClick={() => setConfirmRevoke(t.id)}
                      >
                        Revoke
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
