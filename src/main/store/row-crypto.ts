import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { KeyProtector } from './key-protector';
import { SnapshotCrypto } from './snapshot-crypto';

/**
 * Envelope encryption of a token row's secrets (docs/architecture.md "Secrets"). One random 256-bit data key;
 * HKDF-SHA256 (RFC 5869) derives independent subkeys, so the encryption key and the blind-index key never
 * share material. A row's four secrets (client secret, refresh, access and grant token) are sealed
 * together as ONE AES-256-GCM envelope: one cipher per row to read or write, not one per field. The AAD
 * names the format version and the fields inside, and binds the row (`RowBinding`: its id and the plain
 * columns that say whose token it is and where its secrets are sent), so an envelope copied onto another
 * row, or a row relabelled as another user or pointed at another api_domain, fails authentication instead
 * of decrypting. The envelope always exists, even when every secret is null, so a missing envelope is a
 * failure too, never "no secrets".
 */

export const DATA_KEY_BYTES = 32;
/** The secrets in an envelope, in their encoding order (part of the AAD: reordering is a new format). */
export const SECRET_FIELDS = ['clientSecret', 'refreshToken', 'accessToken', 'grantToken'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];
/** Fields the SDK looks rows up by (docs/zoho.md matching rules 2 and 3). */
export type IndexedField = Exclude<SecretField, 'clientSecret'>;
/** A row's secrets; null (absent) stays distinct from '' through the envelope. */
export type RowSecrets = { [F in SecretField]: string | null };

// Bumping this changes every HKDF info string: old data would no longer open, so don't, without a
// migration that re-encrypts under the new keys.
const KEY_DERIVATION_VERSION = 1;
/**
 * First byte of every envelope; it names the plaintext encoding and the AAD layout. v1 and v2 were
 * per-field ciphertexts of development builds, never released and no longer read.
 */
export const ENVELOPE_VERSION = 3;
const HKDF_SALT = Buffer.from('tokendesk/token-store');
const IV_BYTES = 12; // the GCM nonce size NIST SP 800-38D recommends
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
const LENGTH_BYTES = 4;
const LISTING_MAC_PREFIX = 'tokendesk/listing/v1\0';
const LISTING_MAC_BYTES = 32;
const AAD_PREFIX = `tokendesk/envelope/v${ENVELOPE_VERSION}\0fields=${SECRET_FIELDS.join(',')}\0row=`;

/**
 * The plain columns a row's envelope is bound to. They stay readable (lookups by user, the
 * unreadable-row listing) but not editable: changing any of them outside the store makes the row's
 * envelope fail authentication. A save writes them and re-seals the envelope together, so the store
 * never changes one without the other. Bookkeeping (scopes, timestamps, last error) is left out: it
 * decides nothing about where a secret goes.
 */
export interface RowBinding {
  readonly id: string;
  readonly userName: string | null;
  readonly clientId: string | null;
  readonly dataCenter: string | null;
  readonly environment: string | null;
  readonly expiryTime: string | null;
  readonly redirectUrl: string | null;
  readonly apiDomain: string | null;
}

/** The bound columns as the `tokens` table names them (what the store and the v2 migration read back). */
export interface BoundColumns {
  readonly user_name: string | null;
  readonly client_id: string | null;
  readonly data_center: string | null;
  readonly environment: string | null;
  readonly expiry_time: string | null;
  readonly redirect_url: string | null;
  readonly api_domain: string | null;
}

/** A row's binding from its stored columns: the store opens, and the migration seals, against exactly this. */
export function bindingOfColumns(id: string, row: BoundColumns): RowBinding {
  return {
    id,
    userName: row.user_name,
    clientId: row.client_id,
    dataCenter: row.data_center,
    environment: row.environment,
    expiryTime: row.expiry_time,
    redirectUrl: row.redirect_url,
    apiDomain: row.api_domain,
  };
}

/** The AAD of a row's envelope: format version, field list, then the binding as JSON (null apart from ""). */
export function rowAad(row: RowBinding): Buffer {
  // JSON keeps null apart from "" and no value can run into the next one.
  const binding = JSON.stringify([
    row.id,
    row.userName,
    row.clientId,
    row.dataCenter,
    row.environment,
    row.expiryTime,
    row.redirectUrl,
    row.apiDomain,
  ]);
  return Buffer.from(AAD_PREFIX + binding, 'utf8');
}

