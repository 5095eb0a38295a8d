import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useId, useState } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { queryKeys, sourceTokensQuery } from '../../api/hooks';
import { DataCenterBadge, StatusBadge } from '../../components/Badge';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { ClearAllDialog } from '../tokens/ClearAllDialog';
import { ReauthoriseDialog } from '../tokens/ReauthoriseDialog';
import { type ListedSource, type SourceActionMessage, SourceTokenActions } from './SourceTokenActions';

interface Props {
  readonly source: ListedSource;
  readonly title: string;
  /** Said under the title (what this kind of source cannot hold). */
  readonly note?: string | undefined;
  readonly emptyText: string;
  /** Why this member may not change the source (a read-only team member), shown as text; null: may. */
  readonly readOnlyReason?: string | null | undefined;
  /** More buttons beside "Clear all" (the team's copy-in); they report through `say`. */
  readonly toolbar?: ((say: (message: SourceActionMessage) => void) => ReactNode) | undefined;
  /** Below the table (the Sources page's import and export). */
  readonly footer?: ((tokenCount: number, reload: () => void) => ReactNode) | undefined;
}

/**
 * The tokens of one source (an SDK store on the Sources page, the team store on the Team page) with every
 * token action on it: test call, refresh (written back to the source), copy the access token,
 * re-authorise, import into this computer, revoke at Zoho then delete from the source; and clear all of
 * the source (typed count, per-token outcome). A read-only member sees the actions they may not take
 * turned off, with the reason as text.
 */
export function SourceTokens({ source, title, note, emptyText, readOnlyReason, toolbar, footer }: Props) {
  const client = useQueryClient();
  // The same query (and cache) as the source's rows in the main token table.
  const tokens = useQuery(sourceTokensQuery(source.id));
  const [message, setMessage] = useState<SourceActionMessage | null>(null);
  const [reauthorising, setReauthorising] = useState<TokenView | null>(null);
  const [clearing, setClearing] = useState(false);
  const readOnlyId = useId();
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
  const readOnly = readOnlyReason ?? null;

  return (
    <section className="card stacked" aria-label={title}>
      <h2 className="card__title">{title}</h2>
      <div className="row">
        {note && <p className="muted">{note}</p>}
        <span className="toolbar__spacer" />
        {toolbar?.(setMessage)}
        <button
          type="button"
          className="btn btn--small btn--danger-ghost"
          disabled={tokens.data.length === 0 || readOnly !== null}
          aria-describedby={readOnly !== null ? readOnlyId : undefined}
          onClick={() => setClearing(true)}
          data-testid="source-clear-all"
        >
          Clear all in this source…
        </button>
      </div>
      {readOnly !== null && (
        <p className="muted" id={readOnlyId} data-testid="source-read-only">
          {readOnly}
        </p>
      )}
      <div role="status" data-testid="source-action-result">
        {message && <p className={message.tone === 'ok' ? 'ok-text' : 'danger-text'}>{message.text}</p>}
      </div>
      {tokens.data.length === 0 ? (
        <p className="muted">{emptyText}</p>
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
                    readOnlyReasonId={readOnly !== null ? readOnlyId : null}
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
      {footer?.(tokens.data.length, reload)}
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
