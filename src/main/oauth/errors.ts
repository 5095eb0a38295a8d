import { wordingOf } from '../../shared/errors/error-wording';
import { AppError, type AppErrorOptions } from '../errors';

export type SignInErrorCode =
  | 'ACCESS_DENIED'
  | 'AUTHORIZATION_FAILED'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'PORT_IN_USE'
  | 'LOOPBACK_FAILED'
  | 'UNTRUSTED_ACCOUNTS_SERVER'
  | 'UNKNOWN_DATA_CENTER'
  | 'NO_REFRESH_TOKEN'
  | 'USER_LOOKUP_FAILED'
  | 'INVALID_INPUT';

/** A sign-in that did not finish. `message` and `hint` are plain words and never carry a secret. */
export class SignInError extends AppError {
  declare readonly code: SignInErrorCode;

  constructor(code: SignInErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'SignInError';
  }
}

export function cancelledError(): SignInError {
  return new SignInError('CANCELLED', 'Sign-in was cancelled.', { hint: wordingOf('CANCELLED').hint });
}

/** Code, message and hint of an error whose message is safe to show (an AppError), else undefined. */
export function safeErrorParts(err: unknown): { code: string; message: string; hint?: string } | undefined {
  if (!(err instanceof AppError)) return undefined;
  return { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
}
