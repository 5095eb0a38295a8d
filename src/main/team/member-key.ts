import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { z } from 'zod';
import type { KeyProtector } from '../store/key-protector';
import { DATA_KEY_BYTES } from '../store/row-crypto';
import { TeamStoreError } from './team-errors';

/**
 * A team member's X25519 key pair (docs/team-store.md "Members"). Each TokenDesk, and each server that
 * runs the SDK over the team store, has its own pair; the team's data key is wrapped for every member's
 * public key, so no password is shared and one member can be removed without touching the others.
 *
 * The private key never leaves the machine unprotected: at rest it is wrapped by the same KeyProtector
 * the local store uses (OS keychain or passphrase), in a small JSON document (`MemberKeyFile`).
 */

const X25519_KEY_BYTES = 32;
const WRAP_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_INFO = 'tokendesk/team/v1/wrap-data-key';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/);

/** What a member key looks like at rest; safe to write to a file or an environment variable. */
export const MemberKeyFileSchema = z.object({
  v: z.literal(1),
  type: z.literal('tokendesk-team-member-key'),
  /** Who this key belongs to, as other members will see it ("Ana's laptop", "crm-sync on web-3"). */
  name: z.string().min(1).max(200),
  publicKey: base64url,
  /** The KeyProtector kind that wrapped `wrappedPrivateKey`. */
  protector: z.string().min(1),
  wrappedPrivateKey: z.string().min(1),
});
export type MemberKeyFile = z.infer<typeof MemberKeyFileSchema>;

/** A member public key as raw 32 bytes. */
export type MemberPublicKey = Buffer;

/** The member id stored in the team store: hex SHA-256 of the raw public key. */
export function memberIdOf(publicKey: MemberPublicKey): string {
  return createHash('sha256').update(publicKey).digest('hex');
}

/**
 * The short fingerprint both people compare before a member is added: the first 80 bits of the SHA-256
 * of the public key, as four groups of four base32 characters (easy to read aloud, no 0/O or 1/l confusion).
 */
export function fingerprintOf(publicKey: MemberPublicKey): string {
  const digest = createHash('sha256').update(publicKey).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest.subarray(0, 10)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** Parses a public key as a member shares it (base64url of the raw 32 bytes), with a clear error. */
export function parsePublicKey(text: string): MemberPublicKey {
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9_-]+$/.test(trimmed) ? Buffer.from(trimmed, 'base64url') : Buffer.alloc(0);
  if (bytes.length !== X25519_KEY_BYTES) {
    throw new TeamStoreError(
      'INVALID_MEMBER_KEY',
      'That is not a TokenDesk member public key (expected 43 characters of base64url, 32 bytes).',
    );
  }
  return bytes;
}

/** An unlocked member key: the private key as a KeyObject, held in memory while the team store is open. */
export class MemberKey {
  private constructor(
    readonly name: string,
    readonly publicKey: MemberPublicKey,
    private privateKey: KeyObject | null,
  ) {}

  /** A new random key pair for `name`. */
  static generate(name: string): MemberKey {
    const { publicKey, privateKey } = generateKeyPairSync('x25519');
    return new MemberKey(name, rawPublicKey(publicKey), privateKey);
  }

  /** Unlocks a stored member key with its protector; the protector is destroyed afterwards either way. */
  static async unlock(file: MemberKeyFile | string, protector: KeyProtector): Promise<MemberKey> {
    try {
      const parsed = parseMemberKeyFile(file);
      if (parsed.protector !== protector.kind) {
        throw new TeamStoreError(
          'LOCKED',
          `This member key is protected by "${parsed.protector}", not "${protector.kind}"; unlock it with that.`,
        );
      }
      const raw = await protector.unwrap(parsed.wrappedPrivateKey);
      try {
        const publicKey = parsePublicKey(parsed.publicKey);
        const privateKey = privateKeyFromRaw(raw, publicKey);
        // The public key in the file must be the one the private key makes: a swapped file is refused.
        if (!rawPublicKey(createPublicKey(privateKey)).equals(publicKey)) {
          throw new TeamStoreError('INVALID_MEMBER_KEY', 'The member key file is inconsistent.');
        }
        return new MemberKey(parsed.name, publicKey, privateKey);
      } finally {
        raw.fill(0);
      }
    } finally {
      protector.destroy?.();
    }
  }

  get id(): string {
    return memberIdOf(this.publicKey);
  }

  get fingerprint(): string {
    return fingerprintOf(this.publicKey);
  }

  /** What a member shares with the team: the raw public key as base64url. */
  get publicKeyText(): string {
    return this.publicKey.toString('base64url');
  }

  /** The member key wrapped by `protector`, ready to write to a file. */
  async export(protector: KeyProtector): Promise<MemberKeyFile> {
    const raw = this.rawPrivateKey();
    try {
      return {
        v: 1,
        type: 'tokendesk-team-member-key',
        name: this.name,
        publicKey: this.publicKeyText,
        protector: protector.kind,
        wrappedPrivateKey: await protector.wrap(raw),
      };
    } finally {
      raw.fill(0);
    }
  }

