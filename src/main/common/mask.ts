const ZOHO_PREFIX = /^\d{4}\./;
/** Below this many characters after the prefix, showing 6 of them would reveal too much. */
const MIN_REVEALABLE = 16;

/**
 * A preview that identifies a secret without revealing it (docs/architecture.md "Secrets"): Zoho's `1000.` prefix,
 * two characters, an ellipsis, the last four. Short or unusual values show only the prefix and ellipsis.
 */
export function maskSecret(secret: string | null): string | null {
  if (secret === null || secret === '') return null;
  const prefix = ZOHO_PREFIX.exec(secret)?.[0] ?? '';
  const body = secret.slice(prefix.length);
  if (body.length < MIN_REVEALABLE) return `${prefix}…`;
  return `${prefix}${body.slice(0, 2)}…${body.slice(-4)}`;
}
