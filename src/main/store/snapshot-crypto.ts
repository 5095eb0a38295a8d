import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The keys of the row snapshots (row-snapshots.ts, docs/storage.md "Row snapshots"), two HKDF subkeys of
 * the data key held by RowCrypto: an HMAC-SHA256 over a group's listed values, and AES-256-GCM for its
 * secrets. Both are bound to the group number and to the group's rows as they are now (each row's
 * listing MAC, which covers its id, laid out by SQLite: `rows`), so a snapshot serves only the rows it was
 * made from; the sealed secrets are bound to the listing's MAC as well, so the two parts of different
 * snapshots cannot be mixed.
 */

const FORMAT_VERSION = 1;
const LISTING_PREFIX = `tokendesk/row-snapshot/v${FORMAT_VERSION}/listing\0`;
const SECRETS_PREFIX = `tokendesk/row-snapshot/v${FORMAT_VERSION}/secrets\0`;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

export class SnapshotCrypto {
  constructor(
    private readonly listingKey: Buffer,
    private readonly secretsKey: Buffer,
  ) {}

  /** The MAC of group `group`'s listing bytes, made from the rows `rows` describes. */
  listingMac(group: number, rows: Buffer, listing: Buffer): Buffer {
    return createHmac('sha256', this.listingKey)
      .update(`${LISTING_PREFIX}${group}\0${rows.length}\0`, 'utf8')
      .update(rows)
      .update(listing)
      .digest();
  }

  /** Whether `stored` is the MAC of the listing for these rows (constant time). */
  listingMatches(group: number, rows: Buffer, listing: Buffer, stored: Buffer): boolean {
    const computed = this.listingMac(group, rows, listing);
    return stored.length === computed.length && timingSafeEqual(stored, computed);
  }

  /** Layout: version byte, 12-byte random IV, 16-byte GCM tag, ciphertext. */
  sealSecrets(group: number, rows: Buffer, listingMac: Buffer, plain: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.secretsKey, iv);
    cipher.setAAD(secretsAad(group, rows, listingMac));
    const body = cipher.update(plain);
    cipher.final();
    return Buffer.concat([Buffer.of(FORMAT_VERSION), iv, cipher.getAuthTag(), body]);
  }

  /** The plaintext (the caller zeroes it), or null when the bytes do not authenticate for these rows. */
  openSecrets(group: number, rows: Buffer, listingMac: Buffer, sealed: Buffer): Buffer | null {
    if (sealed.length < HEADER_BYTES || sealed[0] !== FORMAT_VERSION) return null;
    let plain: Buffer | null = null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.secretsKey, sealed.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(secretsAad(group, rows, listingMac));
      decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, HEADER_BYTES));
      plain = decipher.update(sealed.subarray(HEADER_BYTES));
      decipher.final(); // throws unless the tag authenticates
      return plain;
    } catch {
      plain?.fill(0);
      return null;
    }
  }

  /** Overwrites both keys; the instance is unusable afterwards. */
  destroy(): void {
    this.listingKey.fill(0);
    this.secretsKey.fill(0);
  }
}

function secretsAad(group: number, rows: Buffer, listingMac: Buffer): Buffer {
  const head = Buffer.from(`${SECRETS_PREFIX}${group}\0${rows.length}\0`, 'utf8');
  return Buffer.concat([head, rows, listingMac]);
}
