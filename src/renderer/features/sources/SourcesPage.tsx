import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SourceView } from '../../../shared/ipc/sources';
import { call } from '../../api/client';
import { useIpcMutation } from '../../api/hooks';
import { Badge } from '../../components/Badge';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { SourceForm } from './SourceForm';
import { SourceTokens } from './SourceTokens';
import { KIND_LABELS, type SourceKindChoice } from './source-form';
import { TransferPanel } from './TransferPanel';

const PLAINTEXT_TITLE =
  'This source keeps client secrets, refresh and access tokens in plaintext, as the Zoho SDK stores them: anyone who can read its file or table can use them.';

/** The token sources an integration uses (SDK FileStore, DBStore on MySQL, SQLite), beside this computer's store. */
export function SourcesPage() {
  const client = useQueryClient();
  const sources = useQuery({ queryKey: ['sources'], queryFn: () => call('listSources', {}) });
  const remove = useIpcMutation('removeSource');
  const [form, setForm] = useState<{ editing: SourceView | null } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const reload = () => void client.invalidateQueries({ queryKey: ['sources'] });

  if (sources.isPending) return <Spinner label="Reading the token sources…" />;
  if (sources.isError)
    return <InlineError error={sources.error} title="The token sources could not be listed" />;
  const current = sources.data.find((s) => s.id === selected) ?? null;

  return (
    <div className="stacked" data-testid="sources-page">
      <div className="toolbar">
        <h1 className="card__title">Token sources</h1>
        <span className="toolbar__spacer" />
        <button type="button" className="btn btn--primary" onClick={() => setForm({ editing: null })}>
          Add source
        </button>
      </div>
      <p className="muted">
        The stores your integrations keep their tokens in. TokenDesk reads and writes them in place and never
        overwrites a token the integration saved after TokenDesk read it.
      </p>
      {form && (
        <SourceForm
          key={form.editing?.id ?? 'new'}
          editing={form.editing}
          onDone={(view) => {
            setForm(null);
            reload();
            if (view) setSelected(view.id);
          }}
        />
      )}
      {sources.data.length === 0 ? (
        <p className="muted">
          No sources yet: add the FileStore file or the MySQL table your integration uses.
        </p>
      ) : (
        <ul className="stacked" aria-label="Token sources">
          {sources.data.map((s) => (
            <li key={s.id} className="card row" data-testid="source-item" data-name={s.displayName}>
              <strong>{s.displayName}</strong>
              <span className="muted">{KIND_LABELS[s.kind as SourceKindChoice] ?? s.kind}</span>
              {s.plaintextAtRest && (
                <Badge tone="warn" title={PLAINTEXT_TITLE}>
                  Plaintext at rest
                </Badge>
              )}
              {s.health === null ? null : s.health.ok ? (
                <Badge tone="ok">
                  {s.health.tokenCount} token(s)
                  {s.health.unreadableCount ? `, ${s.health.unreadableCount} unreadable` : ''}
                </Badge>
              ) : (
                <span className="danger-text">{s.health.message}</span>
              )}
              <span className="toolbar__spacer" />
              <button type="button" className="btn btn--small" onClick={() => setSelected(s.id)}>
                Show tokens
              </button>
              <button type="button" className="btn btn--small" onClick={() => setForm({ editing: s })}>
                Edit
              </button>
              <button
                type="button"
                className="btn btn--small btn--danger"
                title="Forget this source in TokenDesk; its tokens stay where they are."
                onClick={() =>
                  remove.mutate(
                    { id: s.id },
                    {
                      onSuccess: () => {
                        if (selected === s.id) setSelected(null);
                        reload();
                      },
                    },
                  )
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {remove.error && <InlineError error={remove.error} />}
      {current && (
        <SourceTokens
          key={current.id}
          source={current}
          title={`Tokens in ${current.displayName}`}
          note="Scopes are unknown for this kind of source: the SDK does not record them."
          emptyText="No tokens in this source."
          footer={(tokenCount, reload) => (
            <TransferPanel source={current} tokenCount={tokenCount} onDone={reload} />
          )}
        />
      )}
    </div>
  );
}
