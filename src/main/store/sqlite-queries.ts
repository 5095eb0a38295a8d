/**
 * Every SQL text the SQLite token store runs, in one place so tests can check each lookup's query plan
 * (`EXPLAIN QUERY PLAN`) against exactly what the store prepares. All values are bound parameters.
 */

const READ_COLUMNS = `id, user_name, client_id, data_center, environment, expiry_time, redirect_url, api_domain,
  scopes, created_at, updated_at, last_refreshed_at, last_error, secrets_enc`;

const SECRET_ASSIGNMENTS = `secrets_enc = @secrets_enc, refresh_token_bidx = @refresh_token_bidx,
  access_token_bidx = @access_token_bidx, grant_token_bidx = @grant_token_bidx,
  access_token_preview = @access_token_preview, refresh_token_preview = @refresh_token_preview,
  list_mac = @list_mac`;

export const SELECT_BY_ID = `SELECT ${READ_COLUMNS} FROM tokens WHERE id = ?`;

/*
 * Lookups by user or by token value return only the lowest matching id (min over the index, which holds
 * the rowid: a covering search, no sort, no row read); the store then takes the row from its decrypted
 * cache, or reads it by id. `ORDER BY id LIMIT 1` over the identity index sorted every matching row, with
 * all its columns, in a temp B-tree, and read the envelope even when the row was cached.
 */

/**
 * Bit 1: client id given, 2: data center, 4: environment (identity parts the token leaves null match any).
 * Bit 8: the SDK's `<email>:<zgid>` form of a bare email (sdk-user-name.ts): a range on the identity
 * index, then digits only after the colon; parameters email+':0', email+';', email instead of the name.
 */
export function selectIdByUserSql(mask: number): string {
  const where =
    mask & 8
      ? ["user_name >= ? AND user_name < ? AND substr(user_name, length(?) + 2) NOT GLOB '*[^0-9]*'"]
      : ['user_name = ?'];
  if (mask & 1) where.push('client_id = ?');
  if (mask & 2) where.push('data_center = ?');
  if (mask & 4) where.push('environment = ?');
  return `SELECT min(id) FROM tokens WHERE ${where.join(' AND ')}`;
}

export const BLIND_INDEX_COLUMNS = {
  accessToken: 'access_token_bidx',
  grantToken: 'grant_token_bidx',
  refreshToken: 'refresh_token_bidx',
} as const;

export function selectIdByBlindIndexSql(
  column: (typeof BLIND_INDEX_COLUMNS)[keyof typeof BLIND_INDEX_COLUMNS],
) {
  return `SELECT min(id) FROM tokens WHERE ${column} = ?`;
}

export const SELECT_ALL = `SELECT ${READ_COLUMNS} FROM tokens ORDER BY id`;
/** The columns a list shows (and a listing MAC covers), in the order of the MAC's text (row-codec.ts). */
const LISTED_COLUMNS = `id, user_name, client_id, data_center, environment, expiry_time,
  redirect_url, api_domain, scopes, created_at, updated_at, last_refreshed_at, last_error,
  access_token_preview, refresh_token_preview`;
/**
 * What a list reads to check rows one by one (docs/storage.md "Listing without secrets"): the listed
 * columns, the envelope (bound by the listing MAC, never opened) and the listing MAC.
 */
export const SELECT_LISTING = `SELECT ${LISTED_COLUMNS}, secrets_enc, list_mac FROM tokens ORDER BY id`;
/** SELECT_LISTING for the rows of one row-snapshot group (ids from ?, below ?). */
export const SELECT_LISTING_RANGE = `SELECT ${LISTED_COLUMNS}, secrets_enc, list_mac FROM tokens
  WHERE id >= ? AND id < ? ORDER BY id`;
/**
 * SELECT_ALL for the rows of one row-snapshot group (ids from ?, below ?), with what a snapshot of them
 * needs beside: the masked previews and the listing MAC (row-snapshots.ts).
 */