  /** Opens a data key wrapped for this member (see `wrapDataKeyFor`). */
  unwrapDataKey(wrapped: Buffer, context: WrapContext): Buffer {
    const privateKey = this.requireKey();
    if (wrapped.length !== 1 + X25519_KEY_BYTES + IV_BYTES + TAG_BYTES + DATA_KEY_BYTES || wrapped[0] !== 1) {
      throw new TeamStoreError('LOCKED', 'The team data key wrapped for this member is corrupt.');
    }
    const ephemeral = wrapped.subarray(1, 1 + X25519_KEY_BYTES);
    const iv = wrapped.subarray(1 + X25519_KEY_BYTES, 1 + X25519_KEY_BYTES + IV_BYTES);
    const tag = wrapped.subarray(
      1 + X25519_KEY_BYTES + IV_BYTES,
      1 + X25519_KEY_BYTES + IV_BYTES + TAG_BYTES,
    );
    const body = wrapped.subarray(1 + X25519_KEY_BYTES + IV_BYTES + TAG_BYTES);
    const shared = diffieHellman({ privateKey, publicKey: publicKeyFromRaw(ephemeral) });
    const kek = wrapKey(shared, ephemeral, this.publicKey);
    shared.fill(0);
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, iv);
      decipher.setAAD(wrapAad(context, this.publicKey));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new TeamStoreError(
        'LOCKED',
        'The team data key wrapped for this member does not open with this member key.',
      );
    } finally {
      kek.fill(0);
    }
  }

  /** Drops the private key; the instance cannot unwrap afterwards. */
  close(): void {
    this.privateKey = null;
  }

  private rawPrivateKey(): Buffer {
    const jwk = this.requireKey().export({ format: 'jwk' });
    return Buffer.from(jwk.d ?? '', 'base64url');
  }

  private requireKey(): KeyObject {
    if (this.privateKey === null) throw new TeamStoreError('LOCKED', 'The member key is locked.');
    return this.privateKey;
  }
}

/** What a wrapped data key is bound to: the team and the key version (an old wrap cannot pose as new). */
export interface WrapContext {
  readonly teamId: string;
  readonly keyVersion: number;
}

/**
 * The data key sealed for one member: ECDH between a fresh ephemeral X25519 key and the member's public
 * key, HKDF-SHA256 to a key-encryption key (salted with both public keys), AES-256-GCM over the data key
 * with the team id, key version and member public key as AAD. Layout: version byte, ephemeral public key,
 * IV, tag, ciphertext.
 */
export function wrapDataKeyFor(member: MemberPublicKey, dataKey: Buffer, context: WrapContext): Buffer {
  if (dataKey.length !== DATA_KEY_BYTES) throw new RangeError('The data key must be 32 bytes.');
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublic = rawPublicKey(ephemeral.publicKey);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: publicKeyFromRaw(member) });
  const kek = wrapKey(shared, ephemeralPublic, member);
  shared.fill(0);
  try {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', kek, iv);
    cipher.setAAD(wrapAad(context, member));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([Buffer.of(WRAP_VERSION), ephemeralPublic, iv, cipher.getAuthTag(), body]);
  } finally {
    kek.fill(0);
  }
}

export function parseMemberKeyFile(file: MemberKeyFile | string): MemberKeyFile {
  let json: unknown = file;
  if (typeof file === 'string') {
    try {
      json = JSON.parse(file);
    } catch {
      throw new TeamStoreError('INVALID_MEMBER_KEY', 'The member key is not readable JSON.');
    }
  }
  const result = MemberKeyFileSchema.safeParse(json);
  if (!result.success) {
    throw new TeamStoreError('INVALID_MEMBER_KEY', 'The member key is not a TokenDesk member key file.');
  }
  return result.data;
}

function wrapKey(shared: Buffer, ephemeralPublic: Buffer, memberPublic: Buffer): Buffer {
  return Buffer.from(
    hkdfSync('sha256', shared, Buffer.concat([ephemeralPublic, memberPublic]), HKDF_INFO, 32),
  );
}

function wrapAad(context: WrapContext, memberPublic: Buffer): Buffer {
  return Buffer.from(
    `${HKDF_INFO}\0${JSON.stringify([context.teamId, context.keyVersion, memberPublic.toString('base64url')])}`,
  );
}

function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url');
}

function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
}

function privateKeyFromRaw(raw: Buffer, publicKey: Buffer): KeyObject {
  if (raw.length !== X25519_KEY_BYTES) {
    throw new TeamStoreError('INVALID_MEMBER_KEY', 'The member key file holds no X25519 private key.');
  }
  return createPrivateKey({
    key: { kty: 'OKP', crv: 'X25519', d: raw.toString('base64url'), x: publicKey.toString('base64url') },
    format: 'jwk',
  });
}
