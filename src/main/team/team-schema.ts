import type { Query, TeamConnection } from './team-connection';
import { TeamStoreError } from './team-errors';

/**
 * The team store's tables in PostgreSQL (docs/team-store.md "Schema"), migrated by the `schema_version`
 * row of `team_meta`. Migrations run in one transaction under an advisory lock, so two TokenDesks
 * opening a new store at once migrate it once. Column names of `team_tokens` are those of the local
 * SQLite store's `tokens` table: the row format (one envelope bound to the same columns, row-crypto.ts) is
 * the same.
 */

/** The channel every change is announced on (LISTEN/NOTIFY); the payload names the schema. */
export const CHANGE_CHANNEL = 'tokendesk_team_changes';

const MIGRATIONS: readonly string[] = [
  // v1
  `
  CREATE TABLE team_meta (
    key text PRIMARY KEY,
    value text NOT NULL
  );

  -- One row: the data key version rows are sealed under now. A rotation updates it first, so a save
  -- (which reads it FOR SHARE) waits for the rotation and then seals under the new key.
  CREATE TABLE team_keyring (
    id smallint PRIMARY KEY CHECK (id = 1),
    key_version integer NOT NULL
  );

  CREATE TABLE team_members (
    member_id text PRIMARY KEY,
    display_name text NOT NULL,
    public_key bytea NOT NULL UNIQUE,
    access text NOT NULL CHECK (access IN ('manage', 'read-only')),
    added_by text,
    added_at bigint NOT NULL
  );

  -- The team data key of each version, wrapped for each member's public key (member-key.ts).
  CREATE TABLE team_member_keys (
    member_id text NOT NULL REFERENCES team_members (member_id) ON DELETE CASCADE,
    key_version integer NOT NULL,
    wrapped_key bytea NOT NULL,
    PRIMARY KEY (member_id, key_version)
  );

  -- Ids come from a sequence: never reused after a delete, and known before the row is sealed (the id
  -- is in the envelope's AAD).
  CREATE SEQUENCE team_token_ids;

  CREATE TABLE team_tokens (
    id bigint PRIMARY KEY,
    user_name text,
    client_id text,
    data_center text,
    environment text,
    expiry_time text,
    redirect_url text,
    api_domain text,
    scopes text,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    last_refreshed_at bigint,
    last_error text,
    secrets_enc bytea,
    key_version integer NOT NULL,
    refresh_token_bidx bytea,
    access_token_bidx bytea,
    grant_token_bidx bytea
  );
  CREATE INDEX team_tokens_identity ON team_tokens (user_name, client_id, data_center, environment, id);
  CREATE INDEX team_tokens_refresh_token_bidx ON team_tokens (refresh_token_bidx);
  CREATE INDEX team_tokens_access_token_bidx ON team_tokens (access_token_bidx);
  CREATE INDEX team_tokens_grant_token_bidx ON team_tokens (grant_token_bidx);

  -- Who did what. Append-only for the app role (docs/team-store.md "Database roles" grants it INSERT and
  -- SELECT only); the trigger below refuses UPDATE and DELETE even to the owner, short of dropping it.
  CREATE TABLE team_audit (
    id bigserial PRIMARY KEY,
    at bigint NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
    token_id text,
    user_name text,
    detail text NOT NULL
  );
  CREATE INDEX team_audit_at ON team_audit (at DESC, id DESC);

  CREATE FUNCTION team_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'team_audit is append-only';
  END $$;
  CREATE TRIGGER team_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON team_audit
    FOR EACH STATEMENT EXECUTE FUNCTION team_audit_append_only();

  -- Change events: one notification per changed row, sent when the transaction commits (NOTIFY is
  -- transactional), so listeners never see a change that rolled back.
  CREATE FUNCTION team_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    row_id text;
  BEGIN
    IF TG_OP = 'DELETE' THEN row_id := OLD.id::text; ELSE row_id := NEW.id::text; END IF;
    PERFORM pg_notify('${CHANGE_CHANNEL}', json_build_object(
      'schema', TG_TABLE_SCHEMA, 'table', TG_TABLE_NAME, 'op', TG_OP, 'id', row_id)::text);
    RETURN NULL;
  END $$;
  CREATE TRIGGER team_tokens_notify AFTER INSERT OR UPDATE OR DELETE ON team_tokens
    FOR EACH ROW EXECUTE FUNCTION team_notify_change();
  CREATE TRIGGER team_members_notify AFTER INSERT OR UPDATE OR DELETE ON team_members
    FOR EACH ROW EXECUTE FUNCTION team_notify_change_member();
  `,
  // v2: the audit names the token source acted on in its own column (null: the team store itself), and
  // has a third outcome, `partial` (did some but not all of what was asked). Rows already written stay as
  // they are (the log is append-only); the console reads an old "Partly done:" failure as partial.
  `
  ALTER TABLE team_audit ADD COLUMN source text;
  ALTER TABLE team_audit DROP CONSTRAINT team_audit_outcome_check;
  ALTER TABLE team_audit ADD CONSTRAINT team_audit_outcome_check
    CHECK (outcome IN ('success', 'partial', 'failure'));
  CREATE INDEX team_audit_source_at ON team_audit (source, at DESC);
  `,
];

