import { createDecipheriv } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  type BoundColumns,
  bindingOfColumns,
  deriveSubkey,
  type RowBinding,
  RowCrypto,
  type RowSecrets,
} from './row-crypto';

/**
 * Schema v1 -> v2: the four per-field ciphertext columns (`*_enc`, format v2: one AES-256-GCM ciphertext
 * per field, AAD = field name + RowBinding) become one envelope per row (`secrets_enc`, row-crypto.ts).
 * The per-field format was never released; this converts development databases instead of refusing them.
 * It needs the data key, so it runs after unlocking, in one immediate transaction: every row is decrypted
 * with the old format and re-sealed, the old columns are dropped (secure_delete zeroes their bytes) and
 * user_version becomes 2, or, on any failure or crash, nothing changes. A row that does not authenticate
 * under the old format gets no envelope (NULL), so it stays unreadable, never silently "repaired".
 * Blind indexes are unchanged (same subkey, same input).
 */

const LEGACY_VERSION = 2;
const LEGACY_IV_BYTES = 12;
const LEGACY_HEADER_BYTES = 1 + LEGACY_IV_BYTES + 16;

const LEGACY_COLUMNS = {
  clientSecret: 'client_secret_enc',
  refreshToken: 'refresh_token_enc',
  accessToken: 'access_token_enc',
  grantToken: 'grant_token_enc',
} as const;

interface LegacyRow extends BoundColumns {
  id: number;
  client_secret_enc: Buffer | null;
  refresh_token_enc: Buffer | null;
  access_token_enc: Buffer | null;
  grant_token_enc: Buffer | null;
}

/** Runs in the caller's transaction, with user_version 1 checked by the caller. Returns what it did, for the log. */
export function convertToEnvelopes(
  db: Database.Database,
  dataKey: Buffer,
): { converted: number; unreadableIds: string[] } {
  db.exec('ALTER TABLE tokens ADD COLUMN secrets_enc BLOB');
  const rows = db
    .prepare<[], LegacyRow>(
      `SELECT id, user_name, client_id, data_center, environment, expiry_time, redirect_url, api_domain,
        client_secret_enc, refresh_token_enc, access_token_enc, grant_token_enc FROM tokens ORDER BY id`,
    )
    .all();
  const write = db.prepare<[Buffer, number]>('UPDATE tokens SET secrets_enc = ? WHERE id = ?');
  const legacyKey = deriveSubkey(dataKey, 'field-encryption');
  const crypto = new RowCrypto(dataKey);
  const unreadableIds: string[] = [];
  let converted = 0;
  try {
    for (const row of rows) {
      const binding = bindingOfColumns(String(row.id), row);
      const secrets = openLegacy(legacyKey, binding, row);
      if (secrets === null) {
        unreadableIds.push(binding.id);
        continue;
      }
      write.run(crypto.seal(binding, secrets), row.id);
      converted++;
    }
  } finally {
    legacyKey.fill(0);
    crypto.destroy();
  }
  for (const column of Object.values(LEGACY_COLUMNS)) db.exec(`ALTER TABLE tokens DROP COLUMN ${column}`);
  return { converted, unreadableIds };
}

/** The row's secrets under the legacy per-field format, or null if any field fails to authenticate. */
function openLegacy(key: Buffer, binding: RowBinding, row: LegacyRow): RowSecrets | null {
  const text = JSON.stringify([
    binding.id,
    binding.userName,
    binding.clientId,
    binding.dataCenter,
    binding.environment,
    binding.expiryTime,
    binding.redirectUrl,
    binding.apiDomain,
  ]);
  const secrets: RowSecrets = { clientSecret: null, refreshToken: null, accessToken: null, grantToken: null };
  for (const [field, column] of Object.entries(LEGACY_COLUMNS) as [keyof RowSecrets, keyof LegacyRow][]) {
    const sealed = row[column] as Buffer | null;
    if (sealed === null) continue; // the legacy format stored a null secret as a NULL column
    if (sealed.length < LEGACY_HEADER_BYTES || sealed[0] !== LEGACY_VERSION) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + LEGACY_IV_BYTES));
      decipher.setAAD(Buffer.from(`tokendesk/v${LEGACY_VERSION}\0field=${field}\0row=${text}`, 'utf8'));
      decipher.setAuthTag(sealed.subarray(1 + LEGACY_IV_BYTES, LEGACY_HEADER_BYTES));
      const plain = decipher.update(sealed.subarray(LEGACY_HEADER_BYTES));
      decipher.final();
      secrets[field] = plain.toString('utf8');
      plain.fill(0);
    } catch {
      return null;
    }
  }
  return secrets;
}
