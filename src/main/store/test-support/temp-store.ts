import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
