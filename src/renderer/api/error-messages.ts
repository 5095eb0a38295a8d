import { normaliseCode } from '../../shared/errors/error-codes';
import { wordingOfRaw } from '../../shared/errors/error-wording';

export { normaliseCode } from '../../shared/errors/error-codes';

/**
 * An error as the console shows it. Main usually sends its own message and hint; those win, because they
 * know the exact case. The shared catalogue's words (src/shared/errors, docs/architecture.md "Errors")
 * fill in what did not come, so main and the console never word a code differently.
 */
export interface ExplainedError {
  readonly code: string;
  readonly message: string;
  readonly hint: string | null;
}

/**
 * Accepts any spelling of a code: an IPC error carries a catalogue code, but a revoke outcome or a test
 * result may carry Zoho's own (`invalid_code`, `INVALID_OAUTHTOKEN`).
 */
export function explainError(error: {
  readonly code: string;
  readonly message: string;
  readonly hint?: string | undefined;
}): ExplainedError {
  const code = normaliseCode(error.code);
  const known = wordingOfRaw(code);
  const message = error.message.trim() !== '' ? error.message : (known?.message ?? 'The action failed.');
  const hint = error.hint?.trim() ? error.hint : (known?.hint ?? null);
  return { code, message, hint };
}

/** Known wording for a code alone, e.g. a failed revoke outcome that carries only a code and Zoho's text. */
export function knownHint(code: string): string | null {
  return wordingOfRaw(code)?.hint ?? null;
}
