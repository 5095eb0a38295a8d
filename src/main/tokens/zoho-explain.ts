const DEAD_ACCESS_TOKEN = 'Zoho rejected the access token.';
const MISSING_SCOPE =
  'The token lacks the scope this call needs (e.g. ZohoCRM.users.READ or ZohoCRM.org.READ).';

/**
 * Zoho's failures in plain words (docs/zoho.md "Errors to explain to users"). Keyed by the codes ZohoError carries.
 * Transient failures leave a stored token untouched; permanent ones are recorded as its last error.
 */
const WORDS: Readonly<Record<string, string>> = {
  INVALID_CODE:
    'Zoho no longer accepts this refresh token: it was revoked, replaced, or evicted (a user keeps at most 20). Re-authorise the token.',
  INVALID_CLIENT:
    'Zoho rejected the client id or secret: they are wrong, or the client belongs to another data center.',
  THROTTLED: 'Zoho is limiting requests for this token (too many refreshes in a short time).',
  NETWORK: 'Zoho could not be reached (the connection failed or was dropped).',
  TIMEOUT: 'Zoho did not answer in time.',
  SERVER_ERROR: 'Zoho answered with a server error.',
  // Zoho's older and newer names for the same failure read the same.
  INVALID_TOKEN: DEAD_ACCESS_TOKEN,
  INVALID_OAUTHTOKEN: DEAD_ACCESS_TOKEN,
  SCOPE_MISMATCH: MISSING_SCOPE,
  OAUTH_SCOPE_MISMATCH: MISSING_SCOPE,
};

/** Failures that say nothing about the token itself: retrying later may work, so nothing is recorded. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'THROTTLED',
  'NETWORK',
  'TIMEOUT',
  'SERVER_ERROR',
  'UNEXPECTED_RESPONSE',
  'CANCELLED',
]);

/** Refresh-token death: the token needs a new browser sign-in. */
export const DEAD_REFRESH_TOKEN_CODES: ReadonlySet<string> = new Set(['INVALID_CODE']);

export function explainZoho(code: string | null, fallback: string): string {
  return (code !== null ? WORDS[code] : undefined) ?? fallback;
}
