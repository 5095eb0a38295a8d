import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import {
  DATA_CENTER_IDS,
  type DataCenterId,
  ENVIRONMENTS,
  type ZohoEnvironment,
} from '../../shared/datacenters';
import { DatabaseBusyError, isBusyError } from '../store/database-busy';
import type { RowBinding } from '../store/row-crypto';
import type { SqliteTokenStore } from '../store/sqlite-token-store';

/**
 * A refresh token TokenDesk no longer keeps in a token row (it was replaced by a new sign-in, or the
 * user deleted a row whose revoke failed) and that may still work at Zoho. It is kept, sealed like a
 * token row, until Zoho confirms it dead (docs/failure-outcomes.md).
 */
export interface PendingRevokeRecord {
  readonly id: string;
  /** The token row it came from, for the audit log (the row may be gone). */
  readonly tokenId: string | null;
  readonly userName: string | null;
  readonly clientId: string | null;
  readonly dataCenter: DataCenterId | null;
  readonly environment: ZohoEnvironment | null;
  /** Where the token was issued (Zoho or the demo simulator): the revoke goes there. */
  readonly apiDomain: string | null;
  /** Why it is waiting, in plain words ("replaced by a new sign-in"). */
  readonly reason: string;
  readonly createdAt: number;
  readonly attempts: number;
  readonly lastAttemptAt: number | null;
  readonly nextAttemptAt: number | null;
  /** What Zoho (or the network) answered the last attempt, in plain words. */
  readonly lastError: string | null;
  /** null only when the sealed secret cannot be opened (tampered, or sealed under another key). */
  readonly refreshToken: string | null;
  readonly clientSecret: string | null;
}

export type AttemptFields = Pick<
  PendingRevokeRecord,
  'attempts' | 'lastAttemptAt' | 'nextAttemptAt' | 'lastError'
>;

/** Where pending revokes are kept; every write throws when it cannot be made. */
export interface PendingRevokeStore {
  add(record: Omit<PendingRevokeRecord, 'id'>): string;
  update(id: string, fields: AttemptFields): void;
  remove(id: string): void;
  list(): PendingRevokeRecord[];
}

export class MemoryPendingRevokeStore implements PendingRevokeStore {
  private readonly records = new Map<string, PendingRevokeRecord>();

  add(record: Omit<PendingRevokeRecord, 'id'>): string {
    const id = randomUUID();
    this.records.set(id, { ...record, id });
    return id;
  }

  update(id: string, fields: AttemptFields): void {
    const record = this.records.get(id);
    if (record) this.records.set(id, { ...record, ...fields });
  }

  remove(id: string): void {
    this.records.delete(id);
  }

  list(): PendingRevokeRecord[] {
    return [...this.records.values()];
  }
}

