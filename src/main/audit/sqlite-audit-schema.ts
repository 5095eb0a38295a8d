import type BetterSqlite3 from 'better-sqlite3';

/**
 * The `audit_log` table in the token store's SQLite file. Like `token_notes` and `pending_revokes` it has no
 * schema version of its own: its shape is read from the table itself.
 *
 * Second shape (this one): a `source` column (the token source acted on, null for the store itself) and a
 * third outcome, `partial`. SQLite cannot change a CHECK constraint in place, so a table of the first shape
 * is rebuilt, in one transaction, with every row kept: a row stored as a failure whose detail opens with
 * "Partly done:" (how the first shape said it) becomes `partial`, and a row whose detail opens with a source
 * name in brackets (`[FileStore sdk_tokens.txt] ...`, the first shape's only mark) gets that name as its
 * source. The detail itself is kept as written.
 */
const TABLE = (name: string) => `
CREATE TABLE ${name} (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  token_id TEXT,
  user_name TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('success', 'partial', 'failure')),
  detail TEXT NOT NULL,
  source TEXT
)`;

const INDEXES = `
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
CREATE INDEX IF NOT EXISTS audit_log_action_at ON audit_log (action, at);
CREATE INDEX IF NOT EXISTS audit_log_source_at ON audit_log (source, at);
`;

const FROM_FIRST_SHAPE = `
INSERT INTO audit_log_v2 (id, at, action, token_id, user_name, outcome, detail, source)
SELECT id, at, action, token_id, user_name,
  CASE
    WHEN outcome = 'failure' AND (detail LIKE 'partly done:%' OR detail LIKE 'clear all, partly done:%')
      THEN 'partial'
    ELSE outcome
  END,
  detail,
  CASE
    WHEN substr(detail, 1, 1) = '[' AND instr(detail, '] ') > 2 THEN substr(detail, 2, instr(detail, '] ') - 2)
  END
FROM audit_log ORDER BY id`;

/** Creates the table, or brings one of the first shape to this one; a no-op once it has this shape. */
export function ensureAuditTable(db: BetterSqlite3.Database): void {
  const columns = db.prepare<[], string>("SELECT name FROM pragma_table_info('audit_log')").pluck().all();
  if (columns.length === 0) {
    db.exec(`${TABLE('IF NOT EXISTS audit_log')};${INDEXES}`);
    return;
  }
  if (!columns.includes('source')) {
    db.transaction(() => {
      db.exec(`${TABLE('audit_log_v2')};${FROM_FIRST_SHAPE}`);
      db.exec('DROP TABLE audit_log; ALTER TABLE audit_log_v2 RENAME TO audit_log;');
    })();
  }
  db.exec(INDEXES);
}
