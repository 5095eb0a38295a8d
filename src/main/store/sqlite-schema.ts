import type Database from 'better-sqlite3';
import { createLogger } from '../log';
import { ROW_SNAPSHOTS_SCHEMA } from './row-snapshots';
import { TokenStoreError } from './token-store';

const log = createLogger('store.schema');

/**
 * The token store's tables, migrated by `PRAGMA user_version` (owned by this module: other modules that
 * keep tables in the same file must not use user_version, only `CREATE TABLE IF NOT EXISTS` or their own
 * bookkeeping). Each migration runs in its own immediate transaction, so a crash leaves the previous
 * version intact and a second process waits rather than migrating twice. Version numbers never change
 * meaning: a new store walks every step below in order.
 * - v1 (SQL): the tables, in their current shape: the secrets as one envelope per row (`secrets_enc`,
 *   row-crypto.ts) plus `*_bidx` blind indexes for lookup by value.
 * - v2 (SQL): nothing for a store this build creates. It once converted a per-field ciphertext format that
 *   was never released; a v1 file in that shape is reshaped if empty and refused if it holds rows.
 * - v3 (SQL, after unlocking): merges one user's rows stored under two user-name forms.
 * - v4 (after unlocking, with the data key): adds the listing columns (masked previews and the listing
 *   MAC: docs/storage.md "Listing without secrets") and fills them for every readable row, in the same
 *   transaction, so a list never meets a store half migrated.
 * - v5 (SQL, after unlocking): listing seals, one MAC per group of rows, and triggers that dropped a seal
 *   when a row of its group changed. Replaced by v6, which drops them.
 * - v6 (SQL, after unlocking): the row snapshots table and the triggers that drop a snapshot when a row
 *   of its group changes (row-snapshots.ts). Empty at first: the next whole-store read makes them.
 */
const SQL_MIGRATIONS: readonly string[] = [
  // v1. AUTOINCREMENT so a deleted id is never handed out again (plain rowid reuses the max after a delete).
  // secrets_enc comes last and may be NULL because the v2 step of old built it with ALTER TABLE (which
  // cannot add NOT NULL): both routes give the same table. The store treats a NULL envelope as unreadable.
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
    refresh_token_bidx BLOB,
    access_token_bidx BLOB,
    grant_token_bidx BLOB,
    secrets_enc BLOB
  );

  CREATE INDEX tokens_identity ON tokens (user_name, client_id, data_center, environment);
  CREATE INDEX tokens_refresh_token_bidx ON tokens (refresh_token_bidx);
  CREATE INDEX tokens_access_token_bidx ON tokens (access_token_bidx);
  CREATE INDEX tokens_grant_token_bidx ON tokens (grant_token_bidx);
  `,
];

/** v2: a no-op for every store this build writes (see the module comment and `reshapeUnreleasedV1`). */
const RESHAPE_SCHEMA_VERSION = 2;
/** The per-field ciphertext columns of the unreleased v1 shape. */
const UNRELEASED_COLUMNS = ['client_secret_enc', 'refresh_token_enc', 'access_token_enc', 'grant_token_enc'];

/**
 * v3 (SQL, run after unlocking): one row per person under the user-name rule shared with the SDK
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
/** v4: the listing columns. A row that cannot be opened keeps them NULL, and is listed as unreadable. */
const LISTING_COLUMNS_VERSION = 4;
const LISTING_COLUMNS = ['access_token_preview TEXT', 'refresh_token_preview TEXT', 'list_mac BLOB'];
/** v5: listing seals, as v5 made them (v6 drops them again). */
const LISTING_SEALS_VERSION = 5;
const LISTING_SEALS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS listing_seals (seal_group INTEGER PRIMARY KEY, seal BLOB NOT NULL);
  CREATE TRIGGER IF NOT EXISTS listing_seals_on_insert AFTER INSERT ON tokens
  BEGIN DELETE FROM listing_seals WHERE seal_group = NEW.id / 256; END;
  CREATE TRIGGER IF NOT EXISTS listing_seals_on_update AFTER UPDATE ON tokens
  BEGIN DELETE FROM listing_seals WHERE seal_group IN (OLD.id / 256, NEW.id / 256); END;
  CREATE TRIGGER IF NOT EXISTS listing_seals_on_delete AFTER DELETE ON tokens
  BEGIN DELETE FROM listing_seals WHERE seal_group = OLD.id / 256; END;
`;
/** v6: row snapshots (row-snapshots.ts), in place of the listing seals. */
const ROW_SNAPSHOTS_VERSION = 6;
const SCHEMA_VERSION = ROW_SNAPSHOTS_VERSION;

