import type { ErrorCode, ZohoOperation } from './error-codes';

/** A code's words for a person: what happened, and the likely fix. */
export interface ErrorWording {
  readonly message: string;
  readonly hint: string;
}

/**
 * Zoho's failures and the sign-in flows' (docs/zoho.md "Errors to explain to users"). Main's ZohoError
 * says exactly these words (plus the HTTP status and Zoho's own code); the renderer falls back to them
 * when an error arrives with a code only.
 */
export const ZOHO_WORDING = {
  INVALID_CODE: {
    message:
      'Zoho did not accept the grant code: it was already used, has expired (codes live 2-3 minutes), or belongs to another data center.',
    hint: 'Authorise again (or generate a new Self Client grant code) and use it right away, at the data center Zoho named.',
  },
  INVALID_CLIENT: {
    message:
      'Zoho rejected the client id or client secret: one is wrong, or the client is registered in another data center.',
    hint: "Copy the client id and secret again from Zoho's API console for this data center, or enable the client for this data center (multi-DC).",
  },
  INVALID_REDIRECT_URI: {
    message: 'The redirect URI is not registered for this client exactly as it was sent.',
    hint: "Register exactly this redirect URI (scheme, host, port and path) for the client in Zoho's API console.",
  },
  ACCESS_DENIED: {
    message:
      'Access was denied: the user declined, or the client reached Zoho’s limit of 10 grant codes in 10 minutes.',
    hint: 'Authorise again and press Accept; if it keeps failing, wait 10 minutes.',
  },
  THROTTLED: {
    message:
      'Zoho refused because of too many requests in a row (at most 10 refreshes per refresh token in 10 minutes).',
    hint: 'Wait a few minutes before trying again; keep using the current access token until it expires.',
  },
  INVALID_TOKEN: {
    message: 'The access token is not valid: it expired, was revoked, or belongs to another data center.',
    hint: 'Refresh the token; if refreshing fails, authorise again.',
  },
  SCOPE_MISMATCH: {
    message: 'The token does not have the scope this call needs.',
    hint: 'Authorise again with the needed scopes, e.g. ZohoCRM.users.READ and ZohoCRM.org.READ.',
  },
  NETWORK: {
    message: 'Zoho could not be reached: the connection failed or closed without an answer.',
    hint: 'Check the network connection (and proxy or VPN), then try again.',
  },
  TIMEOUT: {
    message: 'Zoho did not answer in time.',
    hint: 'Try again in a moment; if it keeps happening, check the network.',
  },
  SERVER_ERROR: {
    message: 'Zoho answered with a server error.',
    hint: 'This is on Zoho’s side; try again later.',
  },
  UNEXPECTED_RESPONSE: {
    message: 'Zoho sent an answer TokenDesk does not understand.',
    hint: 'Try again; if it persists, report it together with the log.',
  },
  CANCELLED: {
    message: 'It was cancelled before it finished.',
    hint: 'Start it again when you are ready.',
  },
  UNTRUSTED_SERVER: {
    message:
      'Refused to send credentials to a server that is not a known Zoho accounts server or API domain.',
    hint: 'Start the authorisation again from TokenDesk; check the data center and environment settings.',
  },
  UNKNOWN_DATA_CENTER: {
    message: 'That data center is not available here.',
    hint: 'Choose one of the data centers TokenDesk lists; in demo mode only the simulator’s are available.',
  },
  REVOKE_FAILED: {
    message: 'Zoho did not confirm the revoke.',
    hint: 'The refresh token may still work at Zoho; TokenDesk keeps it and tries again.',
  },
  REFRESH_FAILED: {
    message: 'The access token could not be refreshed.',
    hint: 'Try again; if it keeps failing, re-authorise the token.',
  },
  AUTHORIZATION_FAILED: {
    message: 'Zoho did not complete the authorisation.',
    hint: 'Start the sign-in again; check the client id, the data center and the redirect URI.',
  },
  PORT_IN_USE: {
    message: 'The redirect port is already in use on this computer.',
    hint: 'Pick another port in Settings, and register the new redirect URI at Zoho.',
  },
  LOOPBACK_FAILED: {
    message: 'TokenDesk could not listen for Zoho’s redirect on this computer.',
    hint: 'Try again, or pick another redirect port in Settings.',
  },
  UNTRUSTED_ACCOUNTS_SERVER: {
    message: 'The redirect named an accounts server that is not Zoho’s, so the code was not sent there.',
    hint: 'Sign in again from the consent page TokenDesk opened, and check the data center you picked.',
  },
  NO_REFRESH_TOKEN: {
    message: 'Zoho issued no refresh token for this sign-in.',
    hint: 'Sign in again; TokenDesk asks for offline access, so check that the consent page was accepted.',
  },
  USER_LOOKUP_FAILED: {
    message: 'Zoho issued the token, but TokenDesk could not read who it belongs to (CRM CurrentUser).',
    hint: 'Make sure the scopes include ZohoCRM.users.READ, then sign in again.',
  },
  INVALID_INPUT: {
    message: 'Some of the sign-in details are missing or not valid.',
    hint: 'Check the client id, client secret and data center, then try again.',
  },
} as const satisfies Partial<Record<ErrorCode, ErrorWording>>;

/** Zoho's `invalid_code` to a refresh token: the token, not a grant code, is what it refused. */
const REFRESH_TOKEN_REFUSED: ErrorWording = {
  message:
    'Zoho no longer accepts this refresh token: it was revoked, replaced (a user keeps at most 20 per client, the oldest is dropped), or belongs to another data center.',
  hint: 'Authorise again to get a new refresh token.',
};

/** Call-specific words where the general ones would mislead. */
export const ZOHO_CALL_WORDING: Readonly<
  Partial<Record<ZohoOperation, Partial<Record<ErrorCode, ErrorWording>>>>
> = {
  refresh: { INVALID_CODE: REFRESH_TOKEN_REFUSED },
  revoke: {
    INVALID_CODE: REFRESH_TOKEN_REFUSED,
    INVALID_TOKEN: {
      message: 'Zoho does not know this token: it was already revoked, or it belongs to another data center.',
      hint: 'Nothing to revoke here; if the token is still listed, delete it without revoking.',
    },
  },
};
