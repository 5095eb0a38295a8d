import { useState } from 'react';
import { InlineError } from '../../components/InlineError';
import { PassphraseField } from '../../components/PassphraseField';
import { Spinner } from '../../components/Spinner';
import type { ToastInput } from '../../components/Toasts';
import { PassphraseFields, passphraseProblem } from '../unlock/PassphraseFields';

interface Props {
  readonly testId: string;
  /** Ask for the current passphrase first (a change), or not (a passphrase added beside the keychain). */
  readonly askCurrent: boolean;
  readonly pending: boolean;
  readonly error: Error | null;
  /** Above the error: what did not happen ("The passphrase was not changed"). */
  readonly errorTitle: string;
  readonly submitLabel: string;
  /** The spinner's words while main re-wraps the key. */
  readonly pendingLabel: string;
  /** Runs once the fields pass their checks; `clear` empties them, for a success. */
  readonly onSubmit: (passphrases: { current: string; next: string }, clear: () => void) => void;
}

/**
 * A new master passphrase typed twice (and the current one, for a change), checked here before anything is
 * sent: Settings > Security's change and add forms (docs/store-lifecycle.md).
 */
export function NewPassphraseForm({
  testId,
  askCurrent,
  pending,
  error,
  errorTitle,
  submitLabel,
  pendingLabel,
  onSubmit,
}: Props) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const missingCurrent = askCurrent && current === '';
  const clear = () => {
    setCurrent('');
    setNext('');
    setConfirm('');
  };

  return (
    <form
      noValidate
      className="stack"
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        const p = missingCurrent ? null : passphraseProblem(next, confirm);
        setProblem(p);
        if (missingCurrent || p) return;
        onSubmit({ current, next }, clear);
      }}
    >
      {askCurrent && (
        <PassphraseField
          label="Current passphrase"
          purpose="current"
          value={current}
          onChange={setCurrent}
          testId="passphrase-current"
        />
      )}
      <PassphraseFields
        value={next}
        confirm={confirm}
        onValue={setNext}
        onConfirm={setConfirm}
        error={problem ?? undefined}
      />
      <InlineError error={error} title={errorTitle} />
      <div className="dialog__actions">
        <button type="submit" className="btn" disabled={pending || missingCurrent}>
          {pending ? <Spinner label={pendingLabel} /> : submitLabel}
        </button>
      </div>
    </form>
  );
}

/**
 * Toasts for a change to the store's protection: what was done, and apart from it a side-write (the audit
 * row) that failed, since the change happened all the same (docs/architecture.md "Failure rules").
 */
export function toastStoreChange(
  toast: (toast: ToastInput) => void,
  done: { readonly title: string; readonly description: string; readonly warningTitle: string },
  warning: string | null,
): void {
  toast({ tone: 'success', title: done.title, description: done.description });
  if (warning) toast({ tone: 'error', title: done.warningTitle, description: warning });
}
