import type Database from 'better-sqlite3';
import { TokenStoreError } from './token-store';

/**
 * The token store's tables, migrated by `PRAGMA user_version` (owned by this module: other modules that
 * keep tables in the same file must not use user_version, only `CREATE TABLE IF NOT EXISTS` or their own
 * bookkeeping). Each migration runs in its own immediate transaction, so a crash leaves the previous
 * version intact and a second process waits rather than migrating twice.
 */
const MIGRATIONS: readonly string[] = [
  // v1. AUTOINCREMENT so a deleted id is never handed out again (plain rowid reuses the max after a delete).
  // Secrets are *_enc (AES-GCM blobs) plus *_bidx (HMAC blind indexes) for lookup by value.
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

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database.Database): void {
  const step = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated while we waited.
    const current = userVersion(db);
    if (current > SCHEMA_VERSION) {
      throw new TokenStoreError(
        'STORAGE',
        `The token database has schema version ${current}, newer than this TokenDesk supports (${SCHEMA_VERSION}). Update TokenDesk.`,
      );
    }
    if (current === SCHEMA_VERSION) return false;
    db.exec(MIGRATIONS[current]!);
    // user_version lives in the file header and is written in the same transaction as the DDL.
    db.pragma(`user_version = ${current + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one migration per transaction
  }
}

function userVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}
