import { safeStorage } from 'electron';
import { createLogger } from '../log';
import { type KeyProtector, KeyProtectorError } from '../store/key-protector';
import { DATA_KEY_BYTES } from '../store/row-crypto';

const log = createLogger('keychain');

/** Matches AppStatus.keychain in the IPC contract. */
export interface KeychainAvailability {
  readonly available: boolean;
  /** Plain words when it cannot be used. */
  readonly reason: string | null;
}

const PREFIX = 'safeStorage:v1:';

/**
 * Wraps the store's data key with the OS keychain through Electron's async safeStorage API (docs/architecture.md
 * "Secrets"): macOS Keychain, Windows DPAPI, or the Linux Secret Service / KWallet.
 * safeStorage encrypts strings, so the key crosses as base64; the JS string cannot be wiped afterwards,
 * which is the same exposure as the Buffer it came from while the store is unlocked.
 */
export class SafeStorageKeyProtector implements KeyProtector {
  readonly kind = 'safeStorage';

  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  async availability(): Promise<KeychainAvailability> {
    if (this.platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend();
      if (backend === 'basic_text') {
        return unavailable(
          'No desktop keyring (GNOME Keyring, KWallet) was found. Without one, Electron would encrypt with a ' +
            'fixed key written into the program itself, which protects nothing, so TokenDesk protects your ' +
            'tokens with a master passphrase instead.',
        );
      }
      if (backend === 'unknown') {
        return unavailable(
          'The system keyring is not ready yet, so TokenDesk uses a master passphrase instead.',
        );
      }
    }
    let ready = false;
    try {
      ready = await safeStorage.isAsyncEncryptionAvailable();
    } catch (error) {
      log.warn('keychain availability check failed', { error });
    }
    return ready
      ? { available: true, reason: null }
      : unavailable(
          'The operating system keychain is not available to TokenDesk, so it uses a master passphrase instead.',
        );
  }

  async wrap(dataKey: Buffer): Promise<string> {
    await this.requireAvailable();
    const sealed = await safeStorage.encryptStringAsync(dataKey.toString('base64'));
    return PREFIX + sealed.toString('base64');
  }

  async unwrap(wrapped: string): Promise<Buffer> {
    if (!wrapped.startsWith(PREFIX)) {
      throw new KeyProtectorError('CORRUPT', 'The stored key is not in the keychain format TokenDesk wrote.');
    }
    await this.requireAvailable();
    let plain: string;
    try {
      const result = await safeStorage.decryptStringAsync(
        Buffer.from(wrapped.slice(PREFIX.length), 'base64'),
      );
      // The key itself is unchanged; re-wrapping under a rotated keychain key can wait for the next setup.
      if (result.shouldReEncrypt) log.info('the keychain suggests re-encrypting the data key');
      plain = result.result;
    } catch (error) {
      throw new KeyProtectorError(
        'CORRUPT',
        'The keychain could not open the stored key. It was sealed by another user or computer, or the ' +
          'keychain entry was reset.',
        { cause: error },
      );
    }
    const key = Buffer.from(plain, 'base64');
    if (key.length !== DATA_KEY_BYTES) {
      throw new KeyProtectorError('CORRUPT', 'The keychain returned a key of the wrong length.');
    }
    return key;
  }

  private async requireAvailable(): Promise<void> {
    const status = await this.availability();
    if (!status.available)
      throw new KeyProtectorError('UNAVAILABLE', status.reason ?? 'Keychain unavailable.');
  }
}

function unavailable(reason: string): KeychainAvailability {
  return { available: false, reason };
}
