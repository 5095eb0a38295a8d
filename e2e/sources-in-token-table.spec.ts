import { appendFileSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_SELF_CLIENT } from '../sim/demo-data';
import { expect, test } from './harness/fixtures';
import type { Harness } from './harness/harness';
import { cell, rowFor, toast, tokenRows } from './harness/ui';

/**
 * docs/sources.md "In the token table": the main table lists the tokens of every configured source beside
 * this computer's, with a Source column and a filter; a source's rows load on their own (a broken source
 * says why, the local rows do not wait); every action on a row goes to the row's own source; and the
 * Sources page clears one source with the typed count and a per-token outcome.
 */
const HEADER =
  'id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain';
const LOCAL_USER = 'kept-local@example.com';
const FILE_USERS = ['leaver@example.com', 'stays@example.com', 'third@example.com'];

async function fileStoreWith(app: Harness, dir: string, users: readonly string[]) {
  const apiDomain = app.sim.dataCenter('US').apiDomain;
  const refresh: Record<string, string> = {};
  const lines = [HEADER];
  for (const [i, email] of users.entries()) {
    app.sim.registerUser({
      email,
      fullName: email,
      zuid: String(820_000_000 + i),
      dataCenter: 'US',
      orgName: 'Integration Org',
    });
    refresh[email] = await app.refreshTokenFromElsewhere(email);
    lines.push(
      `${i + 1},${email},${DEMO_SELF_CLIENT.clientId},${DEMO_SELF_CLIENT.clientSecret},${refresh[email]},,,,,${apiDomain}`,
    );
  }
  const file = join(dir, 'sdk_tokens.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, refresh };
}

test('the token table lists every source with a Source column and filter, and revokes a FileStore token in its file', async ({
  app,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-e2e-table-sources-'));
  try {
    await app.grantAccount(LOCAL_USER);
    const [local] = await app.storedTokens();
    const { file, refresh } = await fileStoreWith(app, dir, FILE_USERS.slice(0, 2));
    await app.call('addSource', { settings: { kind: 'filestore', path: file } });
    // A second source whose file goes away: it says why, the other rows still show.
    const broken = join(dir, 'gone_tokens.txt');
    writeFileSync(broken, `${HEADER}\n`);
    await app.call('addSource', { settings: { kind: 'filestore', path: broken } });
    unlinkSync(broken);

    await app.open();
    const page = app.page;
    await expect(tokenRows(page)).toHaveCount(3);
    await expect(cell(rowFor(page, LOCAL_USER), 'source')).toHaveText('This computer');
    await expect(cell(rowFor(page, 'leaver@example.com'), 'source')).toHaveText('FileStore sdk_tokens.txt');
    const loads = page.getByTestId('source-load');
    await expect(loads.filter({ hasText: 'FileStore sdk_tokens.txt' })).toHaveAttribute(
      'data-state',
      'ready',
    );
    await expect(loads.filter({ hasText: 'FileStore sdk_tokens.txt' })).toContainText('2 tokens');
    const brokenLoad = loads.filter({ hasText: 'gone_tokens.txt' });
    await expect(brokenLoad).toHaveAttribute('data-state', 'failed');
    await expect(brokenLoad.getByTestId('source-load-error')).toHaveText(
      'The token file gone_tokens.txt was not found.',
    );

    // The filter: one source at a time, or all.
    await page.getByTestId('filter-source').click();
    await page.getByRole('option', { name: 'FileStore sdk_tokens.txt' }).click();
    await expect(tokenRows(page)).toHaveCount(2);
    await page.getByTestId('filter-source').click();
    await page.getByRole('option', { name: 'This computer' }).click();
    await expect(tokenRows(page)).toHaveCount(1);
    await page.getByTestId('filter-source').click();
    await page.getByRole('option', { name: 'All sources' }).click();
    await expect(tokenRows(page)).toHaveCount(3);

    // Revoke and delete from the main table: the row's own source (the file), not the local token id 1.
    await rowFor(page, 'leaver@example.com').getByTestId('token-row-actions').click();
    await page.getByRole('menuitem', { name: /Delete/ }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete leaver@example.com?' });
    await dialog.getByRole('button', { name: 'Revoke and delete' }).click();
    await expect(dialog).toBeHidden();
    // The message names where the row was deleted: the integration's file, not TokenDesk.
    await expect(toast(page, 'leaver@example.com')).toContainText(
      'Revoked at Zoho and deleted from FileStore sdk_tokens.txt: leaver@example.com',
    );
    await expect(toast(page, 'leaver@example.com')).toContainText(
      'the token is gone from FileStore sdk_tokens.txt.',
    );
    await expect(tokenRows(page)).toHaveCount(2);
    expect(app.sim.isRefreshTokenActive(refresh['leaver@example.com'] ?? '')).toBe(false);
    const content = readFileSync(file, 'utf8');
    expect(content).not.toContain(refresh['leaver@example.com']);
    expect(content).toContain(refresh['stays@example.com']);
    // The local token, whose id may equal the file row's, is untouched.
    expect((await app.storedTokens()).map((t) => t.refreshToken)).toEqual([local?.refreshToken]);
    expect(app.sim.isRefreshTokenActive(local?.refreshToken ?? '')).toBe(true);

    // The integration writes the file while TokenDesk is open: the new token shows without a reload.
    appendFileSync(
      file,
      `9,newcomer@example.com,${DEMO_SELF_CLIENT.clientId},${DEMO_SELF_CLIENT.clientSecret},1000.newcomer,,,,,${app.sim.dataCenter('US').apiDomain}\n`,
    );
    await expect(cell(rowFor(page, 'newcomer@example.com'), 'source')).toHaveText('FileStore sdk_tokens.txt');
    await expect(tokenRows(page)).toHaveCount(3);

    // The audit log names the source in its own column, filters by it, and exports it.
    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByTestId('audit-source').click();
    await page.getByRole('option', { name: 'FileStore sdk_tokens.txt' }).click();
    const auditRows = page.getByTestId('audit-row');
    await expect(auditRows).toHaveCount(2);
    for (const action of ['Revoke', 'Delete']) {
      const row = auditRows.filter({ has: page.getByRole('cell', { name: action, exact: true }) });
      await expect(row.getByTestId('audit-source-cell')).toHaveText('FileStore sdk_tokens.txt');
      await expect(row).toContainText('leaver@example.com');
    }
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync(await (await downloading).path(), 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv.slice(1).map((l) => l.split(',').slice(2, 4))).toEqual([
      ['delete', 'FileStore sdk_tokens.txt'],
      ['revoke', 'FileStore sdk_tokens.txt'],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('clear all for one source: typed count, per-token outcome, a token whose revoke fails stays in the file', async ({
  app,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-e2e-clear-source-'));
  try {
    await app.grantAccount(LOCAL_USER);
    const { file, refresh } = await fileStoreWith(app, dir, FILE_USERS);
    await app.call('addSource', { settings: { kind: 'filestore', path: file } });

    await app.open();
    const page = app.page;
    await page.getByTestId('nav-sources').click();
    await page
      .getByTestId('source-item')
      .filter({ hasText: 'FileStore sdk_tokens.txt' })
      .getByRole('button', { name: 'Show tokens' })
      .click();
    await expect(page.getByTestId('source-token-row')).toHaveCount(3);
    await page.getByTestId('source-clear-all').click();
    const dialog = page.getByTestId('clear-all-dialog');
    await expect(
      dialog.getByRole('heading', { name: 'Delete all 3 tokens in FileStore sdk_tokens.txt?' }),
    ).toBeVisible();
    // A source's token is deleted only once Zoho confirmed: the "delete anyway" option is not offered.
    await expect(dialog.getByRole('checkbox', { name: /Delete even when the revoke fails/ })).toHaveCount(0);
    const confirm = dialog.getByRole('button', { name: 'Delete 3 tokens' });
    await dialog.getByRole('textbox', { name: /To confirm, type/ }).fill('2');
    await expect(confirm).toBeDisabled();
    await dialog.getByRole('textbox', { name: /To confirm, type/ }).fill('3');
    // One revoke fails at Zoho: that token stays in the file.
    app.sim.injectFault({ kind: 'revoke', fault: '5xx', dataCenter: 'US', times: 1 });
    await confirm.click();

    const report = dialog.getByTestId('clear-all-report');
    await expect(report).toBeVisible();
    await expect(report.getByTestId('clear-outcome')).toHaveCount(3);
    await expect(report.getByTestId('clear-outcome').filter({ hasText: 'Revoke failed, kept' })).toHaveCount(
      1,
    );
    await expect(report.getByText(/2\s*deleted/)).toBeVisible();

    const content = readFileSync(file, 'utf8');
    const still = FILE_USERS.filter((u) => content.includes(refresh[u] ?? '!'));
    expect(still).toHaveLength(1);
    for (const user of FILE_USERS) {
      expect(app.sim.isRefreshTokenActive(refresh[user] ?? '')).toBe(still.includes(user));
    }
    // The local store is another source: untouched.
    expect(await app.storedTokens()).toHaveLength(1);

    // Retry from the report: Zoho answers now, the last token goes from the file.
    await report.getByTestId('clear-outcome-retry').click();
    await expect(report.getByTestId('clear-outcome').filter({ hasText: 'Revoke failed, kept' })).toHaveCount(
      0,
    );
    expect(readFileSync(file, 'utf8').trim()).toBe(HEADER);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByTestId('source-token-row')).toHaveCount(0);

    // The Clear all did 2 of 3: stored as partly done, with its source.
    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByTestId('audit-outcome').click();
    await page.getByRole('option', { name: 'Partly done' }).click();
    const partial = page
      .getByTestId('audit-row')
      .filter({ has: page.getByRole('cell', { name: 'Clear all', exact: true }) });
    await expect(partial).toHaveCount(1);
    await expect(partial).toHaveAttribute('data-outcome', 'partial');
    await expect(partial.getByTestId('audit-source-cell')).toHaveText('FileStore sdk_tokens.txt');
    await expect(partial).toContainText(
      'Clear all, partly done: 2 of 3 tokens deleted from FileStore sdk_tokens.txt',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
