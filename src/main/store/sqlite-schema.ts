import type Database from 'better-sqlite3';
import { createLogger } from '../log';
import { convertToEnvelopes } from './sqlite-envelope-migration';
import { TokenStoreError } from './token-store';

const log = createLogger('store.schema');

/**
 * The token store's tables, migrated by `PRAGMA user_version` (owned by this module: other modules that
 * keep tables in the same file must not use user_version, only `CREATE TABLE IF NOT EXISTS` or their own
 * bookkeeping). Each migration runs in its own immediate transaction, so a crash leaves the previous
 * version intact and a second process waits rather than migrating twice.
 *
 * Two kinds of step: plain SQL (`migrate`, before the data key is unlocked) and steps that re-encrypt
 * (`migrateWithKey`, right after unlocking, before the store reads a row).
 * - v1 (SQL): the tables. Secrets as four per-field ciphertext columns (*_enc) plus *_bidx.
 * - v2 (key): one envelope per row, `secrets_enc`; the *_enc columns converted and dropped
 *   (sqlite-envelope-migration.ts). Final shape of `tokens`: the v1 columns without *_enc, plus
 *   secrets_enc BLOB (the store treats NULL as unreadable; ALTER TABLE cannot add NOT NULL).
 */
const SQL_MIGRATIONS: readonly string[] = [
  // v1. AUTOINCREMENT so a deleted id is never handed out again (plain rowid reuses the max after a delete).
  // Secrets are *_enc (AES-GCM blobs, replaced by secrets_enc in v2) plus *_bidx (HMAC blind indexes)
  // for lookup by value.
  `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name TEXT,
    client_id TEXT,
    data_center TEXT,
    environment TEXT,
    expiry_time TEXT,
    redirect_url TEXT,
    api_domain TEXT,
    scopes TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_refreshed_at INTEGER,
    last_error TEXT,
    client_secret_enc BLOB,
    refresh_token_enc BLOB,
    access_token_enc BLOB,
    grant_token_enc BLOB,
    refresh_token_bidx BLOB,
    access_token_bidx BLOB,
    grant_token_bidx BLOB
  );

  CREATE INDEX tokens_identity ON tokens (user_name, client_id, data_center, environment);
  CREATE INDEX tokens_refresh_token_bidx ON tokens (refresh_token_bidx);
  CREATE INDEX tokens_access_token_bidx ON tokens (access_token_bidx);
  CREATE INDEX tokens_grant_token_bidx ON tokens (grant_token_bidx);
  `,
];

/** v2: secrets sealed as one envelope per row (needs the data key). */
const ENVELOPE_SCHEMA_VERSION = 2;

/**
 * v3 (SQL, run after v2): one row per person under the user-name rule shared with the SDK
 * (sdk-user-name.ts). A row named by the bare email is merged into the row the SDK named
 * `<email>:<zgid>` for the same client, data center and environment when it holds the same refresh token
 * (same blind index) or none: it is deleted, and the SDK-named row, which the SDK finds, stays. Rows with a
 * different refresh token are two grants alive at Zoho and both stay (deleting one would forget a token
 * that still works; the console shows both under the email, and deleting one revokes it).
 */
const MERGE_USER_NAME_FORMS_VERSION = 3;
const MERGE_USER_NAME_FORMS = `
  DELETE FROM tokens WHERE id IN (
    SELECT bare.id FROM tokens AS bare JOIN tokens AS sdk
      ON sdk.id <> bare.id
      AND sdk.user_name >= bare.user_name || ':0' AND sdk.user_name < bare.user_name || ';'
      AND substr(sdk.user_name, length(bare.user_name) + 2) NOT GLOB '*[^0-9]*'
      AND sdk.client_id IS bare.client_id
      AND sdk.data_center IS bare.data_center
      AND sdk.environment IS bare.environment
    WHERE bare.user_name NOT LIKE '%:%'
      AND (bare.refresh_token_bidx IS NULL OR bare.refresh_token_bidx = sdk.refresh_token_bidx)
  )`;
const SCHEMA_VERSION = MERGE_USER_NAME_FORMS_VERSION;

/** The SQL steps (to v1). Throws for a database newer than this build. */
export function migrate(db: Database.Database): void {
  // Checked first without the write lock: opening a current database then writes nothing, so it opens
  // while another program holds the lock.
  if (checkedUserVersion(db) >= SQL_MIGRATIONS.length) return;
  const step = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated while we waited.
    const current = checkedUserVersion(db);
    if (current >= SQL_MIGRATIONS.length) return false;
    db.exec(SQL_MIGRATIONS[current]!);
    // user_version lives in the file header and is written in the same transaction as the DDL.
    db.pragma(`user_version = ${current + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one migration per transaction
  }
}

/**
 * The steps after unlocking, with the data key: v1 -> v2 re-encrypts; v2 -> v3 (plain SQL, but it needs
 * the v2 columns, so it runs here, after v2) merges user-name forms. Each in its own transaction.
 */
export function migrateWithKey(db: Database.Database, dataKey: Buffer): void {
  // A current database needs nothing: no write lock taken (see `migrate`).
  if (checkedUserVersion(db) >= SCHEMA_VERSION) return;
  db.transaction(() => {
    const current = checkedUserVersion(db);
    if (current !== ENVELOPE_SCHEMA_VERSION - 1) return;
    const { converted, unreadableIds } = convertToEnvelopes(db, dataKey);
    db.pragma(`user_version = ${ENVELOPE_SCHEMA_VERSION}`);
    // A new store passes through here too, with nothing to convert. Rows that failed the old format stay
    // unreadable; the log says which, as the list will.
    if (converted > 0 || unreadableIds.length > 0) {
      log.info('Token rows converted to one envelope per row', { converted, unreadableIds });
    }
  }).immediate();
  db.transaction(() => {
    if (checkedUserVersion(db) !== MERGE_USER_NAME_FORMS_VERSION - 1) return;
    const merged = db.prepare(MERGE_USER_NAME_FORMS).run().changes;
    db.pragma(`user_version = ${MERGE_USER_NAME_FORMS_VERSION}`);
    if (merged > 0) log.info('Merged token rows of one user stored under two user-name forms', { merged });
  }).immediate();
}

function checkedUserVersion(db: Database.Database): number {
  const current = userVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new TokenStoreError(
      'STORAGE',
      `The token database has schema version ${current}, newer than this TokenDesk supports (${SCHEMA_VERSION}). Update TokenDesk.`,
    );
  }
  return current;
}

function userVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}
