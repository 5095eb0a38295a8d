import { AppError, type AppErrorOptions } from '../errors';

/**
 * Wraps the store's random 256-bit data key (docs/architecture.md "Secrets"). Implementations: the master
 * passphrase (scrypt, src/main/store) and the OS keychain via Electron safeStorage (the edge,
 * src/main/electron). The wrapped form is opaque JSON-safe text kept in the database's meta table.
 */
export interface KeyProtector {
  /** Stable name stored beside the wrapped key, e.g. `passphrase` or `safeStorage`. */
  readonly kind: string;
  wrap(dataKey: Buffer): Promise<string>;
  /** Throws KeyProtectorError('WRONG_PASSPHRASE' | 'UNAVAILABLE' | 'CORRUPT') rather than return garbage. */
  unwrap(wrapped: string): Promise<Buffer>;
  /**
   * Drops whatever secret it holds (a passphrase, derived material), so it does not outlive its use in
   * the heap; wrap and unwrap fail after it. The store calls it on close, when it stops using this
   * protector (changeProtector), and when an open or a re-key with it fails: a protector given to a store
   * belongs to it. Optional: the keychain holds nothing.
   */
  destroy?(): void;
}

export type KeyProtectorErrorCode = 'WRONG_PASSPHRASE' | 'UNAVAILABLE' | 'CORRUPT';

/** An AppError: `message` (and `hint`, when given) are written to be shown; `cause` stays in main. */
export class KeyProtectorError extends AppError {
  declare readonly code: KeyProtectorErrorCode;

  constructor(code: KeyProtectorErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'KeyProtectorError';
  }
}
