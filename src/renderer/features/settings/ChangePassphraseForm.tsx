import { useState } from 'react';
import { useIpcMutation } from '../../api/hooks';
import { InlineError } from '../../components/InlineError';
import { PassphraseField } from '../../components/PassphraseField';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toasts';
import { PassphraseFields, passphraseProblem } from '../unlock/PassphraseFields';

export function ChangePassphraseForm() {
  const toast = useToast();
  const change = useIpcMutation('changePassphrase');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  return (
    <form
      noValidate
      className="stack"
      data-testid="change-passphrase"
      onSubmit={(e) => {
        e.preventDefault();
        const p = current === '' ? null : passphraseProblem(next, confirm);
        setProblem(p);
        if (current === '' || p) return;
        change.mutate(
          { current, next },
          {
            onSuccess: (result) => {
              setCurrent('');
              setNext('');
              setConfirm('');
              toast({
                tone: 'success',
                title: 'Passphrase changed',
                description: 'Use the new one next time TokenDesk starts.',
              });
              // Changed all the same; only the side write (the audit row) failed, and that is said apart.
              if (result.warning)
                toast({
                  tone: 'error',
                  title: 'Passphrase changed, with a problem',
                  description: result.warning,
                });
            },
          },
        );
      }}
    >
      <PassphraseField
        label="Current passphrase"
        purpose="current"
        value={current}
        onChange={setCurrent}
        testId="passphrase-current"
      />
      <PassphraseFields
        value={next}
        confirm={confirm}
        onValue={setNext}
        onConfirm={setConfirm}
        error={problem ?? undefined}
      />
      <InlineError error={change.error} title="The passphrase was not changed" />
      <div className="dialog__actions">
        <button type="submit" className="btn" disabled={change.isPending || current === ''}>
          {change.isPending ? <Spinner label="Re-encrypting the key…" /> : 'Change passphrase'}
        </button>
      </div>
    </form>
  );
}
