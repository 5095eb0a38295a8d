/**
 * Base for every error whose `message` is written for a person and is safe to show (no secret, no
 * machine path). The IPC router passes these through as `{code, message, hint}`; any other error becomes
 * a generic INTERNAL error and is logged in main only.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    /** `cause` for logs in main; never sent to the renderer. */
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}
