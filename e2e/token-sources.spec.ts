import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DEMO_SELF_CLIENT } from '../sim/demo-data';
import { parseSourceUri } from '../src/main/sources/source-uri';
import { expect, test } from './harness/fixtures';

/**
 * docs/sources.md: a support agent points TokenDesk at the SDK FileStore and the SDK DBStore table an
 * integration uses, sees their tokens, revokes a leaver's token there, and imports one into this computer.
 * The MySQL part needs a server (TOKENDESK_TEST_MYSQL_URL, started by .ci/run); outside CI it is skipped
 * with a printed reason when none answers.
 */
const HEADER =
  'id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain';
const MYSQL_URL =
  process.env.TOKENDESK_TEST_MYSQL_URL ?? 'mysql://tokendesk:tokendesk-test@127.0.0.1:3306/tokendesk_test';
const mysql = (() => {
  const location = parseSourceUri(MYSQL_URL);
  if (location.kind !== 'mysql') throw new Error('TOKENDESK_TEST_MYSQL_URL is not a mysql:// URI');
  return location;
})();

async function mysqlConnection() {
  return createConnection({
    host: mysql.host,
    port: mysql.port,
    user: mysql.user,
    password: mysql.password,
    database: mysql.database,
    connectTimeout: 3_000,
  });
}

