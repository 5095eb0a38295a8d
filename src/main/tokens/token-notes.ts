import type BetterSqlite3 from 'better-sqlite3';
import { type TestCallResult, TestCallResultSchema } from '../../shared/ipc/views';
import { busyStateOf, type DeferredWrites } from '../store/deferred-writes';

/**
 * What the console remembers about a token beyond the SDK's fields: the last test call and whether Zoho
 * said the refresh token is dead (`invalid_code`), which makes the token "reauth". Nothing here is
 * secret. Read in one go for `list`, so listing 10,000 tokens costs one query, not 10,000.
 */
export interface TokenNote {
  readonly lastTest: TestCallResult | null;
  readonly reauthRequired: boolean;
}

export interface TokenNotes {
  all(): ReadonlyMap<string, TokenNote>;
  get(id: string): TokenNote | null;
  setLastTest(id: string, result: TestCallResult): void;
  setReauthRequired(id: string, required: boolean): void;
  delete(id: string): void;
}

/** A token nothing has been noted about yet. */
export const EMPTY_NOTE: TokenNote = { lastTest: null, reauthRequired: false };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS token_notes (
  token_id TEXT PRIMARY KEY,
  last_test TEXT,
  reauth_required INTEGER NOT NULL DEFAULT 0
);
`;

interface NoteRow {
  token_id: string;
  last_test: string | null;
  reauth_required: number;
}

function parseTest(json: string | null): TestCallResult | null {
  if (json === null) return null;
  try {
    const parsed = TestCallResultSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A note change kept until a database held by another program is free (deferred-writes.ts). */
interface WaitingChange {
  readonly id: string;
  readonly apply: (note: TokenNote | null) => TokenNote | null;
}

/**
 * Notes as a table in the store's SQLite file, so a test result survives a restart. A change made while
 * another program holds the database waits (in order) and is written when the lock is free; reads show
 * it meanwhile, so the console never shows an older note than the one it was told about.
 */
export class SqliteTokenNotes implements TokenNotes {
  private readonly deferred: DeferredWrites;
  private readonly waiting: WaitingChange[] = [];

  private readonly selectAll: BetterSqlite3.Statement<[], NoteRow>;
  private readonly selectOne: BetterSqlite3.Statement<[string], NoteRow>;
  private readonly upsertTest: BetterSqlite3.Statement<[string, string]>;
  private readonly upsertReauth: BetterSqlite3.Statement<[string, number]>;
  private readonly remove: BetterSqlite3.Statement<[string]>;

  constructor(db: BetterSqlite3.Database) {
    db.exec(SCHEMA);
    this.deferred = busyStateOf(db).deferred;
    this.selectAll = db.prepare('SELECT token_id, last_test, reauth_required FROM token_notes');
    this.selectOne = db.prepare(
      'SELECT token_id, last_test, reauth_required FROM token_notes WHERE token_id = ?',
    );
    this.upsertTest = db.prepare(
      'INSERT INTO token_notes (token_id, last_test) VALUES (?, ?) ON CONFLICT (token_id) DO UPDATE SET last_test = excluded.last_test',
    );
    this.upsertReauth = db.prepare(
      'INSERT INTO token_notes (token_id, reauth_required) VALUES (?, ?) ON CONFLICT (token_id) DO UPDATE SET reauth_required = excluded.reauth_required',
    );
    this.remove = db.prepare('DELETE FROM token_notes WHERE token_id = ?');
  }

  all(): ReadonlyMap<string, TokenNote> {
    const notes = new Map(this.selectAll.all().map((r) => [r.token_id, toNote(r)]));
    for (const change of this.waiting) {
      const next = change.apply(notes.get(change.id) ?? null);
      if (next === null) notes.delete(change.id);
      else notes.set(change.id, next);
    }
    return notes;
  }

  get(id: string): TokenNote | null {
    const row = this.selectOne.get(id);
    let note = row ? toNote(row) : null;
    for (const change of this.waiting) if (change.id === id) note = change.apply(note);
    return note;
  }

  setLastTest(id: string, result: TestCallResult): void {
    this.change({ id, apply: (note) => ({ ...(note ?? EMPTY_NOTE), lastTest: result }) }, () =>
      this.upsertTest.run(id, JSON.stringify(result)),
    );
  }

  setReauthRequired(id: string, required: boolean): void {
    this.change({ id, apply: (note) => ({ ...(note ?? EMPTY_NOTE), reauthRequired: required }) }, () =>
      this.upsertReauth.run(id, required ? 1 : 0),
    );
  }

  delete(id: string): void {
    this.change({ id, apply: () => null }, () => this.remove.run(id));
  }

  private change(change: WaitingChange, write: () => void): void {
    const outcome = this.deferred.run(write, 'token note', () => {
      const at = this.waiting.indexOf(change);
      if (at >= 0) this.waiting.splice(at, 1);
    });
    if (outcome === 'deferred') this.waiting.push(change);
  }
}

function toNote(row: NoteRow): TokenNote {
  return { lastTest: parseTest(row.last_test), reauthRequired: row.reauth_required === 1 };
}
