import { AppError, type AppErrorOptions, errorCodeOf } from '../errors';

/** Errors only the lifecycle raises; AppErrors, so their words reach the window as they are. */
export type StoreLifecycleErrorCode = 'STORE_MISSING' | 'KEY_CORRUPT' | 'UNLOCK_BACKOFF' | 'CLOSED';

export class StoreLifecycleError extends AppError {
  declare readonly code: StoreLifecycleErrorCode;

  constructor(code: StoreLifecycleErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'StoreLifecycleError';
  }
}

/** A file-system or SQLite failure in plain words (its code), never a path or a value. */
export function describeFsError(error: unknown): string {
  const code = errorCodeOf(error);
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') return 'the disk is full';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return 'the database is busy (held by another program)';
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_READONLY') return 'no permission to write';
  return code ? `error ${code}` : 'an unexpected error';
}
