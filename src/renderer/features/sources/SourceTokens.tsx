import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SourceView } from '../../../shared/ipc/sources';
import { decodeTokenList } from '../../../shared/ipc/token-list';
import { call } from '../../api/client';
import { useIpcMutation } from '../../api/hooks';
import { DataCenterBadge, StatusBadge } from '../../components/Badge';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { TransferPanel } from './TransferPanel';

export const sourceTokensKey = (sourceId: string) => ['source-tokens', sourceId] as const;

/**
 * The tokens of one source with every token action on it: test call, refresh (written back to the
 * source), revoke at Zoho then delete from the source, import into this computer; and import/export of
 * many with a per-token outcome.
 */
export function SourceTokens({ source }: { source: SourceView }) {
  const client = useQueryClient();
  const tokens = useQuery({
    queryKey: sourceTokensKey(source.id),
    queryFn: async () => decodeTokenList(await call('listTokens', { sourceId: source.id })),
  });
  const [message, setMessage] = useState<{ tone: 'ok' | 'danger'; text: string } | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState<string | null>(null);
  const refresh = useIpcMutation('refreshToken');
  const test = useIpcMutation('testToken');
  const remove = useIpcMutation('deleteToken');
  const transfer = useIpcMutation('transferTokens');
  const reload = () => {
    void client.invalidateQueries({ queryKey: sourceTokensKey(source.id) });
    void client.invalidateQueries({ queryKey: ['sources'] });
  };
  const failed = (error: Error) => setMessage({ tone: 'danger', text: error.message });

  if (tokens.isPending) return <Spinner label={`Reading ${source.displayName}…`} />;
  if (tokens.isError)
    return <InlineError error={tokens.error} title={`${source.displayName} could not be read`} />;

  return (
    <section className="card stacked" aria-label={`Tokens in ${source.displayName}`}>
      <h2 className="card__title">Tokens in {source.displayName}</h2>
      <p className="muted">Scopes are unknown for this kind of source: the SDK does not record them.</p>
      <div role="status" data-testid="source-action-result">
        {message && <p className={message.tone === 'ok' ? 'ok-text' : 'danger-text'}>{message.text}</p>}
      </div>
      {tokens.data.length === 0 ? (
        <p className="muted">No tokens in this source.</p>
      ) : (
        <table className="simple-table" data-testid="source-tokens">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Source</th>
              <th scope="col">Data center</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id} data-testid="source-token-row" data-user={t.userName ?? ''}>
                <td>{t.userName ?? '—'}</td>
                <td>{source.displayName}</td>
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
                        { id: t.id, sourceId: source.id },
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
                        { id: t.id, sourceId: source.id },
                        {
                          onSuccess: () => {
                            setMessage({
                              tone: 'ok',
                              text: `${t.userName}: refreshed and written back to ${source.displayName}.`,
                            });
                            reload();
                          },
                          onError: failed,
                        },
                      )
                    }
                  >
                    Refresh
                  </button>
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() =>
                      transfer.mutate(
                        { fromSourceId: source.id, toSourceId: 'local', ids: [t.id] },
                        {
                          onSuccess: (r) => {
                            const o = r.outcomes[0];
                            setMessage(
                              o?.state === 'failed'
                                ? { tone: 'danger', text: `${t.userName}: not imported: ${o.message}` }
                                : {
                                    tone: 'ok',
                                    text: `${t.userName}: imported into this computer's encrypted store.`,
                                  },
                            );
                            reload();
                          },
                          onError: failed,
                        },
                      )
                    }
                  >
                    Import
                  </button>
                  {confirmRevoke === t.id ? (
                    <>
                      <button
                        type="button"
                        className="btn btn--small btn--danger"
                        onClick={() =>
                          remove.mutate(
                            { id: t.id, sourceId: source.id, revoke: true, deleteIfRevokeFails: false },
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
                                        text: `${t.userName}: revoked at Zoho and deleted from ${source.displayName}.`,
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
                      <button type="button" className="btn btn--small" onClick={() => setConfirmRevoke(null)}>
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
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TransferPanel source={source} tokenCount={tokens.data.length} onDone={reload} />
    </section>
  );
}
