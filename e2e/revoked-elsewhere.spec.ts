import { expect, test } from './harness/fixtures';
import { US_USER } from './harness/harness';
import { cell, openDetails, rowFor, toast } from './harness/ui';

/**
 * A token revoked outside TokenDesk (by the integration, or in Zoho's own console): once Zoho refuses it,
 * every place in the console says so. No countdown to an expiry that no longer matters, no copying an
 * access token Zoho has killed, and a failed test that does not claim "no refresh needed".
 */
test('a token revoked elsewhere: the row, the details and the test result all say Zoho rejects it', async ({
  app,
}) => {
  await app.grantAccount(US_USER.email);
  await app.open();
  const row = rowFor(app.page, US_USER.email);
  await expect(row).toHaveCount(1);
  await expect(row.locator('.countdown__left')).toHaveText(/\d/);

  // Revoked at Zoho by someone else: the refresh token, and the access tokens made from it, die there.
  const [stored] = await app.storedTokens();
  const accounts = app.sim.dataCenters.find((dc) => dc.id === 'US')?.accountsUrl;
  const revoked = await fetch(
    `${accounts}/oauth/v2/token/revoke?token=${encodeURIComponent(stored?.refreshToken ?? '')}`,
    { method: 'POST' },
  );
  expect(revoked.status).toBe(200);
  expect(app.sim.isRefreshTokenActive(stored?.refreshToken ?? '')).toBe(false);

  const details = await openDetails(app.page, US_USER.email);
  await details.getByRole('button', { name: 'Test CRM call' }).click();
  const failed = toast(app.page, `CRM call failed for ${US_USER.email}`);
  await expect(failed).toBeVisible();
  await expect(failed).not.toContainText('no refresh needed');

  // Everywhere: status, expiry cell, details; copy is off and says why.
  await expect(cell(row, 'status')).toHaveText(/Needs re-authorisation/);
  await expect(cell(row, 'expiresAt')).toHaveText(/Rejected by Zoho/);
  await expect(details.getByText('Rejected by Zoho')).toBeVisible();
  const copy = details.getByRole('button', { name: 'Copy access token' });
  await expect(copy).toBeDisabled();
  await expect(copy).toHaveAccessibleDescription(/Zoho no longer accepts this token/);
  await expect(details.getByText(/Zoho no longer accepts this token/)).toBeVisible();
  expect(app.clipboard.writes).toHaveLength(0);
});
