import { readFile } from 'node:fs/promises';
import { expect, screenshot, test } from './harness/fixtures';
import { US_USER } from './harness/harness';
import { openDetails, toast, tokenRows } from './harness/ui';

/** docs/architecture.md "Token rules": every grant, refresh, revoke, delete, test call, copy and export is audited. */
test('the audit log lists the actions just taken, and exports them as CSV', async ({ app }) => {
  await app.grantAccount(US_USER.email);
  await app.open();

  const details = await openDetails(app.page, US_USER.email);
  await details.getByRole('button', { name: 'Test CRM call' }).click();
  await expect(toast(app.page, `CRM call worked for ${US_USER.email}`)).toBeVisible();
  await details.getByRole('button', { name: 'Refresh now' }).click();
  await expect(toast(app.page, `Refreshed ${US_USER.email}`)).toBeVisible();
  await details.getByRole('button', { name: 'Copy access token' }).click();
  await expect(toast(app.page, /Access token copied/)).toBeVisible();
  await details.getByRole('button', { name: 'Delete' }).click();
  await app.page.getByRole('button', { name: 'Revoke and delete' }).click();
  await expect(tokenRows(app.page)).toHaveCount(0);

  await app.page.getByRole('button', { name: 'Audit log' }).click();
  const rows = app.page.getByTestId('audit-row');
  for (const action of ['Sign-in', 'Test call', 'Refresh', 'Copy token', 'Revoke', 'Delete']) {
    const row = rows.filter({ has: app.page.getByRole('cell', { name: action, exact: true }) });
    await expect(row.first(), action).toBeVisible();
    await expect(row.first(), action).toHaveAttribute('data-outcome', 'success');
    await expect(row.first(), action).toContainText(US_USER.email);
  }
  await screenshot(app.page, 'audit-log');

  const downloading = app.page.waitForEvent('download');
  await app.page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe('id,time,action,source,token_id,user,outcome,detail');
  for (const action of ['grant', 'test', 'refresh', 'copy', 'revoke', 'delete']) {
    expect(
      lines.some((l) => l.split(',')[2] === action && l.includes(US_USER.email)),
      action,
    ).toBe(true);
  }
  await expect(toast(app.page, /Exported \d+ audit entries/)).toBeVisible();

  // The export itself is audited, and no audit row carries a secret.
  const exports = await app.call('listAudit', { action: 'export' });
  expect(exports).toHaveLength(1);
  const all = JSON.stringify(await app.call('listAudit', {}));
  for (const token of app.clipboard.writes) expect(all).not.toContain(token);
});
