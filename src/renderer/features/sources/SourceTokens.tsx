import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { SourceView } from '../../../shared/ipc/sources';
import type { TokenView } from '../../../shared/ipc/views';
import { queryKeys, sourceTokensQuery } from '../../api/hooks';
import { DataCenterBadge, StatusBadge } from '../../components/Badge';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { ClearAllDialog } from '../tokens/ClearAllDialog';
import { ReauthoriseDialog } from '../tokens/ReauthoriseDialog';
import { type SourceActionMessage, SourceTokenActions } from './SourceTokenActions';
import { TransferPanel } from './TransferPanel';

/**
 * The tokens of one source with every token action on it: test call, refresh (written back to the
 * source), copy the access token, re-authorise, revoke at Zoho then delete from the source, import into
 * this computer; clear all of the source (typed count, per-token outcome); and import/export of many with
 * a per-token outcome.
 */
export function SourceTokens({ source }: { source: SourceView }) {
  const client = useQueryClient();
  // The same query (and cache) as the source's rows in the main token table.
  const tokens = useQuery(sourceTokensQuery(source.id));
  const [message, setMessage] = useState<SourceActionMessage | null>(null);
  const [reauthorising, setReauthorising] = useState<TokenView | null>(null);
  const [clearing, setClearing] = useState(false);
  const reload = () => {
    void client.invalidateQueries({ queryKey: queryKeys.sourceTokens(source.id) });
    void client.invalidateQueries({ queryKey: queryKeys.sources });
  };
  // After a dialog: back to the source's "Clear all" button (the row that opened it may be gone).
  const returnFocus = useCallback(() => {
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>('[data-testid="source-clear-all"]')?.focus(),
    );
  }, []);

  if (tokens.isPending) return <Spinner label={`Reading ${source.displayName}…`} />;
  if (tokens.isError)
    return <InlineError error={tokens.error} title={`${source.displayName} could not be read`} />;

  return (
    <section className="card stacked" aria-label={`Tokens in ${source.displayName}`}>
      <h2 className="card__title">Tokens in {source.displayName}</h2>
      <div className="row">
        <p className="muted">Scopes are unknown for this kind of source: the SDK does not record them.</p>
        <span className="toolbar__spacer" />
        <button
          type="button"
          className="btn btn--small btn--danger-ghost"
          disabled={tokens.data.length === 0}
          onClick={() => setClearing(true)}
          data-testid="source-clear-all"
        >
          Clear all in this source…
        </button>
      </div>
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
                  <SourceTokenActions
                    token={t}
                    source={source}
                    onMessage={setMessage}
                    onReauthorise={() => setReauthorising(t)}
                    onChanged={reload}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TransferPanel source={source} tokenCount={tokens.data.length} onDone={reload} />
      {reauthorising && (
        <ReauthoriseDialog
          token={reauthorising}
          onClose={() => setReauthorising(null)}
          returnFocus={returnFocus}
        />
      )}
      {clearing && (
        <ClearAllDialog
          count={tokens.data.length}
          source={{ id: source.id, name: source.displayName }}
          onClose={() => {
            setClearing(false);
            reload();
          }}
          returnFocus={returnFocus}
        />
      )}
    </section>
  );
}
