import { PassphraseField } from '../../components/PassphraseField';
import { passphraseStrength } from '../../lib/passphrase';

const MISMATCH = 'The two passphrases do not match.';
/** The same words as the strength meter's advice for a short passphrase, so the two are never both shown. */
const TOO_SHORT = passphraseStrength('').advice;

interface Props {
  readonly value: string;
  readonly confirm: string;
  readonly onValue: (v: string) => void;
  readonly onConfirm: (v: string) => void;
  readonly error?: string | undefined;
}

/** New passphrase + confirmation + a strength meter (used at first run and in Settings). */
export function PassphraseFields({ value, confirm, onValue, onConfirm, error }: Props) {
  const hint = passphraseStrength(value);
  const mismatch = confirm !== '' && confirm !== value ? MISMATCH : undefined;
  return (
    <>
      <PassphraseField
        label="New passphrase"
        purpose="new"
        value={value}
        onChange={onValue}
        error={error}
        testId="passphrase-new"
        description={
          // One live region from the first render, so the first strength verdict is announced too.
          <span aria-live="polite">
            {value === '' ? (
              'At least 8 characters. A few unrelated words are easy to type and hard to guess.'
            ) : (
              <span className="strength" data-strength={hint.strength}>
                <span className="strength__meter" aria-hidden="true">
                  {[1, 2, 3, 4].map((n) => (
                    <span key={n} className={n <= hint.score ? 'strength__bar is-on' : 'strength__bar'} />
                  ))}
                </span>
                <span>
                  <strong>{hint.label}.</strong>
                  {/* The field's error already says it (e.g. "Use at least 8 characters."): say it once. */}
                  {hint.advice !== error && <> {hint.advice}</>}
                </span>
              </span>
            )}
          </span>
        }
      />
      <PassphraseField
        label="Confirm passphrase"
        purpose="new"
        value={confirm}
        onChange={onConfirm}
        error={mismatch}
        testId="passphrase-confirm"
      />
    </>
  );
}

export function passphraseProblem(value: string, confirm: string): string | null {
  if (value.length < 8) return TOO_SHORT;
  if (value !== confirm) return MISMATCH;
  return null;
}
