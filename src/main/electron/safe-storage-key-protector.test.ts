import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Backend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

const safeStorage = vi.hoisted(() => ({
  backend: 'gnome_libsecret' as Backend,
  asyncAvailable: true,
  getSelectedStorageBackend: vi.fn(function (this: void) {
    return safeStorage.backend;
  }),
  isAsyncEncryptionAvailable: vi.fn(async () => safeStorage.asyncAvailable),
  // A reversible stand-in for the OS: XOR with a fixed byte, enough to see the key is not stored as is.
  encryptStringAsync: vi.fn(async (text: string) => Buffer.from(Buffer.from(text).map((b) => b ^ 0x5a))),
  decryptStringAsync: vi.fn(async (sealed: Buffer) => ({
    shouldReEncrypt: false,
    result: Buffer.from(sealed.map((b) => b ^ 0x5a)).toString(),
  })),
}));
vi.mock('electron', () => ({ safeStorage }));

const { SafeStorageKeyProtector } = await import('./safe-storage-key-protector');

beforeEach(() => {
  safeStorage.backend = 'gnome_libsecret';
  safeStorage.asyncAvailable = true;
  vi.clearAllMocks();
});

describe('SafeStorageKeyProtector', () => {
  it('wraps and unwraps a data key with the async safeStorage API', async () => {
    const protector = new SafeStorageKeyProtector('linux');
    const key = randomBytes(32);
    const wrapped = await protector.wrap(key);
    expect(wrapped).not.toContain(key.toString('base64'));
    expect(wrapped).not.toContain(key.toString('hex'));
    expect(await protector.unwrap(wrapped)).toEqual(key);
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledOnce();
    expect(safeStorage.decryptStringAsync).toHaveBeenCalledOnce();
  });

  it('refuses the Linux basic_text backend, explaining the passphrase fallback', async () => {
    safeStorage.backend = 'basic_text';
    const protector = new SafeStorageKeyProtector('linux');
    const status = await protector.availability();
    expect(status.available).toBe(false);
    expect(status.reason).toMatch(/keyring/i);
    expect(status.reason).toMatch(/passphrase/i);
    await expect(protector.wrap(randomBytes(32))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
  });

  it('refuses when the Linux backend is not known yet', async () => {
    safeStorage.backend = 'unknown';
    expect((await new SafeStorageKeyProtector('linux').availability()).available).toBe(false);
  });

  it('does not consult the Linux backend on other platforms', async () => {
    safeStorage.backend = 'basic_text';
    expect(await new SafeStorageKeyProtector('darwin').availability()).toEqual({
      available: true,
      reason: null,
    });
    expect(safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
  });

  it('refuses when async encryption is unavailable', async () => {
    safeStorage.asyncAvailable = false;
    const protector = new SafeStorageKeyProtector('win32');
    expect((await protector.availability()).available).toBe(false);
    await expect(protector.unwrap('safeStorage:v1:AAAA')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('reports CORRUPT for a foreign format, a failed decrypt or a wrong-length key', async () => {
    const protector = new SafeStorageKeyProtector('darwin');
    await expect(protector.unwrap('passphrase:v1:xyz')).rejects.toMatchObject({ code: 'CORRUPT' });
    safeStorage.decryptStringAsync.mockRejectedValueOnce(new Error('Error while decrypting the ciphertext'));
    await expect(protector.unwrap('safeStorage:v1:AAAA')).rejects.toMatchObject({ code: 'CORRUPT' });
    const short = await protector.wrap(randomBytes(16));
    await expect(protector.unwrap(short)).rejects.toMatchObject({ code: 'CORRUPT' });
  });
});
