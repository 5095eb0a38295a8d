import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyProtector } from '../key-protector';
import { PassphraseKeyProtector, type ScryptCost } from '../passphrase-key-protector';
import { SqliteTokenStore } from '../sqlite-token-store';

/** The cheapest scrypt cost: tests exercise the wrapping, not the work factor. */
export const TEST_SCRYPT_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };

export function testProtector(passphrase = 'correct horse battery staple'): PassphraseKeyProtector {
  return new PassphraseKeyProtector(passphrase, { cost: TEST_SCRYPT_COST });
}

/** A fresh temporary directory; `cleanup` removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openTempStore(passphrase?: string) {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'tokens.db');
  const store = await SqliteTokenStore.open({ path, protector: testProtector(passphrase) });
  return { store, path, dir, cleanup };
}

/**
 * A stand-in for the OS keychain protector (kind `safeStorage`, as the edge's): it encrypts with a key of
 * its own, like safeStorage does, so a wrapped key written by it is not the data key in another form.
 */
export function testKeychainProtector(): KeyProtector {
  const machineKey = createHash('sha256').update('tokendesk test keychain').digest();
  return {
    kind: 'safeStorage',
    wrap: async (dataKey) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', machineKey, iv);
      const sealed = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
    },
    unwrap: async (wrapped) => {
      const bytes = Buffer.from(wrapped, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', machineKey, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
    },
  };
}