// Its own table beside the tokens (created like audit_log and token_notes: no schema version of its
// own, see sqlite-schema.ts). The secrets column is one envelope from the token store's row crypto.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS pending_revokes (
  id TEXT PRIMARY KEY NOT NULL,
  token_id TEXT,
  user_name TEXT,
  client_id TEXT,
  data_center TEXT,
  environment TEXT,
  api_domain TEXT,
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_attempt_at INTEGER,
  next_attempt_at INTEGER,
  last_error TEXT,
  secrets_enc BLOB
);
`;

interface Row {
  id: string;
  token_id: string | null;
  user_name: string | null;
  client_id: string | null;
  data_center: string | null;
  environment: string | null;
  api_domain: string | null;
  reason: string;
  created_at: number;
  attempts: number;
  last_attempt_at: number | null;
  next_attempt_at: number | null;
  last_error: string | null;
  secrets_enc: Buffer | null;
}

/**
 * The envelope's binding: a `pending-revoke/` id (never a token row id) and the columns that say whose
 * token it is and where it is sent, so a record relabelled as another user or pointed at another API
 * domain no longer opens.
 */
function bindingOf(
  row: Pick<Row, 'id' | 'user_name' | 'client_id' | 'data_center' | 'environment' | 'api_domain'>,
): RowBinding {
  return {
    id: `pending-revoke/${row.id}`,
    userName: row.user_name,
    clientId: row.client_id,
    dataCenter: row.data_center,
    environment: row.environment,
    expiryTime: null,
    redirectUrl: null,
    apiDomain: row.api_domain,
  };
}

function oneOf<T extends string>(values: readonly T[], value: string | null): T | null {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : null;
}

/** Pending revokes in the token store's SQLite file, sealed and re-keyed with the token rows. */
export class SqlitePendingRevokeStore implements PendingRevokeStore {
  private readonly db: BetterSqlite3.Database;

  constructor(private readonly store: SqliteTokenStore) {
    this.db = store.database;
    try {
      this.db.exec(SCHEMA);
    } catch (error) {
      // The table is new: creating it needs the write lock, which another program may hold right now.
      if (isBusyError(error)) throw new DatabaseBusyError(0, { cause: error });
      throw error;
    }
    store.onRekey((move) => {
      const rows = this.db.prepare('SELECT * FROM pending_revokes').all() as Row[];
      const write = this.db.prepare('UPDATE pending_revokes SET secrets_enc = ? WHERE id = ?');
      for (const row of rows) {
        try {
          write.run(move(bindingOf(row), row.secrets_enc), row.id);
        } catch {
          // Already unreadable under the old key: it stays as it is, and keeps being listed as such.
        }
      }
    });
  }

  add(record: Omit<PendingRevokeRecord, 'id'>): string {
    const id = randomUUID();
    const columns = {
      id,
      user_name: record.userName,
      client_id: record.clientId,
      data_center: record.dataCenter,
      environment: record.environment,
      api_domain: record.apiDomain,
    };
    const sealed = this.store.sealAside(bindingOf(columns), {
      clientSecret: record.clientSecret,
      refreshToken: record.refreshToken,
      accessToken: null,
      grantToken: null,
    });
    this.db
      .prepare(
        `INSERT INTO pending_revokes (id, token_id, user_name, client_id, data_center, environment, api_domain,
          reason, created_at, attempts, last_attempt_at, next_attempt_at, last_error, secrets_enc)
         VALUES (@id, @token_id, @user_name, @client_id, @data_center, @environment, @api_domain,
          @reason, @created_at, @attempts, @last_attempt_at, @next_attempt_at, @last_error, @secrets_enc)`,
      )
      .run({
        ...columns,
        token_id: record.tokenId,
        reason: record.reason,
        created_at: record.createdAt,
        attempts: record.attempts,
        last_attempt_at: record.lastAttemptAt,
        next_attempt_at: record.nextAttemptAt,
        last_error: record.lastError,
        secrets_enc: sealed,
      });
    return id;
  }

  update(id: string, fields: AttemptFields): void {
    this.db
      .prepare(
        'UPDATE pending_revokes SET attempts = ?, last_attempt_at = ?, next_attempt_at = ?, last_error = ? WHERE id = ?',
      )
      .run(fields.attempts, fields.lastAttemptAt, fields.nextAttemptAt, fields.lastError, id);
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM pending_revokes WHERE id = ?').run(id);
  }

  list(): PendingRevokeRecord[] {
    const rows = this.db.prepare('SELECT * FROM pending_revokes ORDER BY created_at, id').all() as Row[];
    return rows.map((row) => {
      let secrets: { refreshToken: string | null; clientSecret: string | null } = {
        refreshToken: null,
        clientSecret: null,
      };
      try {
        secrets = this.store.openAside(bindingOf(row), row.secrets_enc);
      } catch {
        // Listed without its secret: the user sees it cannot be revoked from here.
      }
      return {
        id: row.id,
        tokenId: row.token_id,
        userName: row.user_name,
        clientId: row.client_id,
        dataCenter: oneOf(DATA_CENTER_IDS, row.data_center),
        environment: oneOf(ENVIRONMENTS, row.environment),
        apiDomain: row.api_domain,
        reason: row.reason,
        createdAt: row.created_at,
        attempts: row.attempts,
        lastAttemptAt: row.last_attempt_at,
        nextAttemptAt: row.next_attempt_at,
        lastError: row.last_error,
        refreshToken: secrets.refreshToken,
        clientSecret: secrets.clientSecret,
      };
    });
  }
}
