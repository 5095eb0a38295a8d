import { AppError } from '../errors';

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
  constructor(
    override readonly code: ServiceErrorCode,
    message: string,
    hint?: string,
  ) {
    super(code, message, hint);
    this.name = 'ServiceError';
  }
}

/** Zoho throttled this token: no request for it reaches Zoho before `retryAt` (epoch ms). */
export class ThrottledError extends ServiceError {
  constructor(readonly retryAt: number) {
    super(
      'THROTTLED',
      `Zoho is limiting requests for this token. Try again after ${new Date(retryAt).toISOString()}.`,
      'Zoho allows about 10 refreshes per refresh token every 10 minutes; TokenDesk waits before asking again.',
    );
    this.name = 'ThrottledError';
  }
}

export function notFound(id: string): ServiceError {
  return new ServiceError(
    'NOT_FOUND',
    `No token with id ${id} is stored.`,
    'Reload the list; it may have been deleted.',
  );
}

export function lockedError(): ServiceError {
  return new ServiceError('LOCKED', 'The token store is locked.', 'Unlock it with your passphrase first.');
}

/** The code of any error that carries one (AppError, ZohoError, TokenStoreError), else null. */
export function errorCodeOf(error: unknown): string | null {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}

/**
 * A message safe to show: AppError messages (ZohoError and the store's TokenStoreError included) are
 * written to be; anything else gets generic words.
 */
export function safeMessageOf(error: unknown, fallback: string): string {
  if (error instanceof AppError) return error.message;
  return fallback;
}
