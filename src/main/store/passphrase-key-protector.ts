import { createCipheriv, createDecipheriv, randomBytes, type ScryptOptions, scrypt } from 'node:crypto';
import { z } from 'zod';
import { type KeyProtector, KeyProtectorError } from './key-protector';

/**
 * Wraps the data key under a key derived from a master passphrase with scrypt (RFC 7914). The scrypt
 * parameters and salt travel with the wrapped key, so raising the default cost later still opens old
 * stores. The wrapped key is sealed with AES-256-GCM: a wrong passphrase fails authentication and
 * throws, rather than yielding a wrong data key that would only fail row by row.
 */

export interface ScryptCost {
  /** CPU/memory cost, a power of two. Memory use is about 128 * N * r bytes. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** About 128 MiB and a few hundred ms per unlock: interactive-login strength (OWASP's scrypt floor is 2^17). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

// Upper bounds on what a stored blob may ask for, so a corrupted or hostile meta row cannot make an
// unlock allocate gigabytes.
const MAX_LOG2_N = 20;
const MAX_R = 32;
const MAX_P = 16;
const KEY_BYTES = 32;
const WRAP_AAD = Buffer.from('tokendesk/wrapped-data-key/v1');

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const WrappedSchema = z.object({
  v: z.literal(1),
  kdf: z.literal('scrypt'),
  N: z
    .number()
    .int()
    .min(2)
    .max(2 ** MAX_LOG2_N)
    .refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
  r: z.number().int().min(1).max(MAX_R),
  p: z.number().int().min(1).max(MAX_P),
  salt: base64,
  iv: base64,
  tag: base64,
  ct: base64,
});
type Wrapped = z.infer<typeof WrappedSchema>;

export interface PassphraseKeyProtectorOptions {
  /** Cost for newly wrapped keys; tests pass a tiny one. Unwrap always uses the stored parameters. */
  readonly cost?: ScryptCost;
}

export class PassphraseKeyProtector implements KeyProtector {
  readonly kind = 'passphrase';
  /** The NFC UTF-8 bytes; null once destroyed. */
  private passphrase: Buffer | null;
  private readonly cost: ScryptCost;

  constructor(passphrase: string, options: PassphraseKeyProtectorOptions = {}) {
    if (passphrase.length === 0) throw new KeyProtectorError('UNAVAILABLE', 'A passphrase is required.');
    // NFC so the same passphrase typed on different keyboards/OSes derives the same key.
    this.passphrase = Buffer.from(passphrase.normalize('NFC'), 'utf8');
    this.cost = options.cost ?? DEFAULT_SCRYPT_COST;
  }

  /**
   * Zeroes the passphrase bytes and drops them. The string the caller passed in cannot be zeroed (JS
   * strings are immutable); with no reference kept here it becomes garbage.
   */
  destroy(): void {
    this.passphrase?.fill(0);
    this.passphrase = null;
  }

  async wrap(dataKey: Buffer): Promise<string> {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const kek = await deriveKey(this.requirePassphrase(), salt, this.cost);
    try {
      const cipher = createCipheriv('aes-256-gcm', kek, iv);
      cipher.setAAD(WRAP_AAD);
      const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      const wrapped: Wrapped = {
        v: 1,
        kdf: 'scrypt',
        ...this.cost,
        salt: salt.toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        ct: ct.toString('base64'),
      };
      return JSON.stringify(wrapped);
    } finally {
      kek.fill(0);
    }
  }

  async unwrap(wrapped: string): Promise<Buffer> {
    const parsed = parseWrapped(wrapped);
    const kek = await deriveKey(this.requirePassphrase(), Buffer.from(parsed.salt, 'base64'), parsed);
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(parsed.iv, 'base64'));
      decipher.setAAD(WRAP_AAD);
      decipher.setAuthTag(Buffer.from(parsed.tag, 'base64'));
      const key = Buffer.concat([decipher.update(Buffer.from(parsed.ct, 'base64')), decipher.final()]);
      if (key.length !== KEY_BYTES)
        throw new KeyProtectorError('CORRUPT', 'The wrapped data key is corrupt.');
      return key;
    } catch (error) {
      if (error instanceof KeyProtectorError) throw error;
      // GCM cannot tell a wrong passphrase from a modified blob; the wrong passphrase is by far the likelier.
      throw new KeyProtectorError('WRONG_PASSPHRASE', 'Cannot unlock the token store: wrong passphrase.');
    } finally {
      kek.fill(0);
    }
  }

  private requirePassphrase(): Buffer {
    if (this.passphrase === null) {
      throw new KeyProtectorError('UNAVAILABLE', 'This passphrase is no longer held; enter it again.');
    }
    return this.passphrase;
  }
}

function parseWrapped(text: string): Wrapped {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyProtectorError('CORRUPT', 'The wrapped data key is not readable.');
  }
  const result = WrappedSchema.safeParse(json);
  if (!result.success) throw new KeyProtectorError('CORRUPT', 'The wrapped data key has an unknown format.');
  return result.data;
}

function deriveKey(passphrase: Buffer, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = {
    N: cost.N,
    r: cost.r,
    p: cost.p,
    // Node's default maxmem (32 MiB) is below the default cost's need; allow it plus headroom.
    maxmem: 128 * cost.N * cost.r * 2 + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scrypt(passphrase, salt, KEY_BYTES, options, (error, key) => {
      if (error) reject(new KeyProtectorError('UNAVAILABLE', 'Key derivation failed.', { cause: error }));
      else resolve(key);
    });
  });
}