/** An envelope that failed authentication. Callers turn it into a row-level error; it names no secret. */
export class RowIntegrityError extends Error {
  constructor(readonly rowId: string) {
    super(`Row ${rowId} failed its integrity check.`);
    this.name = 'RowIntegrityError';
  }
}

export function generateDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

/**
 * The data key and the subkeys derived from it: the one holder of key material for a store's rows.
 * It keeps its own copy of the data key (the caller zeroes theirs whenever it likes), hands out further
 * subkeys (`deriveKey`), and `destroy` (a store's close or lock) zeroes all of it.
 */
export class RowCrypto {
  private readonly dataKey: Buffer;
  private readonly envelopeKey: Buffer;
  private readonly indexKey: Buffer;
  private readonly listingKey: Buffer;
  private readonly snapshotCrypto: SnapshotCrypto;

  constructor(dataKey: Buffer) {
    if (dataKey.length !== DATA_KEY_BYTES) throw new RangeError('The data key must be 32 bytes.');
    this.dataKey = Buffer.from(dataKey);
    // Its own subkey: an envelope and a (legacy) per-field ciphertext can never be taken for each other.
    this.envelopeKey = deriveSubkey(dataKey, 'row-envelope');
    this.indexKey = deriveSubkey(dataKey, 'blind-index');
    this.listingKey = deriveSubkey(dataKey, 'row-listing');
    this.snapshotCrypto = new SnapshotCrypto(
      deriveSubkey(dataKey, 'row-snapshot-listing'),
      deriveSubkey(dataKey, 'row-snapshot-secrets'),
    );
  }

  /** The data key wrapped by `protector` (a second protector added to an open store); no copy leaves. */
  wrapDataKey(protector: KeyProtector): Promise<string> {
    return protector.wrap(this.dataKey);
  }

  /** A subkey of the data key for a purpose other than rows (a backup file); the caller zeroes it. */
  deriveKey(purpose: 'backup-file'): Buffer {
    return deriveSubkey(this.dataKey, purpose);
  }

  /** Layout: version byte, 12-byte random IV, 16-byte GCM tag, ciphertext of encodeSecrets(). */
  seal(row: RowBinding, secrets: RowSecrets): Buffer {
    const plain = encodeSecrets(secrets);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.envelopeKey, iv);
    cipher.setAAD(rowAad(row));
    const body = cipher.update(plain);
    cipher.final(); // GCM emits no bytes here, it computes the tag
    plain.fill(0);
    return Buffer.concat([Buffer.of(ENVELOPE_VERSION), iv, cipher.getAuthTag(), body]);
  }

  /**
   * The row's secrets. Throws RowIntegrityError for a missing, tampered, moved, truncated or
   * foreign-key envelope, or one whose row's bound columns changed since it was sealed.
   */
  open(row: RowBinding, sealed: Uint8Array | null): RowSecrets {
    if (sealed === null) throw new RowIntegrityError(row.id);
    // better-sqlite3 hands out Buffers already: wrap only a plain Uint8Array.
    const buf = Buffer.isBuffer(sealed)
      ? sealed
      : Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (buf.length < HEADER_BYTES || buf[0] !== ENVELOPE_VERSION) throw new RowIntegrityError(row.id);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.envelopeKey, buf.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(rowAad(row));
      decipher.setAuthTag(buf.subarray(1 + IV_BYTES, HEADER_BYTES));
      plain = decipher.update(buf.subarray(HEADER_BYTES));
      decipher.final(); // throws unless the tag authenticates: nothing is decoded before this
    } catch {
      throw new RowIntegrityError(row.id);
    }
    try {
      return decodeSecrets(plain, row.id);
    } finally {
      plain.fill(0);
    }
  }

  /**
   * HMAC-SHA256 of the value under the index key: equal values give equal indexes, so a row can be found
   * by token value, while the column reveals nothing without the key. The field name separates domains,
   * so an access token's index never matches a refresh token column.
   */
  blindIndex(field: IndexedField, value: string): Buffer {
    return createHmac('sha256', this.indexKey).update(`${field}\0`).update(value, 'utf8').digest();
  }

  /**
   * HMAC-SHA256, under its own subkey, of what a row shows without being decrypted (its plain columns and
   * masked previews, `listing`) and of its envelope as stored: a list checks a row with this instead of
   * opening its envelope (docs/storage.md "Listing without secrets"). Binding the envelope's bytes ties
   * the listing to the envelope written with it, so any change to the envelope fails here too.
   */
  listingMac(listing: string, envelope: Uint8Array): Buffer {
    return createHmac('sha256', this.listingKey)
      .update(LISTING_MAC_PREFIX + listing, 'utf8')
      .update(envelope)
      .digest();
  }

  /** Whether `mac` is the listing MAC of `listing` and `envelope` under this key. */
  listingMacMatches(listing: string, envelope: Uint8Array | null, mac: Uint8Array | null): boolean {
    if (mac === null || mac.length !== LISTING_MAC_BYTES || envelope === null) return false;
    return timingSafeEqual(this.listingMac(listing, envelope), mac);
  }

  /** The keys of the row snapshots (snapshot-crypto.ts), zeroed with this instance's. */
  snapshots(): SnapshotCrypto {
    return this.snapshotCrypto;
  }

  /** Overwrites the data key and the derived keys; the instance is unusable afterwards. */
  destroy(): void {
    this.dataKey.fill(0);
    this.listingKey.fill(0);
    this.snapshotCrypto.destroy();
    this.envelopeKey.fill(0);
    this.indexKey.fill(0);
  }
}

