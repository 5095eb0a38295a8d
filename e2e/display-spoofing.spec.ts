import { expect, screenshot, test } from './harness/fixtures';
import { cell, rowFor, tokenRows } from './harness/ui';

/**
 * Names come from Zoho as CRM users typed them. A right-to-left override must not make
 * `\u202Emoc.live@nimda` read as "admin@evil.com", and a 10,000-character name must not push the
 * details panel's actions off screen. Shown: the override as a visible `\u202E`, the long name cut with
 * its full value on demand.
 */
const SPOOF = '\u202Emoc.live@nimda';
const SHOWN = '\\u202Emoc.live@nimda';
const LONG = `${'n'.repeat(10_000)}@example.com`;

test('a bidi override and a 10,000-character name are shown safely in the list, the details and the audit log', async ({
  app,
}) => {
  await app.grantAccount(SPOOF);
  await app.grantAccount(LONG);
  await app.open();
  await expect(tokenRows(app.page)).toHaveCount(2);

  // The list: the override is visible as an escape; the control itself never reaches the page's text.
  const spoofRow = rowFor(app.page, SHOWN);
  await expect(spoofRow).toHaveCount(1);
  const userCell = cell(spoofRow, 'user');
  expect(await userCell.textContent()).toBe(SHOWN);
  await expect(userCell.locator('bdi')).toHaveCount(1);
  const tableText = await app.page.getByTestId('token-table').textContent();
  expect(tableText).not.toContain('\u202E');
  await screenshot(app.page, 'display-spoofing-list');

  // The long name: cut in the list row, which keeps its height.
  const longRow = rowFor(app.page, 'nnnnnnnnnn');
  const longUser = (await cell(longRow, 'user').textContent()) ?? '';
  expect(longUser.length).toBeLessThan(200);
  expect(longUser.endsWith('…')).toBe(true);

  // The details panel: the name is cut, the actions stay in view, "Show all" gives the whole name.
  await cell(longRow, 'user').click();
  const details = app.page.getByTestId('token-details');
  await expect(details).toBeVisible();
  const name = details.getByTestId('details-user');
  await expect(name).toHaveAttribute('data-cut', 'true');
  for (const action of ['details-test', 'details-refresh', 'details-delete']) {
    await expect(details.getByTestId(action)).toBeInViewport();
  }
  const heading = await details.getByRole('heading', { level: 2 }).boundingBox();
  expect(heading?.height ?? Number.POSITIVE_INFINITY).toBeLessThan(200);
  await details.getByTestId('details-user-toggle').click();
  await expect(name).not.toHaveAttribute('data-cut', 'true');
  expect((await name.textContent())?.length).toBe(LONG.length);
  await details.getByTestId('details-user-toggle').click();
  await expect(name).toHaveAttribute('data-cut', 'true');

  // The audit log: the same, in the user column of the sign-in rows.
  await app.page.getByRole('button', { name: 'Audit log' }).click();
  const rows = app.page.getByTestId('audit-row');
  await expect(rows.filter({ hasText: SHOWN }).first()).toBeVisible();
  const auditText = await app.page.getByTestId('audit-table').textContent();
  expect(auditText).not.toContain('\u202E');
  const longAudit = rows.filter({ hasText: 'nnnnnnnnnn' }).first();
  expect((await longAudit.locator('td.cell-user').textContent())?.length).toBeLessThan(200);
  await screenshot(app.page, 'display-spoofing-audit');
});
