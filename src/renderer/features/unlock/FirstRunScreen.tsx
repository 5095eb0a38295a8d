import { useState } from 'react';
import type { AppStatus } from '../../../shared/ipc/views';
import { useIpcMutation } from '../../api/hooks';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { PassphraseFields, passphraseProblem } from './PassphraseFields';

/**
 * First run: choose how the data key is protected. On Linux with the `basic_text` backend the "keychain"
 * stores secrets in plain text, so main reports it unavailable and we steer to a passphrase (docs/architecture.md).
 */
export function FirstRunScreen({
  status,
  replacing,
  onCancel,
}: {
  status: AppStatus;
  /** Set when the person chose to replace a store that is missing or empty (the unlock screen). */
  replacing?: NonNullable<AppStatus['missingStore']>;
  onCancel?: () => void;
}) {
  const setup = useIpcMutation('setupStore');
  const startOver = replacing ? ({ startOver: true } as const) : {};
  const keychainOk = status.keychain.available;
  const [choice, setChoice] = useState<'keychain' | 'passphrase'>(keychainOk ? 'keychain' : 'passphrase');
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = () => {
    if (choice === 'keychain') {
      setup.mutate({ protector: 'keychain', ...startOver });
      return;
    }
    const p = passphraseProblem(pass, confirm);
    setProblem(p);
    if (!p) setup.mutate({ protector: 'passphrase', passphrase: pass, ...startOver });
  };

  return (
    <main className="gate" data-testid="first-run">
      <form
        className="gate__card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {replacing ? (
          <>
            <h1 className="gate__title">Start a new, empty store</h1>
            <p data-testid="start-over-warning">
              The new store will not hold the tokens of the one that is {replacing.reason}. Choose what
              protects its encryption key.
            </p>
          </>
        ) : (
          <>
            <h1 className="gate__title">Set up TokenDesk</h1>
            <p>Tokens are encrypted on this computer. Choose what protects the encryption key.</p>
          </>
        )}
        <fieldset className="choices" disabled={setup.isPending}>
          <legend className="sr-only">Key protection</legend>
          <label className={`choice${!keychainOk ? ' is-disabled' : ''}`}>
            <input
              type="radio"
              name="protector"
              value="keychain"
              checked={choice === 'keychain'}
              disabled={!keychainOk}
              onChange={() => setChoice('keychain')}
            />
            <span>
              <strong>OS keychain</strong>
              <span className="choice__desc">
                {keychainOk
                  ? 'Unlocks automatically when you log in to this computer.'
                  : `Not available here: ${status.keychain.reason ?? 'the system keychain cannot protect secrets on this computer.'} Use a passphrase instead.`}
              </span>
            </span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="protector"
              value="passphrase"
              checked={choice === 'passphrase'}
              onChange={() => setChoice('passphrase')}
            />
            <span>
              <strong>Master passphrase</strong>
              <span className="choice__desc">
                You type it each time TokenDesk starts. It cannot be recovered if lost.
              </span>
            </span>
          </label>
        </fieldset>
        {choice === 'passphrase' && (
          <PassphraseFields
            value={pass}
            confirm={confirm}
            // A problem found at submit no longer applies once the passphrase changes.
            onValue={(v) => {
              setPass(v);
              setProblem(null);
            }}
            onConfirm={(v) => {
              setConfirm(v);
              setProblem(null);
            }}
            error={problem ?? undefined}
          />
        )}
        <InlineError error={setup.error} title="Setup did not finish" />
        <button
          type="submit"
          className="btn btn--primary btn--block"
          disabled={setup.isPending}
          data-testid="setup-submit"
        >
          {setup.isPending ? (
            <Spinner label="Setting up…" />
          ) : choice === 'keychain' ? (
            'Use OS keychain'
          ) : (
            'Set passphrase'
          )}
        </button>
        {onCancel && (
          <button type="button" className="btn btn--block" onClick={onCancel} disabled={setup.isPending}>
            Back
          </button>
        )}
      </form>
    </main>
  );
}
