import { randomBytes } from 'node:crypto';
import { DBBuilder } from '@zohocrm/typescript-sdk-8.0';
import { createConnection } from 'mysql2/promise';
import { parseSourceUri } from '../source-uri';

/**
 * The MariaDB/MySQL server the tests use: `TOKENDESK_TEST_MYSQL_URL` (set by .ci/run), else the
 * development default below. Outside CI a missing server skips those tests with a printed reason; in CI
 * (CI=true) it fails them, so a green CI run always talked to a real server.
 */
export const TEST_MYSQL_URL =
  process.env.TOKENDESK_TEST_MYSQL_URL ?? 'mysql://tokendesk:tokendesk-test@127.0.0.1:3306/tokendesk_test';

export const TEST_MYSQL = (() => {
  const location = parseSourceUri(TEST_MYSQL_URL);
  if (location.kind !== 'mysql') throw new Error('TOKENDESK_TEST_MYSQL_URL is not a mysql:// URI');
  return location;
})();

/** The official SDK's own DBStore over `table` on the test server (the integration side of a test). */
export function sdkDbStore(table: string) {
  return new DBBuilder()
    .host(TEST_MYSQL.host!)
    .portNumber(TEST_MYSQL.port!)
    .userName(TEST_MYSQL.user!)
    .password(TEST_MYSQL.password!)
    .databaseName(TEST_MYSQL.database)
    .tableName(table)
    .build();
}

async function probe(): Promise<string | null> {
  try {
    const connection = await createConnection({
      host: TEST_MYSQL.host,
      port: TEST_MYSQL.port,
      user: TEST_MYSQL.user,
      password: TEST_MYSQL.password,
      database: TEST_MYSQL.database,
      connectTimeout: 3_000,
    });
    await connection.end();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const unreachable = await probe();
if (unreachable !== null) {
  if (process.env.CI === 'true') {
    throw new Error(`CI: the MariaDB/MySQL server for the tests is not reachable: ${unreachable}`);
  }
  console.warn(
    `Skipping MySQL/MariaDB source tests: no server at ${TEST_MYSQL.host}:${TEST_MYSQL.port} (${unreachable}). Set TOKENDESK_TEST_MYSQL_URL or run .ci/run.`,
  );
}

/** False when the tests must skip (never in CI: there the import above throws). */
export const mysqlAvailable = unreachable === null;

/** A connection for test set-up (creating and dropping tables) with the test credentials. */
export function adminConnection() {
  return createConnection({
    host: TEST_MYSQL.host,
    port: TEST_MYSQL.port,
    user: TEST_MYSQL.user,
    password: TEST_MYSQL.password,
    database: TEST_MYSQL.database,
    multipleStatements: false,
  });
}

/** A fresh table name, so parallel test files never share a table. */
export function freshTableName(prefix = 'oauthtoken'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** The URI of `table` on the test server. */
export function testTableUri(table: string): string {
  const url = new URL(TEST_MYSQL_URL);
  url.searchParams.set('table', table);
  return url.toString();
}
