import type { KeyProtector } from '../store/key-protector';
import { KeyProtectorError } from '../store/key-protector';
import { PassphraseKeyProtector } from '../store/passphrase-key-protector';
import { ServiceError } from '../tokens/errors';
import type { ProtectorChoice, StoreOnDisk } from './store-files';
import type { MarkerRead } from './store-marker';

/**
 * Which key protector wraps the store's data key, and how the lifecycle gets one (docs/architecture.md
 * "Key protectors", docs/store-lifecycle.md). Everything the store lifecycle decides about protectors is
 * here: the choice at set-up, the one a store on disk uses, and how a damaged key is told apart.
 */

export type { ProtectorChoice } from './store-files';

/** The system keychain (Electron safeStorage at the edge); null where there is none. */
export interface KeychainAccess {
  availability(): Promise<{ available: boolean; reason: string | null }>;
  protector(): KeyProtector;
}

export type SetupRequest =
  | { readonly protector: 'keychain'; readonly startOver?: true | undefined }
  | { readonly protector: 'passphrase'; readonly passphrase: string; readonly startOver?: true | undefined };

export function defaultPassphraseProtector(passphrase: string): KeyProtector {
  return new PassphraseKeyProtector(passphrase);
}

/** Makes the protector a set-up asked for; refuses the keychain where it cannot protect anything. */
export async function protectorForSetup(
  request: SetupRequest,
  keychain: KeychainAccess | null,
  passphraseProtector: (passphrase: string) => KeyProtector,
): Promise<() => KeyProtector> {
  if (request.protector === 'passphrase') {
    const passphrase = request.passphrase;
    return () => passphraseProtector(passphrase);
  }
  const availability = keychain ? await keychain.availability() : null;
  if (!keychain || !availability?.available) {
    throw new ServiceError(
      'KEYCHAIN_UNAVAILABLE',
      availability?.reason ?? 'The system keychain is not available here.',
      { hint: 'Protect the store with a master passphrase instead.' },
    );
  }
  return () => keychain.protector();
}

/**
 * The protector of the store in the folder: the note's (store.json), else the store's own meta row, else
 * (an unreadable note, or a database without one) the passphrase, the safe guess. Null with no store.
 */
export function protectorInUse(
  marker: MarkerRead,
  disk: StoreOnDisk,
  uninitialised: boolean,
): ProtectorChoice | null {
  if (marker.kind === 'present') return marker.marker.protector;
  if (disk.kind === 'store') return disk.protector ?? 'passphrase';
  return uninitialised ? null : 'passphrase';
}

/** The stored key is damaged (its checksum fails): no passphrase can open it, and it is not a wrong one. */
export function isCorruptKey(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return (
    (error instanceof KeyProtectorError && error.code === 'CORRUPT') ||
    (cause instanceof KeyProtectorError && cause.code === 'CORRUPT')
  );
}
