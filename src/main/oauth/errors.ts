import { AppError } from '../errors';

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
  constructor(
    override readonly code: SignInErrorCode,
    message: string,
    hint?: string,
    options?: ErrorOptions,
  ) {
    super(code, message, hint);
    this.name = 'SignInError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

export function cancelledError(): SignInError {
  return new SignInError(
    'CANCELLED',
    'Sign-in was cancelled.',
    'Start the sign-in again when you are ready.',
  );
}