export const SELECT_ALL_RANGE_FOR_SNAPSHOT = `SELECT ${READ_COLUMNS}, access_token_preview,
  refresh_token_preview, list_mac FROM tokens WHERE id >= ? AND id < ? ORDER BY id`;
/** Fills the listing columns of one row (the migration that adds them). */
export const UPDATE_LISTING = `UPDATE tokens SET access_token_preview = @access_token_preview,
  refresh_token_preview = @refresh_token_preview, list_mac = @list_mac WHERE id = @id`;
/** Every id, in the order of SELECT_ALL: what a list needs when the decrypted-row cache has the rows. */
export const SELECT_ALL_IDS = 'SELECT id FROM tokens ORDER BY id';
/** Changes committed by other connections since this one last asked (SQLite's `data_version`). */
export const DATA_VERSION = 'PRAGMA data_version';

/** Name of the SQL function the cache triggers call; registered per connection by the store. */
export const ROW_CHANGED_FUNCTION = 'tokendesk_token_row_changed';

/**
 * TEMP triggers: they live in this connection only (never written to the file) and fire for every
 * INSERT, UPDATE and DELETE of a token row made through it, whoever runs the statement (the store, the
 * audit module, a test tampering with an envelope), so the store drops that row's cached plaintext.
 */
export const CACHE_TRIGGERS = `
  CREATE TEMP TRIGGER IF NOT EXISTS tokendesk_cache_on_insert AFTER INSERT ON main.tokens
  BEGIN SELECT ${ROW_CHANGED_FUNCTION}(NEW.id); END;
  CREATE TEMP TRIGGER IF NOT EXISTS tokendesk_cache_on_update AFTER UPDATE ON main.tokens
  BEGIN SELECT ${ROW_CHANGED_FUNCTION}(OLD.id), ${ROW_CHANGED_FUNCTION}(NEW.id); END;
  CREATE TEMP TRIGGER IF NOT EXISTS tokendesk_cache_on_delete AFTER DELETE ON main.tokens
  BEGIN SELECT ${ROW_CHANGED_FUNCTION}(OLD.id); END;
`;
export const SELECT_LAST_ID = `SELECT seq FROM sqlite_sequence WHERE name = 'tokens'`;

export const INSERT_ROW = `INSERT INTO tokens (id, user_name, client_id, data_center, environment,
  expiry_time, redirect_url, api_domain, scopes, created_at, updated_at, last_refreshed_at, last_error,
  secrets_enc, refresh_token_bidx, access_token_bidx, grant_token_bidx, access_token_preview,
  refresh_token_preview, list_mac)
  VALUES (@id, @user_name, @client_id, @data_center, @environment, @expiry_time, @redirect_url,
  @api_domain, @scopes, @created_at, @updated_at, @last_refreshed_at, @last_error,
  @secrets_enc, @refresh_token_bidx, @access_token_bidx, @grant_token_bidx, @access_token_preview,
  @refresh_token_preview, @list_mac)`;

export const UPDATE_ROW = `UPDATE tokens SET user_name = @user_name, client_id = @client_id,
  data_center = @data_center, environment = @environment, expiry_time = @expiry_time,
  redirect_url = @redirect_url, api_domain = @api_domain, scopes = @scopes, created_at = @created_at,
  updated_at = @updated_at, last_refreshed_at = @last_refreshed_at, last_error = @last_error,
  ${SECRET_ASSIGNMENTS} WHERE id = @id`;

export const UPDATE_SECRETS = `UPDATE tokens SET ${SECRET_ASSIGNMENTS} WHERE id = @id`;
export const DELETE_ROW = 'DELETE FROM tokens WHERE id = ?';
export const DELETE_ALL = 'DELETE FROM tokens';
export const SELECT_META = 'SELECT value FROM meta WHERE key = ?';
export const INSERT_META = 'INSERT INTO meta (key, value) VALUES (?, ?)';
export const DELETE_META = 'DELETE FROM meta WHERE key = ?';
export const UPSERT_META =
  'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';
