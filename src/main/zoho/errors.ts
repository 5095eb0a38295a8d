import { AppError } from '../errors';
import { redactSecrets } from '../log';

/**
 * Every failure of a Zoho call, as a typed code with plain words (docs/zoho.md "Errors to explain to users")
 * and the likely fix. Messages never contain a secret: they are built from fixed text plus, at most, an
 * HTTP status and Zoho's own short error string.
 */
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
  /** Added: the caller cancelled (e.g. the user cancelled a sign-in) before Zoho answered. */
  'CANCELLED',
  /** Added: the callback's accounts-server or a response's api_domain is not a known Zoho host. */
  'UNTRUSTED_SERVER',
] as const;
export type ZohoErrorCode = (typeof ZOHO_ERROR_CODES)[number];

/** Which call failed; some codes read differently per call (e.g. invalid_code for a code vs a refresh). */
export type ZohoOperation = 'exchange' | 'refresh' | 'revoke' | 'crm';

interface Wording {
  readonly message: string;
  readonly hint: string;
}

const WORDING: Readonly<Record<ZohoErrorCode, Wording>> = {
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
    message: 'Could not reach Zoho: the connection failed or closed without an answer.',
    hint: 'Check the network connection (and proxy), then try again.',
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
    message: 'The request to Zoho was cancelled before it finished.',
    hint: 'Start it again when you are ready.',
  },
  UNTRUSTED_SERVER: {
    message:
      'Refused to send credentials to a server that is not a known Zoho accounts server or API domain.',
    hint: 'Start the authorisation again from TokenDesk; check the data center and environment settings.',
  },
};

/** Call-specific wording where the generic text would mislead. */
const OVERRIDES: Partial<Record<ZohoOperation, Partial<Record<ZohoErrorCode, Wording>>>> = {
  refresh: {
    INVALID_CODE: {
      message:
        'Zoho no longer accepts this refresh token: it was revoked, replaced (a user keeps at most 20 per client, the oldest is dropped), or belongs to another data center.',
      hint: 'Authorise again to get a new refresh token.',
    },
  },
  revoke: {
    INVALID_TOKEN: {
      message: 'Zoho does not know this token: it was already revoked, or it belongs to another data center.',
      hint: 'Nothing to revoke here; if the token is still listed, delete it without revoking.',
    },
  },
};

export interface ZohoErrorDetails {
  readonly operation?: ZohoOperation;
  readonly httpStatus?: number;
  /** Zoho's own error string (`invalid_code`, `INVALID_TOKEN`, ...), shown for support. */
  readonly zohoCode?: string;
  readonly latencyMs?: number;
  /** A low-level cause code such as `ECONNREFUSED` (never a message that could carry a URL). */
  readonly causeCode?: string;
}

/** A failed Zoho call: an AppError (safe message and hint) with what support needs to see. */
export class ZohoError extends AppError {
  override readonly code: ZohoErrorCode;
  override readonly hint: string;
  readonly operation: ZohoOperation | undefined;
  readonly httpStatus: number | undefined;
  readonly zohoCode: string | undefined;
  readonly latencyMs: number | undefined;
  readonly causeCode: string | undefined;

  constructor(code: ZohoErrorCode, details: ZohoErrorDetails = {}) {
    const wording = (details.operation && OVERRIDES[details.operation]?.[code]) || WORDING[code];
    const zohoCode = details.zohoCode === undefined ? undefined : safeShortText(details.zohoCode);
    const extras = [
      details.httpStatus !== undefined ? `HTTP ${details.httpStatus}` : undefined,
      zohoCode ? `Zoho: ${zohoCode}` : undefined,
      details.causeCode ? safeShortText(details.causeCode) : undefined,
    ].filter((x): x is string => !!x);
    super(
      code,
      extras.length > 0 ? `${wording.message} (${extras.join(', ')})` : wording.message,
      wording.hint,
    );
    this.name = 'ZohoError';
    this.code = code;
    this.hint = wording.hint;
    this.operation = details.operation;
    this.httpStatus = details.httpStatus;
    this.zohoCode = zohoCode;
    this.latencyMs = details.latencyMs;
    this.causeCode = details.causeCode;
  }
}

/** Server-provided text is untrusted: keep it short, printable, and run it through the redactor. */
function safeShortText(text: string): string {
  return redactSecrets(text.replace(/[^\w .:-]/g, '').slice(0, 64));
}
