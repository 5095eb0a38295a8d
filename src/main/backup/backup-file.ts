import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { BackupError } from './backup-errors';

/**
 * A TokenDesk backup file: a snapshot of the whole store (SQLite's online backup of the database: tokens,
 * audit log, notes, the wrapped data key) encrypted as one AES-256-GCM message.
 *
 *   "TDBK" | version byte | 4-byte big-endian header length | header (JSON, UTF-8) | 12-byte IV | 16-byte tag | ciphertext
 *
 * The header carries the store's wrapped data key and its protector kind, exactly as the store keeps them,
 * so the backup opens with the same passphrase (or keychain) as the store it came from, and nothing else.
 * The file key is an HKDF subkey of the data key for this purpose only (`backup-file`). Everything before
 * the IV is the AAD: a header edited by hand (another wrapped key, another date) fails authentication.
 * Nothing in the file is readable without the key: not the user names, not the audit log.
 */

const MAGIC = Buffer.from('TDBK', 'ascii');
export const BACKUP_FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A header is a few hundred bytes; anything far larger is not one of ours. */
const MAX_HEADER_BYTES = 64 * 1024;

export const BackupHeaderSchema = z
  .object({
    format: z.literal('tokendesk-backup'),
    createdAt: z.number().int().nonnegative(),
    /** The protector kind stored beside the wrapped key (`passphrase`, `safeStorage`). */
    protectorKind: z.string().min(1).max(100),
    wrappedKey: z.string().min(1).max(10_000),
    /** Token rows in the snapshot (readable ones; a backup is refused while any row is unreadable). */
    tokens: z.number().int().nonnegative(),
  })
  .strict();
export type BackupHeader = z.infer<typeof BackupHeaderSchema>;

export function sealBackup(header: BackupHeader, snapshot: Buffer, fileKey: Buffer): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(BackupHeaderSchema.parse(header)), 'utf8');
  const prefix = Buffer.alloc(MAGIC.length + 1 + 4);
  MAGIC.copy(prefix, 0);
  prefix[MAGIC.length] = BACKUP_FORMAT_VERSION;
  prefix.writeUInt32BE(headerBytes.length, MAGIC.length + 1);
  const aad = Buffer.concat([prefix, headerBytes]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', fileKey, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(snapshot), cipher.final()]);
  return Buffer.concat([aad, iv, cipher.getAuthTag(), body]);
}

export interface ParsedBackup {
  readonly header: BackupHeader;
  /** Decrypts the snapshot with the file key (derived from the unwrapped data key). */
  open(fileKey: Buffer): Buffer;
}

/** Reads the header (no key needed); throws BackupError NOT_A_BACKUP for anything else. */
export function parseBackup(file: Buffer): ParsedBackup {
  const notOurs = () =>
    new BackupError('NOT_A_BACKUP', 'This file is not a TokenDesk backup.', {
      hint: 'Choose a file made with "Back up now" (its name ends in .tdbackup).',
    });
  if (file.length < MAGIC.length + 5 || !file.subarray(0, MAGIC.length).equals(MAGIC)) throw notOurs();
  const version = file[MAGIC.length];
  if (version !== BACKUP_FORMAT_VERSION) {
    throw new BackupError('NOT_A_BACKUP', `This backup was made by a newer TokenDesk (format ${version}).`, {
      hint: 'Update TokenDesk, then restore it.',
    });
  }
  const headerLength = file.readUInt32BE(MAGIC.length + 1);
  const headerEnd = MAGIC.length + 5 + headerLength;
  if (headerLength > MAX_HEADER_BYTES || headerEnd + IV_BYTES + TAG_BYTES > file.length) throw notOurs();
  let header: BackupHeader;
  try {
    header = BackupHeaderSchema.parse(JSON.parse(file.toString('utf8', MAGIC.length + 5, headerEnd)));
  } catch {
    throw notOurs();
  }
  const aad = file.subarray(0, headerEnd);
  const iv = file.subarray(headerEnd, headerEnd + IV_BYTES);
  const tag = file.subarray(headerEnd + IV_BYTES, headerEnd + IV_BYTES + TAG_BYTES);
  const body = file.subarray(headerEnd + IV_BYTES + TAG_BYTES);
  return {
    header,
    open(fileKey) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', fileKey, iv);
        decipher.setAAD(aad);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]);
      } catch {
        throw new BackupError(
          'BACKUP_DAMAGED',
          'The backup file is damaged or was changed after it was made, so it cannot be restored.',
          { hint: 'Nothing was replaced. Restore another backup.' },
        );
      }
    },
  };
}
