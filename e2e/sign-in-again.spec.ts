import { expect, screenshot, test } from './harness/fixtures';
import { SELF_CLIENT, US_USER } from './harness/harness';
import { addAccountDialog, openAddAccount, rowFor } from './harness/ui';

/**
 * Signing in again as a user already connected with the same client: the dialog says so before the
 * sign-in, and what happens to the stored token (replaced, old refresh token revoked). When Zoho does not
 * confirm that revoke, the toast says so and the old token waits under Pending revokes, still held.
 */
test('signing in again as a connected user: told before, and a dropped revoke of the old token is shown, not hidden', async ({
  app,
}) => {
  await app.grantAccount(US_USER.email);
  const [first] = await app.storedTokens();
  await app.open();
  const dialog = await openAddAccount(app.page);
  await dialog.getByLabel('Client ID', { exact: true }).fill(SELF_CLIENT.clientId);
  await dialog.getByLabel('Client secret', { exact: true }).fill(SELF_CLIENT.clientSecret);
  const notice = dialog.getByTestId('already-connected');
  await expect(notice).toContainText(`Already connected with this client (US production): ${US_USER.email}`);
  await expect(notice).toContainText('the stored refresh token is revoked at Zoho');
  await screenshot(app.page, 'sign-in-already-connected');

  await dialog.getByRole('tab', { name: 'Self Client grant code' }).click();
  await dialog.getByLabel('Grant code', { exact: true }).fill(app.selfClientCode(US_USER.email));
  app.sim.injectFault({ kind: 'revoke', fault: 'drop' });
  await dialog.getByRole('button', { name: 'Exchange grant code' }).click();
  await expect(addAccountDialog(app.page)).toBeHidden();

  await expect(
    app.page.getByTestId('toast').getByText(/the old refresh token was NOT revoked/),
  ).toBeVisible();
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);
  const pending = app.page.getByTestId('pending-revokes');
  await expect(pending.getByTestId('pending-revoke')).toContainText('replaced by a new sign-in');
  // True at Zoho and on disk: the old token still works, and TokenDesk still holds it.
  expect(app.sim.isRefreshTokenActive(first?.refreshToken ?? '')).toBe(true);
  const [now] = await app.storedTokens();
  expect(now?.id).toBe(first?.id);
  expect(now?.refreshToken).not.toBe(first?.refreshToken);
  const grants = await app.core.handlers.listAudit({ action: 'grant' });
  expect(grants[0]?.detail).toMatch(/replaced by a new sign-in/);

  await pending.getByRole('button', { name: 'Retry now' }).click();
  await expect(pending).toBeHidden();
  expect(app.sim.isRefreshTokenActive(first?.refreshToken ?? '')).toBe(false);
});
