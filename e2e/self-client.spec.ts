import { expect, screenshot, test } from './harness/fixtures';
import { EU_USER, SELF_CLIENT, US_USER } from './harness/harness';
import { addAccountDialog, cell, openAddAccount, rowFor, tokenRows } from './harness/ui';

/**
 * The two ways in without a browser: a Self Client grant code (Zoho API console -> Generate Code) and a
 * refresh token the person already has. Both use the Self Client's id and secret, typed over the demo
 * client the dialog pre-fills.
 */
test('a Self Client grant code adds the account', async ({ app }) => {
  await app.open();
  const dialog = await openAddAccount(app.page);
  await dialog.getByLabel('Client ID', { exact: true }).fill(SELF_CLIENT.clientId);
  await dialog.getByLabel('Client secret', { exact: true }).fill(SELF_CLIENT.clientSecret);
  await dialog.getByRole('tab', { name: 'Self Client grant code' }).click();
  await dialog.getByLabel('Grant code', { exact: true }).fill(app.selfClientCode(US_USER.email));
  await screenshot(app.page, 'self-client-code');
  await dialog.getByRole('button', { name: 'Exchange grant code' }).click();

  await expect(addAccountDialog(app.page)).toBeHidden();
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);
  await expect(rowFor(app.page, US_USER.email)).toHaveAttribute('data-status', 'valid');
  // No browser was involved; the stored refresh token is one Zoho (the simulator) accepts.
  expect(app.opened).toHaveLength(0);
  const [stored] = await app.storedTokens();
  expect(app.sim.isRefreshTokenActive(stored?.refreshToken ?? '')).toBe(true);
});

test('importing a refresh token adds the account at its data center', async ({ app }) => {
  const refreshToken = await app.refreshTokenFromElsewhere(EU_USER.email);
  await app.open();
  const dialog = await openAddAccount(app.page);
  await dialog.getByRole('combobox', { name: 'Data center' }).click();
  await app.page.getByRole('option', { name: /^EU/ }).click();
  await dialog.getByLabel('Client ID', { exact: true }).fill(SELF_CLIENT.clientId);
  await dialog.getByLabel('Client secret', { exact: true }).fill(SELF_CLIENT.clientSecret);
  await dialog.getByRole('tab', { name: 'Import refresh token' }).click();
  await dialog.getByLabel('Refresh token', { exact: true }).fill(refreshToken);
  await dialog.getByRole('button', { name: 'Import refresh token' }).click();

  await expect(addAccountDialog(app.page)).toBeHidden();
  const row = rowFor(app.page, EU_USER.email);
  await expect(row).toHaveCount(1);
  await expect(cell(row, 'dataCenter')).toContainText('EU');
  await expect(row).toHaveAttribute('data-status', 'valid');
  // The list shows a masked preview, never the token itself.
  await expect(app.page.getByText(refreshToken)).toHaveCount(0);
  await screenshot(app.page, 'import-refresh-token');
});

test('a wrong client secret shows the plain-words error and adds nothing', async ({ app }) => {
  await app.open();
  const dialog = await openAddAccount(app.page);
  await dialog.getByLabel('Client ID', { exact: true }).fill(SELF_CLIENT.clientId);
  await dialog
    .getByLabel('Client secret', { exact: true })
    .fill('0000000000000000000000000000000000000000ff');
  await dialog.getByRole('tab', { name: 'Self Client grant code' }).click();
  await dialog.getByLabel('Grant code', { exact: true }).fill(app.selfClientCode(US_USER.email));
  await dialog.getByRole('button', { name: 'Exchange grant code' }).click();

  const error = dialog.getByTestId('add-account-error');
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute('data-code', 'INVALID_CLIENT');
  await expect(error).toContainText(/client id or client secret/i);
  await error.scrollIntoViewIfNeeded();
  await screenshot(app.page, 'self-client-wrong-secret');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(tokenRows(app.page)).toHaveCount(0);
  expect(await app.storedTokens()).toHaveLength(0);
});
