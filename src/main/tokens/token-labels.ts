import type BetterSqlite3 from 'better-sqlite3';
import { type LabelField, labelTextProblem } from '../../shared/ipc/labels';
import { AppError } from '../errors';
import { createLogger } from '../log';
import { type BusyMonitor, retryWhileBusy } from '../store/database-busy';
import { busyStateOf, type DeferredWrites } from '../store/deferred-writes';
import { storedText } from '../store/stored-text';

const log = createLogger('tokens.labels');

/**
 * Names a person gives to what the console lists (docs/labels.md), kept beside the tokens in the local
 * store's SQLite file. Nothing here is secret, so it is plain text, not sealed.
 *
 * - A client name belongs to an OAuth client, whatever token or source uses it: keyed by the client id as
 *   stored (two integrations with look-alike ids get told apart by name).
 * - A label and a note belong to one token of one source: keyed by source id and token id, since the ids
 *   of different sources overlap ("1" in the local store and "1" in an SDK file are two tokens).
 * - The organisation a test call reached is kept per token too, so it stays searchable after a later
 *   test fails or the app restarts (an external source's test results live only for the session).
 *
 * The tables are created here with `IF NOT EXISTS` (the store's own migrations own `user_version`; see
 * sqlite-schema.ts), so this module needs no step in them and an older TokenDesk ignores the tables.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS token_labels (
  source_id TEXT NOT NULL,
  token_id TEXT NOT NULL,
  label TEXT,
  note TEXT,
  org_name TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (source_id, token_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS client_names (
  client_id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** What the console shows beside a token's own fields. */
export interface TokenAnnotation {
  readonly clientName: string | null;
  readonly label: string | null;
  readonly note: string | null;
  readonly orgName: string | null;
}

export interface TokenLabel {
  readonly label: string | null;
  readonly note: string | null;
}

export class LabelError extends AppError {
  constructor(message: string) {
    super('INVALID_LABEL', message, { hint: 'Shorten it or remove the character, then save again.' });
    this.name = 'LabelError';
  }
}

/**
 * The text as it will be stored: normalised like every stored text (stored-text.ts), trimmed, and
 * checked against the field's rule; blank means "none" (null). Throws LabelError with the rule's words.
 */
export function labelText(field: LabelField, raw: string): string | null {
  const value = storedText(raw).trim();
  if (value === '') return null;
  const problem = labelTextProblem(field, value);
  if (problem !== null) throw new LabelError(problem);
  return value;
}

interface LabelRow {
  token_id: string;
  label: string | null;
  note: string | null;
  org_name: string | null;
}

interface ClientRow {
  client_id: string;
  name: string;
}

export class SqliteTokenLabels {
  private readonly deferred: DeferredWrites;
  private readonly monitor: BusyMonitor;
  private readonly writeLabel: (
    sourceId: string,
    tokenId: string,
    label: string | null,
    note: string | null,
  ) => void;
  private readonly selectSource: BetterSqlite3.Statement<[string], LabelRow>;
  private readonly selectOne: BetterSqlite3.Statement<[string, string], LabelRow>;
  private readonly selectClients: BetterSqlite3.Statement<[], ClientRow>;
  private readonly selectClient: BetterSqlite3.Statement<[string], ClientRow>;
  private readonly upsertLabel: BetterSqlite3.Statement<
    [string, string, string | null, string | null, number]
  >;
  private readonly upsertOrg: BetterSqlite3.Statement<[string, string, string, number]>;
  private readonly removeLabel: BetterSqlite3.Statement<[string, string]>;
  private readonly removeSource: BetterSqlite3.Statement<[string]>;
  private readonly pruneEmpty: BetterSqlite3.Statement<[string, string]>;
  private readonly upsertClient: BetterSqlite3.Statement<[string, string, number]>;
  private readonly removeClient: BetterSqlite3.Statement<[string]>;

