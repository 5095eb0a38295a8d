import type { ErrorCode } from '../shared/errors/error-codes';

/** What every error class takes after its code and message; subclasses add their own fields. */
export interface AppErrorOptions extends ErrorOptions {
  /** The likely fix, in plain words. */
  readonly hint?: string | undefined;
}

/**
 * Base for every error whose `message` is written for a person and is safe to show (no secret, no
 * machine path). The IPC router passes these through as `{code, message, hint}`; any other error becomes
 * a generic INTERNAL error and is logged in main only. Every subclass has this constructor shape:
 * `(code, message, options)`, with `options.hint` and `options.cause` (docs/architecture.md "Errors").
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    // `cause` is for logs in main; it is never sent to the renderer.
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** The code of any error that carries one (AppError, or a library error such as SQLITE_BUSY), else null. */
export function errorCodeOf(error: unknown): string | null {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}

/** A message safe to show: an AppError's is written to be; anything else gets `fallback`. */
export function safeMessageOf(error: unknown, fallback: string): string {
  if (error instanceof AppError) return error.message;
  return fallback;
}
