import { useState } from 'react';
import type { SourceHealth, SourceView } from '../../../shared/ipc/sources';
import { useIpcMutation } from '../../api/hooks';
import { Field } from '../../components/Field';
import { InlineError } from '../../components/InlineError';
import { ServerConnectionFields } from './ServerConnectionFields';
import {
  draftToSettings,
  EMPTY_DRAFT,
  KIND_LABELS,
  type SourceDraft,
  type SourceKindChoice,
  settingsToDraft,
} from './source-form';

/** Add or edit one source: a form per kind, "Test connection" that says in plain words what failed. */
export function SourceForm({
  editing,
  onDone,
}: {
  editing: SourceView | null;
  onDone: (view: SourceView | null) => void;
}) {
  const [draft, setDraft] = useState<SourceDraft>(editing ? settingsToDraft(editing.settings) : EMPTY_DRAFT);
  const [tested, setTested] = useState<SourceHealth | null>(null);
  const test = useIpcMutation('testSource');
  const add = useIpcMutation('addSource');
  const update = useIpcMutation('updateSource');
  const set = (patch: Partial<SourceDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setTested(null);
  };
  const settings = () => draftToSettings(draft, editing !== null);
  const save = async () => {
    const view = editing
      ? await update.mutateAsync({ id: editing.id, settings: settings() })
      : await add.mutateAsync({ settings: settings() });
    onDone(view);
  };
  const saving = add.isPending || update.isPending;

  return (
    <form
      className="card stacked"
      aria-label={editing ? `Edit ${editing.displayName}` : 'Add a token source'}
      onSubmit={(e) => {
        e.preventDefault();
        void save().catch(() => {});
      }}
    >
      <h2 className="card__title">{editing ? `Edit ${editing.displayName}` : 'Add a token source'}</h2>
      <label className="field">
        <span className="field__label">Kind</span>
        <select
          className="input"
          value={draft.kind}
          disabled={editing !== null}
          onChange={(e) => set({ kind: e.target.value as SourceKindChoice })}
          data-testid="source-kind"
        >
          {(Object.keys(KIND_LABELS) as SourceKindChoice[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      {draft.kind !== 'mysql' && (
        <Field
          label={draft.kind === 'filestore' ? 'Token file' : 'SQLite file'}
          value={draft.path}
          onChange={(e) => set({ path: e.target.value })}
          placeholder={draft.kind === 'filestore' ? '/srv/app/sdk_tokens.txt' : '/srv/app/zohooauth.db'}
          description="The full path, as the integration's configuration names it."
        />
      )}
      {draft.kind === 'mysql' && (
        <div className="form-grid">
          <ServerConnectionFields
            draft={draft}
            onChange={set}
            passwordDescription={editing?.hasPassword ? 'Leave empty to keep the saved password.' : undefined}
          />
        </div>
      )}
      {draft.kind !== 'filestore' && (
        <Field label="Table" value={draft.table} onChange={(e) => set({ table: e.target.value })} />
      )}
      <div role="status" data-testid="source-test-result">
        {tested &&
          (tested.ok ? (
            <p className="ok-text">
              Connected: {tested.tokenCount} token(s)
              {tested.unreadableCount ? `, ${tested.unreadableCount} unreadable` : ''}.
            </p>
          ) : (
            <p className="danger-text">{tested.message}</p>
          ))}
      </div>
      {(add.error || update.error || test.error) && (
        <InlineError error={add.error ?? update.error ?? test.error} />
      )}
      <div className="dialog__actions">
        <button type="button" className="btn" onClick={() => onDone(null)}>
          Cancel
        </button>
        <button
          type="button"
          className="btn"
          disabled={test.isPending}
          onClick={() =>
            test.mutate(
              { settings: settings(), ...(editing ? { id: editing.id } : {}) },
              { onSuccess: (health) => setTested(health) },
            )
          }
        >
          {test.isPending ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="btn btn--primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save source'}
        </button>
      </div>
    </form>
  );
}
