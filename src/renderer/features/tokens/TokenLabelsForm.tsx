import { type FormEvent, type KeyboardEvent, useId, useState } from 'react';
import { LABEL_FIELDS, type LabelField, labelTextProblem } from '../../../shared/ipc/labels';
import type { TokenView } from '../../../shared/ipc/views';
import { useIpcMutation } from '../../api/hooks';
import { Field } from '../../components/Field';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toasts';
import { withWarnings } from './revoke-outcome';

/** Text as main will store it (trimmed, composed): what the rule is checked on and what "changed" means. */
function stored(text: string): string {
  return text.normalize('NFC').trim();
}

function problem(field: LabelField, text: string): string | undefined {
  return labelTextProblem(field, stored(text)) ?? undefined;
}

interface Props {
  readonly token: TokenView;
  /** The token's source (absent: this computer's store). */
  readonly sourceId?: string;
}

/**
 * The names a person gives (docs/labels.md), edited in the details panel: the client's name (shared by
 * every token of that client) and this token's label and note. Checked as typed with main's own rule;
 * Save (or Ctrl/Cmd+Enter in the note) sends only what changed.
 */
export function TokenLabelsForm({ token, sourceId }: Props) {
  const toast = useToast();
  const noteId = useId();
  const [clientName, setClientName] = useState(token.clientName ?? '');
  const [label, setLabel] = useState(token.label ?? '');
  const [note, setNote] = useState(token.note ?? '');
  const saveLabel = useIpcMutation('setTokenLabel');
  const saveName = useIpcMutation('setClientName');
  const [error, setError] = useState<unknown>(null);
  const pending = saveLabel.isPending || saveName.isPending;

  const errors = {
    clientName: problem('clientName', clientName),
    label: problem('label', label),
    note: problem('note', note),
  };
  const nameChanged = token.clientId !== null && stored(clientName) !== (token.clientName ?? '');
  const labelChanged = stored(label) !== (token.label ?? '') || stored(note) !== (token.note ?? '');

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (pending) return;
    if (errors.clientName || errors.label || errors.note) {
      // The first field in error gets focus; its message is its description.
      const first = (event?.currentTarget as HTMLElement | undefined)?.querySelector<HTMLElement>(
        '[aria-invalid="true"]',
      );
      first?.focus();
      return;
    }
    if (!nameChanged && !labelChanged) return;
    setError(null);
    const warnings: string[] = [];
    try {
      if (labelChanged) {
        const saved = await saveLabel.mutateAsync({
          id: token.id,
          ...(sourceId ? { sourceId } : {}),
          label,
          note,
        });
        warnings.push(...(saved.warnings ?? []));
      }
      if (nameChanged && token.clientId !== null) {
        const saved = await saveName.mutateAsync({ clientId: token.clientId, name: clientName });
        warnings.push(...(saved.warnings ?? []));
      }
      toast({
        tone: 'success',
        title: 'Names saved',
        description: withWarnings('Shown in the list and found by search.', warnings),
      });
    } catch (failure) {
      setError(failure);
    }
  };

  const noteError = errors.note;
  return (
    <section className="details__labels" aria-labelledby={`${noteId}-title`} data-testid="token-labels">
      <h3 id={`${noteId}-title`}>Names and notes</h3>
      <form className="labels-form" noValidate onSubmit={(e) => void submit(e)}>
        {token.clientId !== null && (
          <OneLineName
            field="clientName"
            value={clientName}
            error={errors.clientName}
            onChange={setClientName}
          />
        )}
        <OneLineName field="label" value={label} error={errors.label} onChange={setLabel} />
        <div className="field">
          <label className="field__label" htmlFor={noteId}>
            Note
          </label>
          <textarea
            id={noteId}
            className="input textarea"
            rows={3}
            value={note}
            aria-invalid={noteError ? true : undefined}
            aria-describedby={`${noteId}-desc${noteError ? ` ${noteId}-err` : ''}`}
            onChange={(e) => setNote(e.target.value)}
            onKeyDown={(e: KeyboardEvent<HTMLTextAreaElement>) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
            maxLength={LABEL_FIELDS.note.max * 2}
            data-testid="token-note-input"
          />
          <p id={`${noteId}-desc`} className="field__desc">
            Up to {LABEL_FIELDS.note.max} characters. Ctrl+Enter saves.
          </p>
          {noteError && (
            <p id={`${noteId}-err`} className="field__error">
              {noteError}
            </p>
          )}
        </div>
        <InlineError error={error} title="Not saved" testId="token-labels-error" />
        <div className="labels-form__actions">
          <button
            type="submit"
            className="btn"
            disabled={pending || (!nameChanged && !labelChanged)}
            data-testid="token-labels-save"
          >
            {pending ? <Spinner label="Saving…" /> : 'Save names'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The one-line names' words; their rules (length, characters) are main's, in LABEL_FIELDS. */
const ONE_LINE_NAMES = {
  clientName: {
    label: 'Client name',
    description: 'Names this client for every token that uses it.',
    testId: 'client-name-input',
  },
  label: {
    label: 'Label',
    description: 'For example “website forms” or “leaver 2026-11”.',
    testId: 'token-label-input',
  },
} as const;

interface OneLineNameProps {
  readonly field: keyof typeof ONE_LINE_NAMES;
  readonly value: string;
  readonly error: string | undefined;
  readonly onChange: (value: string) => void;
}

function OneLineName({ field, value, error, onChange }: OneLineNameProps) {
  const words = ONE_LINE_NAMES[field];
  return (
    <Field
      label={words.label}
      value={value}
      error={error}
      description={words.description}
      onChange={(e) => onChange(e.target.value)}
      autoComplete="off"
      maxLength={LABEL_FIELDS[field].max * 2}
      data-testid={words.testId}
    />
  );
}
