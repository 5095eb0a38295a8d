import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Envelope encryption of token fields (DESIGN.md "Secrets"). One random 256-bit data key; HKDF-SHA256
 * (RFC 5869) derives independent subkeys so the encryption key and the blind-index key never share
 * material. Each field is sealed with AES-256-GCM; the AAD names the field and binds the row (`RowBinding`:
 * its id and the plain columns that say whose token it is and where its secrets are sent), so a ciphertext
 * copied onto another row or into another column, or a row relabelled as another user or pointed at
 * another api_domain, fails authentication instead of decrypting.
 */

export const DATA_KEY_BYTES = 32;
export const SECRET_FIELDS = ['clientSecret', 'refreshToken', 'accessToken', 'grantToken'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];
/** Fields the SDK looks rows up by (ZOHO.md matching rules 2 and 3). */
export type IndexedField = Exclude<SecretField, 'clientSecret'>;

// Bumping this changes every HKDF info string: old data would no longer open, so don't, without a
// migration that re-encrypts under the new keys.
const KEY_DERIVATION_VERSION = 1;
/**
 * First byte of every ciphertext; it names the AAD layout. v1 (row id and field only) was never
 * released, so nothing reads it: v2 binds the whole RowBinding.
 */
const FORMAT_VERSION = 2;
const HKDF_SALT = Buffer.from('tokendesk/token-store');
const IV_BYTES = 12; // the GCM nonce size NIST SP 800-38D recommends
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/**
 * The plain columns each of a row's ciphertexts is bound to. They stay readable (lookups by user, the
 * unreadable-row listing) but not editable: changing any of them outside the store makes the row's
 * secrets fail authentication. A save writes them and re-seals every secret together, so the store
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

/** A row's AAD material, built once per row and shared by its four fields. */
export class RowAad {
  readonly rowId: string;
  private readonly text: string;

  constructor(row: RowBinding) {
    this.rowId = row.id;
    // JSON keeps null apart from "" and no value can run into the next one.
    this.text = JSON.stringify([
      row.id,
      row.userName,
      row.clientId,
      row.dataCenter,
      row.environment,
      row.expiryTime,
      row.redirectUrl,
      row.apiDomain,
    ]);
  }

  forField(field: SecretField): Buffer {
    return Buffer.from(`tokendesk/v${FORMAT_VERSION}\0field=${field}\0row=${this.text}`, 'utf8');
  }
}

/** A ciphertext that failed authentication. Callers turn it into a row-level error; it names no secret. */
export class FieldIntegrityError extends Error {
  constructor(
    readonly rowId: string,
    readonly field: SecretField,
  ) {
    super(`Field ${field} of row ${rowId} failed its integrity check.`);
    this.name = 'FieldIntegrityError';
  }
}

export function generateDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

export class FieldCrypto {
  private readonly encryptionKey: Buffer;
  private readonly indexKey: Buffer;

  constructor(dataKey: Buffer) {
    if (dataKey.length !== DATA_KEY_BYTES) throw new RangeError('The data key must be 32 bytes.');
    this.encryptionKey = derive(dataKey, 'field-encryption');
    this.indexKey = derive(dataKey, 'blind-index');
  }

  /** Layout: version byte, 12-byte random IV, 16-byte GCM tag, ciphertext. */
  encrypt(row: RowAad, field: SecretField, plaintext: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(row.forField(field));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(FORMAT_VERSION), iv, cipher.getAuthTag(), body]);
  }

  /**
   * Throws FieldIntegrityError for a tampered, moved, truncated or foreign-key ciphertext, or one whose
   * row's bound columns changed since it was sealed.
   */
  decrypt(row: RowAad, field: SecretField, sealed: Uint8Array): string {
    // better-sqlite3 hands out Buffers already: wrap only a plain Uint8Array (one allocation less per field).
    const buf = Buffer.isBuffer(sealed)
      ? sealed
      : Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (buf.length < HEADER_BYTES || buf[0] !== FORMAT_VERSION)
      throw new FieldIntegrityError(row.rowId, field);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, buf.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(row.forField(field));
      decipher.setAuthTag(buf.subarray(1 + IV_BYTES, HEADER_BYTES));
      // GCM's final() yields no bytes (it only checks the tag), so skip concatenating: this is the hot path
      // of getTokens (three or four fields per row).
      const text = decipher.update(buf.subarray(HEADER_BYTES)).toString('utf8');
      decipher.final();
      return text;
    } catch {
      throw new FieldIntegrityError(row.rowId, field);
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

  /** Overwrites the derived keys; the instance is unusable afterwards. */
  destroy(): void {
    this.encryptionKey.fill(0);
    this.indexKey.fill(0);
  }
}

function derive(dataKey: Buffer, purpose: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', dataKey, HKDF_SALT, `tokendesk/v${KEY_DERIVATION_VERSION}/${purpose}`, 32),
  );
}
