import type { KeyProtector } from '../store/key-protector';
import type { SqliteTokenStore } from '../store/sqlite-token-store';
import { ServiceError } from '../tokens/errors';
import { wrongCurrentPassphrase } from './passphrase-unlock';
import type { StoreAuditWriter } from './store-audit-writer';
import type { KeychainAccess, ProtectorChoice } from './store-key-protectors';

/**
 * The passphrase changes of an open store (docs/store-lifecycle.md "A keychain store with a passphrase"):
 * a passphrase store changes its one passphrase; a keychain store may add a second protector, a
 * passphrase, so the `tokendesk` command (which has no keychain) can open it, and change or remove it.
 * Adding wraps the same data key; changing and removing make a new one (wrapped by the keychain and,
 * when kept, the new passphrase), so an old passphrase with an old copy of the file opens nothing later.
 */
export interface StorePassphraseDeps {
  readonly store: SqliteTokenStore;
  readonly protector: ProtectorChoice | null;
  readonly keychain: KeychainAccess | null;
  readonly passphraseProtector: (passphrase: string) => KeyProtector;
  readonly auditWriter: StoreAuditWriter;
  /** Opens the store file on a second connection with `protector` (to check a current passphrase). */
  readonly openCheck: (protector: KeyProtector) => Promise<{ close(): void }>;
}

/** Whether the open store also opens with a passphrase beside its keychain. */
export function opensAlsoWithPassphrase(store: SqliteTokenStore): boolean {
  const kinds = store.protectorKinds();
  return kinds.primary === 'safeStorage' && kinds.extra === 'passphrase';
}

/** Changes the store's passphrase (the master one, or a keychain store's second one); returns the audit warning. */
export async function changeStorePassphrase(
  deps: StorePassphraseDeps,
  current: string,
  next: string,
): Promise<string | null> {
  const keychainStore = deps.protector === 'keychain' && opensAlsoWithPassphrase(deps.store);
  if (deps.protector !== 'passphrase' && !keychainStore) {
    throw new ServiceError(
      'NOT_SUPPORTED',
      'This token store is protected by the system keychain only, so it has no passphrase to change.',
    );
  }
  // Verify `current` by unwrapping the stored key with it on a second connection.
  await deps.openCheck(deps.passphraseProtector(current)).then(
    (check) => check.close(),
    (error: unknown) => {
      throw wrongCurrentPassphrase(error, deps.auditWriter);
    },
  );
  if (keychainStore) {
    const keychain = requireKeychainStore(deps);
    await deps.store.changeProtector(keychain.protector(), { extra: deps.passphraseProtector(next) });
  } else {
    await deps.store.changeProtector(deps.passphraseProtector(next));
  }
  return deps.auditWriter.tryRecord({
    action: 'passphrase_changed',
    outcome: 'success',
    detail: keychainStore
      ? 'Passphrase of the keychain store changed (new data key).'
      : 'Master passphrase changed.',
  });
}

export async function addKeychainPassphrase(
  deps: StorePassphraseDeps,
  passphrase: string,
): Promise<string | null> {
  requireKeychainStore(deps);
  await deps.store.addExtraProtector(deps.passphraseProtector(passphrase));
  return deps.auditWriter.tryRecord({
    action: 'passphrase_changed',
    outcome: 'success',
    detail: 'Passphrase added: the keychain store also opens with it (for the tokendesk command).',
  });
}

export async function removeKeychainPassphrase(deps: StorePassphraseDeps): Promise<string | null> {
  const keychain = requireKeychainStore(deps);
  if (!opensAlsoWithPassphrase(deps.store)) {
    throw new ServiceError('NOT_SUPPORTED', 'This token store has no passphrase to remove.');
  }
  await deps.store.removeExtraProtector(keychain.protector());
  return deps.auditWriter.tryRecord({
    action: 'passphrase_changed',
    outcome: 'success',
    detail: 'Passphrase removed: only the keychain opens the store now (new data key).',
  });
}

function requireKeychainStore(deps: StorePassphraseDeps): KeychainAccess {
  if (deps.protector !== 'keychain') {
    throw new ServiceError(
      'NOT_SUPPORTED',
      'This token store is protected by a master passphrase already; the tokendesk command uses that one.',
    );
  }
  if (!deps.keychain) {
    throw new ServiceError(
      'KEYCHAIN_UNAVAILABLE',
      'The system keychain is not available here, and this change needs it.',
      { hint: 'Make it in the TokenDesk app on the computer whose keychain protects the store.' },
    );
  }
  return deps.keychain;
}