/** Members have a text id; a separate function keeps the tokens trigger's cast simple. */
const MEMBER_NOTIFY_FUNCTION = `
  CREATE FUNCTION team_notify_change_member() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    row_id text;
  BEGIN
    IF TG_OP = 'DELETE' THEN row_id := OLD.member_id; ELSE row_id := NEW.member_id; END IF;
    PERFORM pg_notify('${CHANGE_CHANNEL}', json_build_object(
      'schema', TG_TABLE_SCHEMA, 'table', TG_TABLE_NAME, 'op', TG_OP, 'id', row_id)::text);
    RETURN NULL;
  END $$;
`;

export const TEAM_SCHEMA_VERSION = MIGRATIONS.length;

/** Serialises migrations of one schema across processes (a transaction-level advisory lock). */
const MIGRATION_LOCK = 'tokendesk/team/migrate';

/** Creates the schema if needed and applies the migrations it lacks. */
export async function migrateTeamSchema(connection: TeamConnection): Promise<void> {
  await connection.transaction(async (q) => {
    await q('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `${MIGRATION_LOCK}/${connection.schema}`,
    ]);
    // Created only when missing: with the documented roles the schema already exists and the role that
    // connects may not create schemas (CREATE SCHEMA IF NOT EXISTS still asks for that right).
    const [schema] = await q('SELECT 1 FROM pg_namespace WHERE nspname = $1', [connection.schema]);
    if (!schema) await q(`CREATE SCHEMA ${connection.schema}`);
    let current = await schemaVersion(q);
    if (current > TEAM_SCHEMA_VERSION) {
      throw new TeamStoreError(
        'NOT_A_TEAM_STORE',
        `The team store has schema version ${current}, newer than this TokenDesk supports (${TEAM_SCHEMA_VERSION}). Update TokenDesk.`,
      );
    }
    while (current < TEAM_SCHEMA_VERSION) {
      if (current === 0) await q(MEMBER_NOTIFY_FUNCTION);
      await q(MIGRATIONS[current]!);
      current += 1;
      await q(
        `INSERT INTO team_meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [String(current)],
      );
    }
  });
}

async function schemaVersion(q: Query): Promise<number> {
  const [exists] = await q<{ present: boolean }>(`SELECT to_regclass('team_meta') IS NOT NULL AS present`);
  if (!exists?.present) return 0;
  const [row] = await q<{ value: string }>(`SELECT value FROM team_meta WHERE key = 'schema_version'`);
  return row ? Number(row.value) : 0;
}