/** The steps before unlocking (to v2). Throws for a database newer than this build. */
export function migrate(db: Database.Database): void {
  // Checked first without the write lock: opening a current database then writes nothing, so it opens
  // while another program holds the lock.
  if (checkedUserVersion(db) >= RESHAPE_SCHEMA_VERSION) return;
  const step = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated while we waited.
    const current = checkedUserVersion(db);
    if (current >= RESHAPE_SCHEMA_VERSION) return false;
    if (current < SQL_MIGRATIONS.length) db.exec(SQL_MIGRATIONS[current]!);
    else reshapeUnreleasedV1(db);
    // user_version lives in the file header and is written in the same transaction as the DDL.
    db.pragma(`user_version = ${current + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one migration per transaction
  }
}

/**
 * v1 -> v2. A store this build created at v1 already has its final shape. A v1 file with the per-field
 * columns came from a development build (that format was never released) or from a first open that
 * stopped before its key existed: empty, it takes the current shape; with rows, it is refused, since
 * converting them needs code for a format no user has.
 */
function reshapeUnreleasedV1(db: Database.Database): void {
  const columns = tokenColumns(db);
  if (!UNRELEASED_COLUMNS.some((c) => columns.has(c))) return;
  if (db.prepare('SELECT 1 FROM tokens LIMIT 1').get() !== undefined) {
    throw new TokenStoreError(
      'STORAGE',
      'The token database was written by a development build of TokenDesk in a format this version does not read. Remove it or open it with that build.',
    );
  }
  db.exec('ALTER TABLE tokens ADD COLUMN secrets_enc BLOB');
  for (const column of UNRELEASED_COLUMNS) db.exec(`ALTER TABLE tokens DROP COLUMN ${column}`);
}

/**
 * The steps after unlocking, each in its own transaction, kept after the unlock so a wrong passphrase
 * changes nothing in the file: v2 -> v3 merges user-name forms (plain SQL); v3 -> v4 adds the listing
 * columns and `fillListing` fills them (it needs the data key), in the same transaction.
 */
export function migrateAfterUnlock(db: Database.Database, fillListing: () => number): void {
  // A current database needs nothing: no write lock taken (see `migrate`).
  if (checkedUserVersion(db) >= SCHEMA_VERSION) return;
  db.transaction(() => {
    if (checkedUserVersion(db) !== MERGE_USER_NAME_FORMS_VERSION - 1) return;
    const merged = db.prepare(MERGE_USER_NAME_FORMS).run().changes;
    db.pragma(`user_version = ${MERGE_USER_NAME_FORMS_VERSION}`);
    if (merged > 0) log.info('Merged token rows of one user stored under two user-name forms', { merged });
  }).immediate();
  db.transaction(() => {
    if (checkedUserVersion(db) !== LISTING_COLUMNS_VERSION - 1) return;
    const present = tokenColumns(db);
    for (const column of LISTING_COLUMNS) {
      // Present already only in a file whose user_version was set back by hand (tests do): add what lacks.
      if (!present.has(column.split(' ')[0]!)) db.exec(`ALTER TABLE tokens ADD COLUMN ${column}`);
    }
    const filled = fillListing();
    db.pragma(`user_version = ${LISTING_COLUMNS_VERSION}`);
    if (filled > 0) log.info('Listing columns added and filled', { filled });
  }).immediate();
  db.transaction(() => {
    if (checkedUserVersion(db) !== LISTING_SEALS_VERSION - 1) return;
    db.exec(LISTING_SEALS_SCHEMA);
    db.pragma(`user_version = ${LISTING_SEALS_VERSION}`);
  }).immediate();
  db.transaction(() => {
    if (checkedUserVersion(db) !== ROW_SNAPSHOTS_VERSION - 1) return;
    db.exec(ROW_SNAPSHOTS_SCHEMA);
    db.pragma(`user_version = ${ROW_SNAPSHOTS_VERSION}`);
  }).immediate();
}

function tokenColumns(db: Database.Database): Set<string> {
  return new Set(
    db
      .prepare<[], { name: string }>('PRAGMA table_info(tokens)')
      .all()
      .map((c) => c.name),
  );
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
