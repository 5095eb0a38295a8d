import type { ZohoOperation } from '../../shared/errors/error-codes';
import { wordingOf } from '../../shared/errors/error-wording';
import { AppError, type AppErrorOptions, safeMessageOf } from '../errors';
import { ZohoError } from '../zoho/errors';

/** Codes the services raise; each message is plain words and never holds a secret. */
export type ServiceErrorCode =
  | 'NOT_FOUND'
  | 'SAVE_FAILED'
  | 'LOCKED'
  | 'UNREADABLE'
  | 'REAUTH_REQUIRED'
  | 'INCOMPLETE_TOKEN'
  | 'THROTTLED'
  | 'ZOHO_UNREACHABLE'
  | 'ZOHO_REJECTED'
  | 'COUNT_MISMATCH'
  | 'DIFFERENT_USER'
  | 'ALREADY_SET_UP'
  | 'NOT_SET_UP'
  | 'WRONG_PASSPHRASE'
  | 'KEYCHAIN_UNAVAILABLE'
  | 'NOT_SUPPORTED'
  | 'DEMO_UNAVAILABLE'
  | 'DEMO_TOKEN_ORPHANED';

export class ServiceError extends AppError {
  declare readonly code: ServiceErrorCode;

  constructor(code: ServiceErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'ServiceError';
  }
}

/** Zoho throttled this token: no request for it reaches Zoho before `retryAt` (epoch ms). */
export class ThrottledError extends ServiceError {
  declare readonly code: 'THROTTLED';
  readonly retryAt: number;

  constructor(code: 'THROTTLED', message: string, options: AppErrorOptions & { readonly retryAt: number }) {
    super(code, message, options);
    this.name = 'ThrottledError';
    this.retryAt = options.retryAt;
  }
}

export function throttledUntil(retryAt: number): ThrottledError {
  return new ThrottledError(
    'THROTTLED',
    `Zoho is limiting requests for this token. Try again after ${new Date(retryAt).toISOString()}.`,
    {
      retryAt,
      hint: 'Zoho allows about 10 refreshes per refresh token every 10 minutes; TokenDesk waits before asking again.',
    },
  );
}

export function notFound(id: string): ServiceError {
  return new ServiceError('NOT_FOUND', `No token with id ${id} is stored.`, {
    hint: 'Reload the list; it may have been deleted.',
  });
}

/** Whatever protects the store (keychain or passphrase), the catalogue's words fit: "Unlock the store first." */
export function lockedError(): ServiceError {
  const { message, hint } = wordingOf('LOCKED');
  return new ServiceError('LOCKED', message, { hint });
}

/**
 * Words for a failed Zoho call: the catalogue's for a ZohoError's code (call-specific, without the HTTP
 * details), else the error's own safe message, else `fallback`.
 */
export function zohoFailureWords(error: unknown, operation: ZohoOperation, fallback: string): string {
  if (error instanceof ZohoError) return wordingOf(error.code, operation).message;
  return safeMessageOf(error, fallback);
}
