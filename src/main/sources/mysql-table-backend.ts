import {
  createPool,
  type Pool,
  type PoolOptions,
  type ResultSetHeader,
  type RowDataPacket,
} from 'mysql2/promise';
import { TokenStoreError } from '../store/token-store';
import type { SdkColumn } from './sdk-row';
import { checkTableName, missingColumns, type SqlDialect, SqlSdkBackend, sdkTableDdl } from './sql-backend';

/** Like the SDK's DBBuilder: host, port, user, password, database, table (defaults `zohooauth`.`oauthtoken`). */
export interface MysqlTableOptions {
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  readonly table?: string;
  /** TLS to the server; `rejectUnauthorized` false only for a server with a self-signed certificate. */
  readonly tls?: { readonly ca?: string; readonly rejectUnauthorized?: boolean } | null;
  /** Create the SDK's table when missing (an export destination). */
  readonly create?: boolean;
  readonly connectTimeoutMs?: number;
}

const mysqlDialect: SqlDialect = {
  quote: (identifier) => `\`${identifier}\``,
  nullSafeEquals: (column) => `${column} <=> ?`,
  idAsInteger: 'CAST(id AS UNSIGNED)',
  isDuplicateKey: (error) => (error as { code?: string }).code === 'ER_DUP_ENTRY',
  matchOrder: 'key',
};

/** What failed, in plain words (what "Test connection" shows); never the password. */
export function mysqlError(error: unknown, options: MysqlTableOptions): TokenStoreError {
  if (error instanceof TokenStoreError) return error;
  const code = (error as { code?: string }).code;
  const where = `${options.host ?? 'localhost'}:${options.port ?? 3306}`;
  const words: Record<string, [string, string]> = {
    ECONNREFUSED: [`Nothing answers at ${where}.`, 'Check the host and port, and that the server runs.'],
    ENOTFOUND: [`The host ${options.host ?? 'localhost'} is unknown.`, 'Check the host name.'],
    ETIMEDOUT: [`The server at ${where} did not answer in time.`, 'Check the host, port and firewall.'],
    EHOSTUNREACH: [`The host at ${where} is unreachable.`, 'Check the network and the host.'],
    ER_ACCESS_DENIED_ERROR: [
      `The server refused user ${options.user ?? 'root'}: wrong user or password.`,
      'Check the user name and password.',
    ],
    ER_DBACCESS_DENIED_ERROR: [
      `User ${options.user ?? 'root'} may not use database ${options.database ?? 'zohooauth'}.`,
      'Grant the user access to the database.',
    ],
    ER_TABLEACCESS_DENIED_ERROR: [
      `User ${options.user ?? 'root'} may not read or write the token table.`,
      'Grant SELECT, INSERT, UPDATE and DELETE on the table.',
    ],
    ER_BAD_DB_ERROR: [
      `There is no database named ${options.database ?? 'zohooauth'}.`,
      'Check the database name.',
    ],
    ER_NO_SUCH_TABLE: [`There is no table named ${options.table ?? 'oauthtoken'}.`, 'Check the table name.'],
    HANDSHAKE_SSL_ERROR: [
      'The TLS connection to the server failed.',
      'Check the TLS settings and certificate.',
    ],
  };
  const [message, hint] = (code && words[code]) || [
    `The MySQL server at ${where} answered with an error${code ? ` (${code})` : ''}.`,
    'Check the connection settings.',
  ];
  return new TokenStoreError('STORAGE', message, { hint, cause: error });
}

/**
 * The SDK DBStore's table on MySQL or MariaDB, through a small mysql2 pool. The SDK's `varchar` widths are
 * read from the server, so a value too long for a column is refused with a clear error instead of being
 * cut or failing halfway.
 */
export async function openMysqlTable(options: MysqlTableOptions): Promise<SqlSdkBackend> {
  const table = checkTableName(options.table ?? 'oauthtoken');
  const poolOptions: PoolOptions = {
    host: options.host ?? 'localhost',
    port: options.port ?? 3306,
    user: options.user ?? 'root',
    password: options.password ?? '',
    database: options.database ?? 'zohooauth',
    connectionLimit: 4,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    charset: 'utf8mb4_general_ci',
    ...(options.tls
      ? {
          ssl: {
            rejectUnauthorized: options.tls.rejectUnauthorized ?? true,
            ...(options.tls.ca ? { ca: options.tls.ca } : {}),
          },
        }
      : {}),
  };
  const pool: Pool = createPool(poolOptions);
  try {
    const columns = async () => {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT COLUMN_NAME AS name, CHARACTER_MAXIMUM_LENGTH AS max FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
        [table],
      );
      return rows as { name: string; max: number | null }[];
    };
    let present = await columns();
    if (present.length === 0 && options.create) {
      await pool.query(`${sdkTableDdl(`\`${table}\``)} DEFAULT CHARSET=utf8mb4`);
      present = await columns();
    }
    if (present.length === 0) {
      throw new TokenStoreError('STORAGE', `There is no table named ${table}.`, {
        hint: 'Check the table name (the SDK uses oauthtoken).',
      });
    }
    const missing = missingColumns(present.map((c) => c.name));
    if (missing) {
      throw new TokenStoreError(
        'STORAGE',
        `The table ${table} is not in the SDK's layout: it lacks ${missing}.`,
      );
    }
    const maxLengths: Partial<Record<SdkColumn, number>> = {};
    for (const c of present) {
      if (c.max !== null) maxLengths[c.name.toLowerCase() as SdkColumn] = Number(c.max);
    }
    const runner = {
      async all(sql: string, params: readonly unknown[]) {
        try {
          // A plain read (no parameters) uses the text protocol, faster for whole-table reads.
          const [rows] =
            params.length === 0
              ? await pool.query<RowDataPacket[]>(sql)
              : await pool.execute<RowDataPacket[]>(sql, params as never[]);
          return rows as Record<string, unknown>[];
        } catch (error) {
          throw mysqlError(error, options);
        }
      },
      eachRow(sql: string, onRow: (cells: readonly unknown[]) => void) {
        // The callback API: each row as it is parsed; the promise API would collect them all first.
        return new Promise<void>((resolve, reject) => {
          let failed = false;
          pool.pool
            .query({ sql, rowsAsArray: true })
            .on('result', (row: unknown) => {
              if (!failed) onRow(row as unknown[]);
            })
            .on('error', (error: unknown) => {
              failed = true;
              reject(mysqlError(error, options));
            })
            .on('end', () => {
              if (!failed) resolve();
            });
        });
      },
      async run(sql: string, params: readonly unknown[]) {
        try {
          // mysql2 reports matched rows (CLIENT_FOUND_ROWS), so an update to equal values still counts.
          const [result] = await pool.execute<ResultSetHeader>(sql, params as never[]);
          return result.affectedRows;
        } catch (error) {
          if (mysqlDialect.isDuplicateKey(error)) throw error;
          throw mysqlError(error, options);
        }
      },
      async close() {
        await pool.end();
      },
    };
    // Two ids of headroom: the SDK's DBStore reads max(id) and inserts max+1 a moment later, and may save
    // once more before a TokenDesk insert that read max(id) earlier lands (docs/sources.md).
    return new SqlSdkBackend(runner, mysqlDialect, table, 2, maxLengths);
  } catch (error) {
    await pool.end().catch(() => {});
    throw mysqlError(error, options);
  }
}
