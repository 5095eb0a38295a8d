import { z } from 'zod';

/** The codes a failed Zoho call carries (main's ZohoError; docs/zoho.md "Errors to explain to users"). */
export const ZOHO_ERROR_CODES = [
  'INVALID_CODE',
  'INVALID_CLIENT',
  'INVALID_REDIRECT_URI',
  'ACCESS_DENIED',
  'THROTTLED',
  'INVALID_TOKEN',
  'SCOPE_MISMATCH',
  'NETWORK',
  'TIMEOUT',
  'SERVER_ERROR',
  'UNEXPECTED_RESPONSE',
  /** The caller cancelled (e.g. the user cancelled a sign-in) before Zoho answered. */
  'CANCELLED',
  /** The callback's accounts-server or a response's api_domain is not a known Zoho host. */
  'UNTRUSTED_SERVER',
  /** The endpoints in use (Zoho's, or the simulator's in demo mode) serve no such data center. */
  'UNKNOWN_DATA_CENTER',
] as const;

/**
 * Every error code TokenDesk shows or sends over IPC, once (docs/architecture.md "Errors"). Main's error
 * classes take their codes from here, the IPC contract's error schema is this enum, and every code has one
 * user message and hint in error-wording.ts. One code, one meaning: a code is never reused for another
 * failure, so its wording fits wherever it appears.
 */
export const ErrorCodeSchema = z.enum([
  // The IPC router and the renderer's bridge.
  'INVALID_ARGUMENT',
  'FORBIDDEN_SENDER',
  'INTERNAL',
  'NO_BRIDGE',
  'UNEXPECTED',
  ...ZOHO_ERROR_CODES,
  // A Zoho call that failed for a reason no ZohoError named.
  'REVOKE_FAILED',
  'REFRESH_FAILED',
  // Sign-in flows (SignInError).
  'AUTHORIZATION_FAILED',
  'PORT_IN_USE',
  'LOOPBACK_FAILED',
  'UNTRUSTED_ACCOUNTS_SERVER',
  'NO_REFRESH_TOKEN',
  'USER_LOOKUP_FAILED',
  'INVALID_INPUT',
  // Token use cases (ServiceError).
  'NOT_FOUND',
  'SAVE_FAILED',
  'LOCKED',
  'UNREADABLE',
  'REAUTH_REQUIRED',
  'INCOMPLETE_TOKEN',
  'ZOHO_UNREACHABLE',
  'ZOHO_REJECTED',
  'COUNT_MISMATCH',
  'DIFFERENT_USER',
  'IN_PROGRESS',
  'NOT_SUPPORTED',
  'DEMO_UNAVAILABLE',
  'DEMO_TOKEN_ORPHANED',
  // The store, its key and its life (TokenStoreError, KeyProtectorError, StoreLifecycleError).
  'ALREADY_SET_UP',
  'NOT_SET_UP',
  'WRONG_PASSPHRASE',
  'KEYCHAIN_UNAVAILABLE',
  'STORE_MISSING',
  'KEY_CORRUPT',
  'UNLOCK_BACKOFF',
  'CLOSED',
  'NOT_FOUND_DETAILS',
  'UNREADABLE_ROW',
  'MALFORMED_TOKEN',
  'STORAGE',
  'CONFLICT',
  'DATABASE_BUSY',
  'UNAVAILABLE',
  'CORRUPT',
  // The team store (TeamStoreError).
  'INVALID_MEMBER_KEY',
  'NOT_A_MEMBER',
  'READ_ONLY',
  'NOT_A_TEAM_STORE',
  'ALREADY_A_MEMBER',
  'UNKNOWN_MEMBER',
  'LAST_MEMBER',
  'UNREACHABLE',
  // Backups (BackupError).
  'BACKUP_PATH_INVALID',
  'BACKUP_EXISTS',
  'BACKUP_NOT_FOUND',
  'NOT_A_BACKUP',
  'BACKUP_DAMAGED',
  'BACKUP_WRONG_PASSPHRASE',
  'BACKUP_PROTECTOR_MISMATCH',
  'BACKUP_ROWS_UNREADABLE',
  'BACKUP_IO',
  'BACKUP_IN_PROGRESS',
  'BACKUP_NO_PATH',
  // Token sources and the SDK adapter.
  'BAD_SOURCE',
  'SOURCE_UNREACHABLE',
  'SAME_SOURCE',
  'CONFIRMATION_REQUIRED',
  'SDK_ADAPTER',
  'TOKEN_STORE',
  // Client names, token labels and notes (docs/labels.md).
  'INVALID_LABEL',
  // The CLI and the edge.
  'USAGE',
  'BAD_ENVIRONMENT',
  'NO_STORE',
  'PASSPHRASE_REQUIRED',
  'KEYCHAIN_ONLY',
  'NO_CLIPBOARD',
  'URL_REFUSED',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** Which Zoho call failed; a few codes read differently per call (e.g. INVALID_CODE for a code vs a refresh). */
export type ZohoOperation = 'exchange' | 'refresh' | 'revoke' | 'crm';

/**
 * Zoho's own spellings of a failure that has a code here: the OAuth endpoints answer in lower case
 * (`invalid_code`), and the CRM has older and newer names for one failure (docs/zoho.md).
 */
const ZOHO_ALIASES: Readonly<Record<string, ErrorCode>> = {
  INVALID_OAUTHTOKEN: 'INVALID_TOKEN',
  OAUTH_SCOPE_MISMATCH: 'SCOPE_MISMATCH',
};

/** `invalid-code ` and `INVALID_CODE` alike: upper case, underscores. */
export function normaliseCode(code: string): string {
  return code
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
}

/** The catalogue's code for a code as main, Zoho or a stored outcome spelled it; null when it has none. */
export function toErrorCode(raw: string): ErrorCode | null {
  const code = normaliseCode(raw);
  const parsed = ErrorCodeSchema.safeParse(code);
  return parsed.success ? parsed.data : (ZOHO_ALIASES[code] ?? null);
}
