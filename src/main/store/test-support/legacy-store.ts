/**
 * Writes a schema-v1 database in the per-field ciphertext format (v2, one AES-256-GCM ciphertext per
 * secret, AAD = field name + row binding), as development builds before the envelope did, so the
 * v1 -> v2 conversion can be tested against real old bytes.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { OAuthToken } from '../oauth-token';
import { deriveSubkey, generateDataKey, RowCrypto, SECRET_FIELDS } from '../row-crypto';
import { migrate } from '../sqlite-schema';
import { testProtector } from './temp-store';

const COLUMNS = {
  clientSecret: 'client_secret_enc',
  refreshToken: 'refresh_token_enc',
  accessToken: 'access_token_enc',
  grantToken: 'grant_token_enc',
} as const;

export async function writeLegacyStore(path: string, tokens: readonly OAuthToken[], passphrase?: string) {
  const db = new Database(path);
  try {
    migrate(db); // the SQL steps only: schema v1
    const dataKey = generateDataKey();
    const insertMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    insertMeta.run('wrapped_data_key', await testProtector(passphrase).wrap(dataKey));
    insertMeta.run('protector_kind', 'passphrase');
    const fieldKey = deriveSubkey(dataKey, 'field-encryption');
    const index = new RowCrypto(dataKey);
    tokens.forEach((token, i) => {
      const id = i + 1;
      const text = JSON.stringify([
        String(id),
        token.userName,
        token.clientId,
        token.dataCenter,
        token.environment,
        token.expiryTime,
        token.redirectUrl,
        token.apiDomain,
      ]);
      const params: Record<string, unknown> = {
        id,
        user_name: token.userName,
        client_id: token.clientId,
        data_center: token.dataCenter,
        environment: token.environment,
        expiry_time: token.expiryTime,
        redirect_url: token.redirectUrl,
        api_domain: token.apiDomain,
        scopes: token.scopes === null ? null : JSON.stringify(token.scopes),
        created_at: 1,
        updated_at: 2,
      };
      for (const field of SECRET_FIELDS) {
        const value = token[field];
        let sealed: Buffer | null = null;
        if (value !== null) {
          const iv = randomBytes(12);
          const cipher = createCipheriv('aes-256-gcm', fieldKey, iv);
          cipher.setAAD(Buffer.from(`tokendesk/v2\0field=${field}\0row=${text}`, 'utf8'));
          const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
          sealed = Buffer.concat([Buffer.of(2), iv, cipher.getAuthTag(), body]);
        }
        params[COLUMNS[field]] = sealed;
      }
      for (const field of ['refreshToken', 'accessToken', 'grantToken'] as const) {
        const value = token[field];
        params[`${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_bidx`] =
          value === null || value === '' ? null : index.blindIndex(field, value);
      }
      const names = Object.keys(params);
      db.prepare(
        `INSERT INTO tokens (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`,
      ).run(params);
    });
    index.destroy();
  } finally {
    db.close();
  }
}
