import { errorCodeOf } from '../errors';
import { ServiceError } from '../tokens/errors';
import type { StoreAuditWriter } from './store-audit-writer';
import { DB_FILE, type MissingStore, type StoreFolder } from './store-folder';
import { isCorruptKey, type ProtectorChoice } from './store-key-protectors';
import { StoreLifecycleError } from './store-lifecycle-errors';
import { auditsFailure, backoffError, wrongPassphraseDetail, wrongPassphraseError } from './unlock-backoff';

/**
 * The rules of an unlock with the master passphrase (docs/store-lifecycle.md): when one may be tried at
 * all, what a failed one tells the person and the audit log, and what a successful one writes. The store
 * lifecycle (store-lifecycle.ts) runs them in its serial turn and holds the opened store.
 */

export interface LockedStoreView {
  readonly state: 'uninitialised' | 'locked';
  readonly missing: MissingStore | null;
  readonly protector: ProtectorChoice | null;
  readonly unlockRetryAt: number | null;
  readonly now: number;
}

/** Throws why no passphrase may be tried now: no store, a missing one, a keychain store, the back-off. */
export function refusePassphraseUnlock(view: LockedStoreView): void {
  if (view.state === 'uninitialised') {
    throw new ServiceError('NOT_SET_UP', 'The token store is not set up yet.', { hint: 'Set it up first.' });
  }
  if (view.missing) {
    throw new StoreLifecycleError('STORE_MISSING', view.missing.message, {
      hint: 'Put the file back (from a backup) and try again, or choose to start a new, empty store.',
    });
  }
  if (view.protector !== 'passphrase') {
    throw new ServiceError(
      'KEYCHAIN_UNAVAILABLE',
      'This token store is protected by the system keychain, not a passphrase, and the keychain could not open it.',
      { hint: 'Make sure the system keyring is unlocked, then restart TokenDesk.' },
    );
  }
  if (view.unlockRetryAt !== null) throw backoffError(view.unlockRetryAt - view.now);
}

/**
 * What a failed passphrase unlock becomes: a wrong passphrase is counted in the note (the back-off) and
 * audited at the 1st, 2nd, 4th... in a row; a damaged key is told apart from a wrong passphrase.
 */
export function passphraseUnlockFailure(
  error: unknown,
  folder: StoreFolder,
  audit: StoreAuditWriter,
  now: number,
): unknown {
  if (errorCodeOf(error) === 'WRONG_PASSPHRASE') {
    const count = folder.noteWrongPassphrase(now);
    if (auditsFailure(count)) {
      audit.recordWhileLocked({
        action: 'unlock_failed',
        outcome: 'failure',
        detail: wrongPassphraseDetail(count),
      });
    }
    return wrongPassphraseError(count);
  }
  if (isCorruptKey(error)) {
    audit.recordWhileLocked({
      action: 'unlock_failed',
      outcome: 'failure',
      detail: 'Unlock failed: the stored key is damaged, so no passphrase can open the store.',
    });
    return new StoreLifecycleError(
      'KEY_CORRUPT',
      'The token store’s encryption key is damaged, so no passphrase can open it. Your passphrase was not the problem.',
      { hint: `Restore ${DB_FILE} from a backup.` },
    );
  }
  return error;
}

/**
 * After the right passphrase: the wrong ones before it are cleared from the note and counted in the
 * unlock's audit row (so a guessing run is never lost). Returns the warnings of writes that failed.
 */
export function recordPassphraseUnlock(folder: StoreFolder, audit: StoreAuditWriter): string[] {
  const failures = folder.unlockFailures;
  const warnings: string[] = [];
  if (failures > 0) {
    const reset = folder.noteUnlocked();
    if (reset) warnings.push(reset);
  }
  const audited = audit.tryRecord({
    action: 'unlock',
    outcome: 'success',
    detail:
      failures > 0
        ? `Unlocked with the master passphrase, after ${failures} wrong passphrase${failures === 1 ? '' : 's'} in a row.`
        : 'Unlocked with the master passphrase.',
  });
  if (audited) warnings.push(audited);
  return warnings;
}

/** A passphrase change whose current passphrase is wrong: audited, and nothing changed. */
export function wrongCurrentPassphrase(error: unknown, audit: StoreAuditWriter): unknown {
  if (errorCodeOf(error) !== 'WRONG_PASSPHRASE') return error;
  audit.tryRecord({
    action: 'passphrase_changed',
    outcome: 'failure',
    detail: 'Passphrase not changed: the current passphrase was wrong.',
  });
  return new ServiceError('WRONG_PASSPHRASE', 'The current passphrase is not correct.', {
    hint: 'Nothing was changed.',
  });
}