  private constructor(
    db: BetterSqlite3.Database,
    private readonly now: () => number,
  ) {
    const busy = busyStateOf(db);
    this.deferred = busy.deferred;
    this.monitor = busy.monitor;
    this.selectSource = db.prepare(
      'SELECT token_id, label, note, org_name FROM token_labels WHERE source_id = ?',
    );
    this.selectOne = db.prepare(
      'SELECT token_id, label, note, org_name FROM token_labels WHERE source_id = ? AND token_id = ?',
    );
    this.selectClients = db.prepare('SELECT client_id, name FROM client_names');
    this.selectClient = db.prepare('SELECT client_id, name FROM client_names WHERE client_id = ?');
    this.upsertLabel = db.prepare(
      `INSERT INTO token_labels (source_id, token_id, label, note, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (source_id, token_id) DO UPDATE SET
         label = excluded.label, note = excluded.note, updated_at = excluded.updated_at`,
    );
    this.upsertOrg = db.prepare(
      `INSERT INTO token_labels (source_id, token_id, org_name, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (source_id, token_id) DO UPDATE SET
         org_name = excluded.org_name, updated_at = excluded.updated_at`,
    );
    this.removeLabel = db.prepare('DELETE FROM token_labels WHERE source_id = ? AND token_id = ?');
    this.removeSource = db.prepare('DELETE FROM token_labels WHERE source_id = ?');
    this.pruneEmpty = db.prepare(
      `DELETE FROM token_labels WHERE source_id = ? AND token_id = ?
       AND label IS NULL AND note IS NULL AND org_name IS NULL`,
    );
    this.upsertClient = db.prepare(
      `INSERT INTO client_names (client_id, name, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (client_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
    );
    this.removeClient = db.prepare('DELETE FROM client_names WHERE client_id = ?');
    // One transaction: a label cleared to nothing leaves no empty row behind.
    this.writeLabel = db.transaction((sourceId, tokenId, label, note) => {
      this.upsertLabel.run(sourceId, tokenId, label, note, this.now());
      this.pruneEmpty.run(sourceId, tokenId);
    });
  }

  /**
   * Creates the tables if they are missing. A database held by another program is waited for
   * asynchronously and within a bound (database-busy.ts), never on the main thread.
   */
  static async open(db: BetterSqlite3.Database, now: () => number = Date.now): Promise<SqliteTokenLabels> {
    const present = db
      .prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('token_labels', 'client_names')",
      )
      .get();
    // Only a file without the tables is written to: opening a current one takes no write lock.
    if (present?.n !== 2) {
      await retryWhileBusy(() => db.exec(SCHEMA), { writes: true, monitor: busyStateOf(db).monitor });
    }
    return new SqliteTokenLabels(db, now);
  }

  /** Every annotation of one source's tokens, and every client name: two queries, whatever the count. */
  annotations(sourceId: string): {
    readonly byToken: ReadonlyMap<string, LabelRow>;
    readonly clientNames: ReadonlyMap<string, string>;
  } {
    return {
      byToken: new Map(this.selectSource.all(sourceId).map((r) => [r.token_id, r])),
      clientNames: new Map(this.selectClients.all().map((r) => [r.client_id, r.name])),
    };
  }

  label(sourceId: string, tokenId: string): TokenLabel & { readonly orgName: string | null } {
    const row = this.selectOne.get(sourceId, tokenId);
    return { label: row?.label ?? null, note: row?.note ?? null, orgName: row?.org_name ?? null };
  }

  clientName(clientId: string): string | null {
    return this.selectClient.get(storedText(clientId.trim()))?.name ?? null;
  }

  /** Stores both texts as given (blank clears one); throws LabelError before anything is written. */
  async setLabel(
    sourceId: string,
    tokenId: string,
    input: { readonly label: string; readonly note: string },
  ): Promise<TokenLabel> {
    const label = labelText('label', input.label);
    const note = labelText('note', input.note);
    await retryWhileBusy(() => this.writeLabel(sourceId, tokenId, label, note), this.writes());
    return { label, note };
  }

  /** Names a client (blank removes the name); returns the name as stored. */
  async setClientName(clientId: string, name: string): Promise<string | null> {
    const key = storedText(clientId.trim());
    const stored = labelText('clientName', name);
    await retryWhileBusy(() => {
      if (stored === null) this.removeClient.run(key);
      else this.upsertClient.run(key, stored, this.now());
    }, this.writes());
    return stored;
  }

  /**
   * Keeps the organisation a test call reached. A side-write after the test: a busy database keeps it
   * for later (deferred-writes.ts), any other failure is logged, never thrown into the test's result.
   */
  recordOrgName(sourceId: string, tokenId: string, orgName: string): void {
    const value = storedText(orgName).trim();
    if (value === '') return;
    this.sideWrite('token organisation', () => this.upsertOrg.run(sourceId, tokenId, value, this.now()));
  }

  /** Forgets a deleted token's label, note and organisation (side-write, like recordOrgName). */
  forget(sourceId: string, tokenId: string): void {
    this.sideWrite('token label removal', () => this.removeLabel.run(sourceId, tokenId));
  }

  /** Forgets every label of a source that was removed from the console (its tokens stay where they are). */
  forgetSource(sourceId: string): void {
    this.sideWrite('source label removal', () => this.removeSource.run(sourceId));
  }

  private writes() {
    return { writes: true, monitor: this.monitor } as const;
  }

  private sideWrite(what: string, write: () => void): void {
    try {
      this.deferred.run(write, what);
    } catch (error) {
      log.warn('a token label side-write failed', { what, errorCode: (error as { code?: unknown }).code });
    }
  }
}

/** A token's view with its annotation; the organisation falls back to the last test's answer. */
export function annotate<V extends { readonly id: string; readonly clientId: string | null }>(
  views: readonly V[],
  found: ReturnType<SqliteTokenLabels['annotations']>,
  lastOrgName: (view: V) => string | null,
): (V & TokenAnnotation)[] {
  return views.map((view) => {
    const row = found.byToken.get(view.id);
    return {
      ...view,
      clientName: view.clientId === null ? null : (found.clientNames.get(view.clientId) ?? null),
      label: row?.label ?? null,
      note: row?.note ?? null,
      orgName: row?.org_name ?? lastOrgName(view),
    };
  });
}
