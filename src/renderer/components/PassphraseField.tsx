import * as Label from '@radix-ui/react-label';
import { type KeyboardEvent, type ReactNode, type Ref, useId, useState } from 'react';

interface PassphraseFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /**
   * What the password manager should offer: `current` the store's passphrase (unlock, change), `new` one
   * being chosen, `other` one it should not fill (a backup's, which may be an old one).
   */
  readonly purpose: 'current' | 'new' | 'other';
  readonly error?: string | undefined;
  /** An error that arrives after submit (a wrong passphrase) is announced at once. */
  readonly announceError?: boolean;
  readonly errorTestId?: string;
  readonly description?: ReactNode;
  readonly disabled?: boolean;
  readonly autoFocus?: boolean;
  readonly testId?: string;
  readonly ref?: Ref<HTMLInputElement>;
}

const AUTOCOMPLETE = { current: 'current-password', new: 'new-password', other: 'off' } as const;

/**
 * The one passphrase input (unlock, first run, change passphrase, restore): a labelled password field with
 * its description and error wired to it, no spelling or capitalisation help (both would change or send
 * what is typed), and a note while Caps Lock is on, since the typed text cannot be seen.
 */
export function PassphraseField({
  label,
  value,
  onChange,
  purpose,
  error,
  announceError = false,
  errorTestId,
  description,
  disabled,
  autoFocus,
  testId,
  ref,
}: PassphraseFieldProps) {
  const id = useId();
  const [capsLock, setCapsLock] = useState(false);
  const describedBy = [
    description ? `${id}-desc` : null,
    capsLock ? `${id}-caps` : null,
    error ? `${id}-err` : null,
  ]
    .filter(Boolean)
    .join(' ');
  const readCapsLock = (event: KeyboardEvent<HTMLInputElement>) =>
    setCapsLock(event.getModifierState('CapsLock'));
  return (
    <div className="field">
      <Label.Root htmlFor={id} className="field__label">
        {label}
      </Label.Root>
      <div className="field__control">
        <input
          id={id}
          ref={ref}
          className="input"
          type="password"
          autoComplete={AUTOCOMPLETE[purpose]}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          // biome-ignore lint/a11y/noAutofocus: only where typing the passphrase is all the screen is for (unlock).
          autoFocus={autoFocus}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={readCapsLock}
          onKeyUp={readCapsLock}
          onBlur={() => setCapsLock(false)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          disabled={disabled}
          data-testid={testId}
        />
      </div>
      {description && (
        <p id={`${id}-desc`} className="field__desc">
          {description}
        </p>
      )}
      {capsLock && (
        <p id={`${id}-caps`} className="field__desc warn-text">
          Caps Lock is on.
        </p>
      )}
      {error && (
        <p
          id={`${id}-err`}
          className="field__error"
          role={announceError ? 'alert' : undefined}
          data-testid={errorTestId}
        >
          {error}
        </p>
      )}
    </div>
  );
}