/**
 * The envelope's plaintext: one presence byte (bit i set: SECRET_FIELDS[i] is not null), then for each
 * present field in order a 4-byte big-endian UTF-8 length and the bytes. Unambiguous (lengths, not
 * separators) and null-preserving ('' is present with length 0).
 */
export function encodeSecrets(secrets: RowSecrets): Buffer {
  let presence = 0;
  let size = 1;
  const lengths: number[] = [0, 0, 0, 0];
  for (let i = 0; i < SECRET_FIELDS.length; i++) {
    const value = secrets[SECRET_FIELDS[i]!];
    if (value === null) continue;
    presence |= 1 << i;
    lengths[i] = Buffer.byteLength(value, 'utf8');
    size += LENGTH_BYTES + lengths[i]!;
  }
  const out = Buffer.allocUnsafe(size);
  out[0] = presence;
  let at = 1;
  for (let i = 0; i < SECRET_FIELDS.length; i++) {
    if ((presence & (1 << i)) === 0) continue;
    out.writeUInt32BE(lengths[i]!, at);
    at += LENGTH_BYTES;
    at += out.write(secrets[SECRET_FIELDS[i]!]!, at, 'utf8');
  }
  return out;
}

/** Inverse of encodeSecrets; strict (unknown presence bits, overruns and trailing bytes are failures). */
export function decodeSecrets(plain: Buffer, rowId: string): RowSecrets {
  const presence = plain.length > 0 ? plain[0]! : 0xff;
  if (presence >> SECRET_FIELDS.length !== 0) throw new RowIntegrityError(rowId);
  const values: (string | null)[] = [null, null, null, null];
  let at = 1;
  for (let i = 0; i < SECRET_FIELDS.length; i++) {
    if ((presence & (1 << i)) === 0) continue;
    if (at + LENGTH_BYTES > plain.length) throw new RowIntegrityError(rowId);
    const end = at + LENGTH_BYTES + plain.readUInt32BE(at);
    if (end > plain.length) throw new RowIntegrityError(rowId);
    values[i] = plain.toString('utf8', at + LENGTH_BYTES, end);
    at = end;
  }
  if (at !== plain.length) throw new RowIntegrityError(rowId);
  return {
    clientSecret: values[0] ?? null,
    refreshToken: values[1] ?? null,
    accessToken: values[2] ?? null,
    grantToken: values[3] ?? null,
  };
}

/** HKDF-SHA256 subkey of the data key for one purpose (the info string names the derivation version). */
export function deriveSubkey(dataKey: Buffer, purpose: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', dataKey, HKDF_SALT, `tokendesk/v${KEY_DERIVATION_VERSION}/${purpose}`, 32),
  );
}
