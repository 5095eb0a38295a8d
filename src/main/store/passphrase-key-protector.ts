import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  type ScryptOptions,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import { z } from 'zod';
import { type KeyProtector, KeyProtectorError } from './key-protector';

/**
 * Wraps the data key under a key derived from a master passphrase with scrypt (RFC 7914). The scrypt
 * parameters and salt travel with the wrapped key, so raising the default cost later still opens old
 * stores. The wrapped key is sealed with AES-256-GCM: a wrong passphrase fails authentication and
 * throws, rather than yielding a wrong data key that would only fail row by row.
 *
 * GCM alone cannot tell a wrong passphrase from a damaged blob: both fail authentication. So the wrapped
 * form also carries `check`, a SHA-256 of its own fields, which needs no passphrase to verify: a blob whose
 * checksum or field lengths do not match is reported as damaged (CORRUPT), and only an intact blob that
 * fails authentication is a wrong passphrase. The checksum guards against accidents (a bad sector, a bad
 * edit), not an attacker, who could recompute it; GCM still refuses any altered key.
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
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
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
  /** SHA-256 (base64) of the fields above; absent in keys wrapped before it was added. */
  check: base64.optional(),
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
    const salt = randomBytes(SALT_BYTES);
    const iv = randomBytes(IV_BYTES);
    const kek = await deriveKey(this.requirePassphrase(), salt, this.cost);
    try {
      const cipher = createCipheriv('aes-256-gcm', kek, iv);
      cipher.setAAD(WRAP_AAD);
      const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      const fields: Omit<Wrapped, 'check'> = {
        v: 1,
        kdf: 'scrypt',
        N: this.cost.N,
        r: this.cost.r,
        p: this.cost.p,
        salt: salt.toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        ct: ct.toString('base64'),
      };
      const wrapped: Wrapped = { ...fields, check: checksum(fields) };
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
      // The blob is intact (parseWrapped checked its checksum and lengths), so the passphrase is wrong.
      // A key wrapped before the checksum existed cannot be told apart; wrong passphrase is the likelier.
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
  const wrapped = result.data;
  const lengthsOk =
    byteLength(wrapped.salt) >= SALT_BYTES &&
    byteLength(wrapped.iv) === IV_BYTES &&
    byteLength(wrapped.tag) === TAG_BYTES &&
    byteLength(wrapped.ct) === KEY_BYTES;
  if (!lengthsOk)
    throw new KeyProtectorError('CORRUPT', 'The wrapped data key is damaged (a field is cut short).');
  if (wrapped.check !== undefined) {
    const { check, ...fields } = wrapped;
    const expected = Buffer.from(checksum(fields), 'base64');
    const stored = Buffer.from(check, 'base64');
    if (stored.length !== expected.length || !timingSafeEqual(stored, expected)) {
      throw new KeyProtectorError(
        'CORRUPT',
        'The wrapped data key is damaged (its checksum does not match).',
      );
    }
  }
  return wrapped;
}

function byteLength(b64: string): number {
  return Buffer.from(b64, 'base64').length;
}

/** SHA-256 over the fields in a fixed order, so JSON key order or spacing never matters. */
function checksum(fields: Omit<Wrapped, 'check'>): string {
  const canonical = [
    fields.v,
    fields.kdf,
    fields.N,
    fields.r,
    fields.p,
    fields.salt,
    fields.iv,
    fields.tag,
    fields.ct,
  ];
  return createHash('sha256').update(canonical.join('|')).digest('base64');
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
