import { useEffect, useRef, useState } from 'react';
import { toUserError } from '../../api/client';
import { useIpcMutation } from '../../api/hooks';
import { Spinner } from '../../components/Spinner';

/** Locked store: ask for the passphrase. A wrong one says so and keeps focus (and the text selected) in the field. */
export function UnlockScreen() {
  const unlock = useIpcMutation('unlockStore');
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const error = unlock.error ? toUserError(unlock.error) : null;

  // Keyed on the mutation's own error object, which changes once per failed attempt. `error` above is
  // rebuilt every render, so keying on it re-selected the text after each keystroke and the next key
  // replaced what had just been typed.
  useEffect(() => {
    if (unlock.error) {
      input.current?.focus();
      input.current?.select();
    }
  }, [unlock.error]);

  return (
    <main className="gate" data-testid="unlock">
      <form
        className="gate__card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (value !== '') unlock.mutate({ passphrase: value });
        }}
      >
        <h1 className="gate__title">TokenDesk is locked</h1>
        <p>Enter your master passphrase to decrypt the stored tokens.</p>
        <div className="field">
          <label htmlFor="unlock-passphrase" className="field__label">
            Passphrase
          </label>
          <input
            id="unlock-passphrase"
            ref={input}
            className="input"
            type="password"
            autoComplete="current-password"
            // biome-ignore lint/a11y/noAutofocus: the only thing to do on this screen is type the passphrase.
            autoFocus
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'unlock-error' : undefined}
            disabled={unlock.isPending}
            data-testid="unlock-passphrase"
          />
          {error && (
            <p id="unlock-error" className="field__error" role="alert" data-testid="unlock-error">
              {error.message} {error.hint}
            </p>
          )}
        </div>
        <button
          type="submit"
          className="btn btn--primary btn--block"
          disabled={unlock.isPending || value === ''}
        >
          {unlock.isPending ? <Spinner label="Unlocking…" /> : 'Unlock'}
        </button>
      </form>
    </main>
  );
}