test('add a FileStore and a MySQL source, see their tokens, revoke one, import one', async ({ app }) => {
  let db: Awaited<ReturnType<typeof mysqlConnection>> | null = null;
  try {
    db = await mysqlConnection();
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.log(`skipping the token-sources spec: no MySQL/MariaDB server (${(error as Error).message})`);
    test.skip(true, 'no MySQL/MariaDB server');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-e2e-sources-'));
  const table = `oauthtoken_e2e_${Date.now().toString(36)}`;
  const apiDomain = app.sim.dataCenter('US').apiDomain;
  try {
    // The integration's stores, as the SDK writes them: a FileStore file and a DBStore table.
    for (const [i, email] of ['leaver@example.com', 'stays@example.com', 'db-user@example.com'].entries()) {
      app.sim.registerUser({
        email,
        fullName: email,
        zuid: String(810_000_000 + i),
        dataCenter: 'US',
        orgName: 'Integration Org',
      });
    }
    const leaver = await app.refreshTokenFromElsewhere('leaver@example.com');
    const stays = await app.refreshTokenFromElsewhere('stays@example.com');
    const fromDb = await app.refreshTokenFromElsewhere('db-user@example.com');
    const row = (id: number, user: string, refresh: string) =>
      `${id},${user},${DEMO_SELF_CLIENT.clientId},${DEMO_SELF_CLIENT.clientSecret},${refresh},,,,,${apiDomain}`;
    const file = join(dir, 'sdk_tokens.txt');
    writeFileSync(
      file,
      [HEADER, row(1, 'leaver@example.com', leaver), row(2, 'stays@example.com', stays)].join('\n'),
    );
    await db.query(
      `CREATE TABLE \`${table}\` (id varchar(10) NOT NULL, user_name varchar(255), client_id varchar(255), client_secret varchar(255), refresh_token varchar(255), access_token varchar(255), grant_token varchar(255), expiry_time varchar(20), redirect_url varchar(255), api_domain varchar(255), primary key (id))`,
    );
    await db.query(
      `INSERT INTO \`${table}\` (id, user_name, client_id, client_secret, refresh_token, api_domain) VALUES (?, ?, ?, ?, ?, ?)`,
      [
        '1',
        'db-user@example.com:60012345',
        DEMO_SELF_CLIENT.clientId,
        DEMO_SELF_CLIENT.clientSecret,
        fromDb,
        apiDomain,
      ],
    );

    await app.open();
    const page = app.page;
    await page.getByTestId('nav-sources').click();

    // 1. The FileStore: test the connection, save, see its tokens, revoke the leaver's.
    await page.getByRole('button', { name: 'Add source' }).click();
    const form = page.getByRole('form', { name: 'Add a token source' });
    await form.getByLabel('Token file').fill(join(dir, 'missing.txt'));
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect(form.getByTestId('source-test-result')).toHaveText(
      'The token file missing.txt was not found.',
    );
    await form.getByLabel('Token file').fill(file);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect(form.getByTestId('source-test-result')).toHaveText('Connected: 2 token(s).');
    await form.getByRole('button', { name: 'Save source' }).click();
    const fileItem = page.getByTestId('source-item').filter({ hasText: 'FileStore sdk_tokens.txt' });
    await expect(fileItem).toContainText('Plaintext at rest');
    await expect(fileItem).toContainText('2 token(s)');

    const rows = page.getByTestId('source-token-row');
    await expect(rows).toHaveCount(2);
    const leaverRow = rows.filter({ hasText: 'leaver@example.com' });
    await expect(leaverRow).toContainText('FileStore sdk_tokens.txt');
    await leaverRow.getByRole('button', { name: 'Revoke' }).click();
    await leaverRow.getByRole('button', { name: 'Confirm revoke' }).click();
    await expect(page.getByTestId('source-action-result')).toHaveText(
      'leaver@example.com: revoked at Zoho and deleted from FileStore sdk_tokens.txt.',
    );
    await expect(rows).toHaveCount(1);
    expect(app.sim.isRefreshTokenActive(leaver)).toBe(false);
    expect(readFileSync(file, 'utf8')).not.toContain(leaver);
    expect(app.sim.isRefreshTokenActive(stays)).toBe(true);

    // Revoked at Zoho by someone else: after a test call, Copy says why it is off, in text.
    const accounts = app.sim.dataCenters.find((dc) => dc.id === 'US')?.accountsUrl;
    const revokedElsewhere = await fetch(
      `${accounts}/oauth/v2/token/revoke?token=${encodeURIComponent(stays)}`,
      { method: 'POST' },
    );
    expect(revokedElsewhere.status).toBe(200);
    const staysRow = rows.filter({ hasText: 'stays@example.com' });
    await staysRow.getByRole('button', { name: 'Test' }).click();
    const copy = staysRow.getByRole('button', { name: 'Copy access token' });
    await expect(copy).toBeDisabled();
    await expect(staysRow.getByTestId('source-token-blocked-reason')).toHaveText(
      'Zoho no longer accepts this token, so its access token is useless; re-authorise first.',
    );
    await expect(copy).toHaveAccessibleDescription(
      'Zoho no longer accepts this token, so its access token is useless; re-authorise first.',
    );

    // 2. The MySQL table: a wrong password is said plainly; then the right one; import its token.
    await page.getByRole('button', { name: 'Add source' }).click();
    const mysqlForm = page.getByRole('form', { name: 'Add a token source' });
    await mysqlForm.getByTestId('source-kind').selectOption('mysql');
    await mysqlForm.getByLabel('Host', { exact: true }).fill(mysql.host ?? '127.0.0.1');
    await mysqlForm.getByLabel('Port', { exact: true }).fill(String(mysql.port));
    await mysqlForm.getByLabel('User', { exact: true }).fill(mysql.user ?? '');
    await mysqlForm.getByLabel('Password', { exact: true }).fill('not-the-password');
    await mysqlForm.getByLabel('Database', { exact: true }).fill(mysql.database);
    await mysqlForm.getByLabel('Table', { exact: true }).fill(table);
    await mysqlForm.getByRole('button', { name: 'Test connection' }).click();
    await expect(mysqlForm.getByTestId('source-test-result')).toHaveText(
      `The server refused user ${mysql.user}: wrong user or password.`,
    );
    await mysqlForm.getByLabel('Password', { exact: true }).fill(mysql.password ?? '');
    await mysqlForm.getByRole('button', { name: 'Test connection' }).click();
    await expect(mysqlForm.getByTestId('source-test-result')).toHaveText('Connected: 1 token(s).');
    await mysqlForm.getByRole('button', { name: 'Save source' }).click();
    await expect(page.getByTestId('source-item')).toHaveCount(2);

    const dbRow = page.getByTestId('source-token-row').filter({ hasText: 'db-user@example.com' });
    await expect(dbRow).toHaveCount(1);
    await dbRow.getByRole('button', { name: 'Import' }).click();
    await expect(page.getByTestId('source-action-result')).toHaveText(
      "db-user@example.com: imported into this computer's encrypted store.",
    );
    const local = await app.storedTokens();
    expect(local.map((t) => [t.userName, t.refreshToken])).toEqual([
      ['db-user@example.com:60012345', fromDb],
    ]);
    // A copy: the integration's row is still there.
    const [still] = await db.query(`SELECT COUNT(*) AS n FROM \`${table}\``);
    expect(Number((still as { n: number }[])[0]?.n)).toBe(1);
  } finally {
    await db.query(`DROP TABLE IF EXISTS \`${table}\``).catch(() => {});
    await db.end();
    rmSync(dir, { recursive: true, force: true });
  }
});
