import { errorCodeOf } from '../errors';
import { createLogger } from '../log';
import { ServiceError } from '../tokens/errors';
import type { StoreAuditWriter } from './store-audit-writer';
import type { MissingStore } from './store-folder';
import type { KeychainAccess, ProtectorChoice } from './store-key-protectors';

const log = createLogger('app.store');

/**
 * The rules of an unlock with the system keychain (docs/store-lifecycle.md): at start by itself, later
 * only when the person asks. The store lifecycle (store-lifecycle.ts) runs them in its serial turn and
 * holds the opened store; passphrase-unlock.ts has the passphrase's rules.
 */

/** The audit row of a keychain unlock that worked (at start or asked for). */
export function recordKeychainUnlock(audit: StoreAuditWriter): string | null {
  return audit.tryRecord({
    action: 'unlock',
    outcome: 'success',
    detail: 'Unlocked with the system keychain.',
  });
}

/** A keychain unlock that failed: logged and audited while locked; `atStart` says when it was tried. */
export function recordKeychainUnlockFailure(error: unknown, audit: StoreAuditWriter, atStart: boolean): void {
  const code = errorCodeOf(error) ?? 'UNEXPECTED';
  log.warn('keychain unlock failed', { errorCode: code });
  audit.recordWhileLocked({
    action: 'unlock_failed',
    outcome: 'failure',
    detail: atStart
      ? `Unlock with the system keychain failed at start (${code}); the token store stays locked.`
      : `Unlock with the system keychain failed (${code}).`,
  });
}

export interface KeychainUnlockView {
  readonly state: 'uninitialised' | 'locked';
  readonly protector: ProtectorChoice | null;
  readonly missing: MissingStore | null;
}

/** Throws unless this locked store is one the keychain can open; returns the keychain to open it with. */
export function keychainForUnlock(view: KeychainUnlockView, keychain: KeychainAccess | null): KeychainAccess {
  if (view.state !== 'locked' || view.protector !== 'keychain' || !keychain || view.missing) {
    throw new ServiceError(
      'KEYCHAIN_UNAVAILABLE',
      'This token store cannot be unlocked with the system keychain.',
      {
        hint: view.protector === 'passphrase' ? 'Unlock it with the master passphrase.' : undefined,
      },
    );
  }
  return keychain;
}

/** What the person is told when the keychain they asked to use could not open the store. */
export function keychainUnlockFailedError(): ServiceError {
  return new ServiceError('KEYCHAIN_UNAVAILABLE', 'The system keychain could not unlock the token store.', {
    hint: 'Make sure the system keyring is unlocked, then try again.',
  });
}
