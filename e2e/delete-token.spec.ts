import { expect, screenshot, test } from './harness/fixtures';
import { US_USER } from './harness/harness';
import { openDetails, rowFor, tokenRows } from './harness/ui';

/** DESIGN.md "Token rules": deleting means revoke-then-delete; a failed revoke is reported, never hidden. */
test('delete with revoke: the row goes and Zoho no longer accepts the refresh token', async ({ app }) => {
  await app.grantAccount(US_USER.email);
  const [stored] = await app.storedTokens();
  expect(app.sim.isRefreshTokenActive(stored?.refreshToken ?? '')).toBe(true);

  await app.open();
  const details = await openDetails(app.page, US_USER.email);
  await details.getByRole('button', { name: 'Delete' }).click();
  const dialog = app.page.getByRole('alertdialog', { name: `Delete ${US_USER.email}?` });
  await expect(dialog.getByRole('checkbox', { name: 'Also revoke at Zoho' })).toBeChecked();
  await screenshot(app.page, 'delete-confirm');
  await dialog.getByRole('button', { name: 'Revoke and delete' }).click();

  await expect(dialog).toBeHidden();
  await expect(tokenRows(app.page)).toHaveCount(0);
  expect(await app.storedTokens()).toHaveLength(0);
  expect(app.sim.stats.revokes).toBe(1);
  expect(app.sim.isRefreshTokenActive(stored?.refreshToken ?? '')).toBe(false);
});

test('delete when the revoke fails: the UI says so, keeps the token, and "Delete locally anyway" works', async ({
  app,
}) => {
  await app.grantAccount(US_USER.email);
  const [stored] = await app.storedTokens();
  // Zoho's revoke endpoint answers 500 (for this attempt and any retry).
  app.sim.injectFault({ kind: 'revoke', fault: '5xx', times: 10 });

  await app.open();
  const details = await openDetails(app.page, US_USER.email);
  await details.getByRole('button', { name: 'Delete' }).click();
  const dialog = app.page.getByRole('alertdialog', { name: `Delete ${US_USER.email}?` });
  await dialog.getByRole('button', { name: 'Revoke and delete' }).click();

  const failed = dialog.getByTestId('revoke-failed');
  await expect(failed).toBeVisible();
  await expect(failed).toContainText('Zoho did not revoke this token. Nothing was deleted.');
  await screenshot(app.page, 'delete-revoke-failed');
  // Nothing was deleted.
  expect(await app.storedTokens()).toHaveLength(1);
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);

  await dialog.getByRole('button', { name: 'Delete locally anyway' }).click();
  await expect(dialog).toBeHidden();
  await expect(tokenRows(app.page)).toHaveCount(0);
  expect(await app.storedTokens()).toHaveLength(0);
  // Deleted here only: Zoho still accepts the refresh token until someone revokes it there.
  expect(app.sim.isRefreshTokenActive(stored?.refreshToken ?? '')).toBe(true);
});
