import { ZOHO_ERROR_CODES, type ZohoOperation } from '../../shared/errors/error-codes';
import { wordingOf } from '../../shared/errors/error-wording';
import { AppError, type AppErrorOptions } from '../errors';
import { redactSecrets } from '../log';

export type { ZohoOperation } from '../../shared/errors/error-codes';

/*
 * A failed Zoho call's code and words come from the shared catalogue (src/shared/errors,
 * docs/architecture.md "Errors"); messages never contain a secret: they are the catalogue's text plus, at
 * most, an HTTP status and Zoho's own short error string.
 */
export { ZOHO_ERROR_CODES };
export type ZohoErrorCode = (typeof ZOHO_ERROR_CODES)[number];

/** Failures that say nothing about the token itself: retrying later may work, so nothing is recorded. */
export const TRANSIENT_ZOHO_CODES: ReadonlySet<string> = new Set<ZohoErrorCode>([
  'THROTTLED',
  'NETWORK',
  'TIMEOUT',
  'SERVER_ERROR',
  'UNEXPECTED_RESPONSE',
  'CANCELLED',
]);

/** What support needs to see beside the words. */
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
  declare readonly code: ZohoErrorCode;
  readonly operation: ZohoOperation | undefined;
  readonly httpStatus: number | undefined;
  readonly zohoCode: string | undefined;
  readonly latencyMs: number | undefined;
  readonly causeCode: string | undefined;

  constructor(code: ZohoErrorCode, message: string, options: AppErrorOptions & ZohoErrorDetails = {}) {
    super(code, message, options);
    this.name = 'ZohoError';
    this.operation = options.operation;
    this.httpStatus = options.httpStatus;
    this.zohoCode = options.zohoCode;
    this.latencyMs = options.latencyMs;
    this.causeCode = options.causeCode;
  }
}

/**
 * A ZohoError in the catalogue's words for `code` (call-specific where `details.operation` reads
 * differently), with the HTTP status, Zoho's code and the cause code appended for support.
 */
export function zohoError(code: ZohoErrorCode, details: ZohoErrorDetails & ErrorOptions = {}): ZohoError {
  const wording = wordingOf(code, details.operation);
  const zohoCode = details.zohoCode === undefined ? undefined : safeShortText(details.zohoCode);
  const causeCode = details.causeCode === undefined ? undefined : safeShortText(details.causeCode);
  const extras = [
    details.httpStatus !== undefined ? `HTTP ${details.httpStatus}` : undefined,
    zohoCode ? `Zoho: ${zohoCode}` : undefined,
    causeCode,
  ].filter((x): x is string => !!x);
  const message = extras.length > 0 ? `${wording.message} (${extras.join(', ')})` : wording.message;
  return new ZohoError(code, message, {
    ...details,
    hint: wording.hint,
    ...(zohoCode !== undefined ? { zohoCode } : {}),
  });
}

/** Server-provided text is untrusted: keep it short, printable, and run it through the redactor. */
function safeShortText(text: string): string {
  return redactSecrets(text.replace(/[^\w .:-]/g, '').slice(0, 64));
}
