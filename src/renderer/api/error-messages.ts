import type { IpcError } from '../../shared/ipc/contract';

/**
 * Plain words for the codes main and Zoho produce (docs/zoho.md "Errors to explain to users"). Main
 * usually sends its own message and hint; those win, because they know the exact case. This table is the
 * fallback for when it does not, and the one place the console phrases Zoho's terse codes.
 */
export interface ExplainedError {
  readonly code: string;
  readonly message: string;
  readonly hint: string | null;
}

type Explanation = { readonly message: string; readonly hint: string };

// One failure under two codes each (CRM's INVALID_TOKEN and its older INVALID_OAUTHTOKEN; Zoho's
// OAUTH_SCOPE_MISMATCH and main's SCOPE_MISMATCH): written once so both codes read the same.
const ACCESS_TOKEN_REJECTED: Explanation = {
  message: 'Zoho no longer accepts this access token.',
  hint: 'Refresh it; if refreshing fails, re-authorise.',
};
const SCOPE_MISSING: Explanation = {
  message: 'The token lacks a scope this call needs.',
  hint: 'Re-authorise with ZohoCRM.users.READ and ZohoCRM.org.READ in the scopes.',
};

const KNOWN: Readonly<Record<string, Explanation>> = {
  INVALID_CLIENT: {
    message: 'Zoho did not accept the client id or secret.',
    hint: 'Check both in the Zoho API console, and that the client belongs to the data center you picked.',
  },
  INVALID_CODE: {
    message:
      'Zoho rejected the code or token: it was already used, has expired, or belongs to another data center.',
    hint: 'Grant codes are single-use and last about 2 minutes; generate a new one, or re-authorise if a refresh token was revoked.',
  },
  INVALID_REDIRECT_URI: {
    message: 'The redirect URI is not registered for this client at Zoho.',
    hint: 'Add the exact redirect URI shown in the dialog to the client in the Zoho API console (same port and path).',
  },
  ACCESS_DENIED: {
    message: 'Access was denied at Zoho: the sign-in was declined, or too many grant codes were requested.',
    hint: 'Try again and choose Accept; if it keeps happening, wait 10 minutes.',
  },
  THROTTLED: {
    message: 'Zoho is throttling requests: too many in a short time.',
    hint: 'Wait a few minutes before trying again. Zoho allows about 10 refreshes per token every 10 minutes.',
  },
  NETWORK: {
    message: 'Could not reach Zoho.',
    hint: 'Check the internet connection, proxy or VPN, then try again.',
  },
  TIMEOUT: {
    message: 'Zoho did not answer in time.',
    hint: 'Try again; if the sign-in page is still open, finish it sooner.',
  },
  INVALID_TOKEN: ACCESS_TOKEN_REJECTED,
  INVALID_OAUTHTOKEN: ACCESS_TOKEN_REJECTED,
  OAUTH_SCOPE_MISMATCH: SCOPE_MISSING,
  REAUTH_REQUIRED: {
    message: 'Zoho no longer accepts the refresh token (revoked, or evicted after 20 newer ones).',
    hint: 'Choose Re-authorise and sign in again.',
  },
  SERVER_ERROR: {
    message: 'Zoho answered with a server error.',
    hint: 'This is on Zoho’s side; try again in a few minutes.',
  },
  UNEXPECTED_RESPONSE: {
    message: 'Zoho sent an answer TokenDesk does not understand.',
    hint: 'Try again; if it keeps happening, report it with the audit log entry.',
  },
  UNTRUSTED_SERVER: {
    message: 'The sign-in pointed at a server that is not a known Zoho accounts or API host.',
    hint: 'Sign in again from the consent page TokenDesk opened, and check the data center you picked.',
  },
  ZOHO_UNREACHABLE: {
    message: 'Could not reach Zoho.',
    hint: 'Check the internet connection, proxy or VPN, then try again.',
  },
  ZOHO_REJECTED: {
    message: 'Zoho refused the request.',
    hint: 'Check the client and data center, then try again.',
  },
  UNREADABLE: {
    message: 'This token cannot be decrypted (tampered, or encrypted with another key).',
    hint: 'Delete it and add the account again.',
  },
  DIFFERENT_USER: {
    message: 'You signed in as a different Zoho user than the one this token belongs to.',
    hint: 'Sign out of Zoho in the browser, then re-authorise as the right user.',
  },
  PORT_IN_USE: {
    message: 'The redirect port is already in use on this computer.',
    hint: 'Pick another port in Settings, and register the new redirect URI at Zoho.',
  },
  SCOPE_MISMATCH: SCOPE_MISSING,
  KEYCHAIN_UNAVAILABLE: {
    message: 'The OS keychain cannot protect secrets on this computer.',
    hint: 'Use a master passphrase instead.',
  },
  DEMO_UNAVAILABLE: {
    message: 'The built-in Zoho simulator is not available.',
    hint: 'Restart TokenDesk and try again.',
  },
  CANCELLED: { message: 'Sign-in was cancelled.', hint: 'Start it again when you are ready.' },
  LOCKED: { message: 'The token store is locked.', hint: 'Unlock it with your passphrase.' },
  DATABASE_BUSY: {
    message: 'The database is busy (held by another program). Nothing was written.',
    hint: 'Another program (for example an app using the Zoho SDK with the same file) is writing to it. Try again when it has finished.',
  },
  WRONG_PASSPHRASE: {
    message: 'That passphrase is not right.',
    hint: 'Check Caps Lock and the keyboard layout, then try again.',
  },
  COUNT_MISMATCH: {
    message: 'The number of tokens changed since you confirmed.',
    hint: 'Review the list and confirm again.',
  },
  NOT_FOUND: { message: 'That token no longer exists.', hint: 'The list has been refreshed.' },
  INVALID_ARGUMENT: { message: 'Some details are not valid.', hint: 'Check the highlighted fields.' },
  FORBIDDEN_SENDER: {
    message: 'The request was refused by the app itself.',
    hint: 'Restart TokenDesk; this page is not trusted.',
  },
  INTERNAL: {
    message: 'Something went wrong inside TokenDesk.',
    hint: 'Try again; the audit log may say more.',
  },
  NO_BRIDGE: {
    message: 'TokenDesk’s back end is not available.',
    hint: 'Open the console from the TokenDesk app, not a plain browser.',
  },
};

/** Zoho sends lower-case codes (`invalid_code`); main upper-cases them. Accept both. */
export function normaliseCode(code: string): string {
  return code
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
}

export function explainError(error: IpcError): ExplainedError {
  const code = normaliseCode(error.code);
  const known = KNOWN[code];
  const message = error.message.trim() !== '' ? error.message : (known?.message ?? 'The action failed.');
  const hint = error.hint?.trim() ? error.hint : (known?.hint ?? null);
  return { code, message, hint };
}

/** Known wording for a code alone, e.g. a failed revoke outcome that carries only a code and Zoho's text. */
export function knownHint(code: string): string | null {
  return KNOWN[normaliseCode(code)]?.hint ?? null;
}
