import { basename } from 'node:path';
import Database from 'better-sqlite3';
import { TokenStoreError } from '../store/token-store';
import { checkTableName, missingColumns, type SqlDialect, SqlSdkBackend, sdkTableDdl } from './sql-backend';

const sqliteDialect: SqlDialect = {
  quote: (identifier) => `"${identifier}"`,
  nullSafeEquals: (column) => `${column} IS ?`,
  idAsInteger: 'CAST(id AS INTEGER)',
  isDuplicateKey: (error) =>
    (error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE',
  // A local file read in-process: reading every candidate costs little, and keeps the file source's order.
  matchOrder: 'integer',
};

export interface SqliteTableOptions {
  readonly path: string;
  /** Default `oauthtoken`, as the SDK and the Kaizen sample name it. */
  readonly table?: string;
  /** Create the file and the SDK's table when missing (an export destination). */
  readonly create?: boolean;
}

/**
 * An SQLite file holding the SDK's `oauthtoken` table (the Kaizen sample's `zohooauth.db`), plaintext as the
 * integration keeps it. TokenDesk leaves the file's journal mode alone and waits briefly for the
 * integration's write lock rather than failing at once.
 */
export function openSqliteTable(options: SqliteTableOptions): SqlSdkBackend {
  const table = checkTableName(options.table ?? 'oauthtoken');
  let db: Database.Database;
  try {
    db = new Database(options.path, { fileMustExist: !options.create });
  } catch (error) {
    throw new TokenStoreError(
      'STORAGE',
      `The SQLite file ${basename(options.path)} was not found or cannot be opened.`,
      { hint: 'Check the path.', cause: error },
    );
  }
  try {
    db.pragma('busy_timeout = 2000');
    let columns = (db.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name);
    if (columns.length === 0 && options.create) {
      db.exec(sdkTableDdl(`"${table}"`));
      columns = (db.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name);
    }
    if (columns.length === 0) {
      throw new TokenStoreError('STORAGE', `The SQLite file has no table named ${table}.`, {
        hint: 'Check the table name (the SDK uses oauthtoken).',
      });
    }
    const missing = missingColumns(columns);
    if (missing) {
      throw new TokenStoreError(
        'STORAGE',
        `The table ${table} is not in the SDK's layout: it lacks ${missing}.`,
      );
    }
  } catch (error) {
    db.close();
    if (error instanceof TokenStoreError) throw error;
    throw new TokenStoreError('STORAGE', `${basename(options.path)} is not an SQLite database.`, {
      cause: error,
    });
  }
  // The store issues a handful of distinct statements: prepare each once.
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const runner = {
    async all(sql: string, params: readonly unknown[]) {
      return prepared(sql).all(...params) as Record<string, unknown>[];
    },
    async run(sql: string, params: readonly unknown[]) {
      return prepared(sql).run(...params).changes;
    },
    async close() {
      if (db.open) db.close();
    },
  };
  return new SqlSdkBackend(runner, sqliteDialect, table, 0);
}
