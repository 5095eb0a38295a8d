/**
 * Wraps the store's random 256-bit data key (DESIGN.md "Secrets"). Implementations: the master
 * passphrase (scrypt, src/main/store) and the OS keychain via Electron safeStorage (the edge,
 * src/main/electron). The wrapped form is opaque JSON-safe text kept in the database's meta table.
 */
export interface KeyProtector {
  /** Stable name stored beside the wrapped key, e.g. `passphrase` or `safeStorage`. */
  readonly kind: string;
  wrap(dataKey: Buffer): Promise<string>;
  /** Throws KeyProtectorError('WRONG_PASSPHRASE' | 'UNAVAILABLE' | 'CORRUPT') rather than return garbage. */
  unwrap(wrapped: string): Promise<Buffer>;
}

export type KeyProtectorErrorCode = 'WRONG_PASSPHRASE' | 'UNAVAILABLE' | 'CORRUPT';

export class KeyProtectorError extends Error {
  constructor(
    readonly code: KeyProtectorErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'KeyProtectorError';
  }
}
