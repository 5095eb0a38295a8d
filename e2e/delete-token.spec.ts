import { expect, screenshot, test } from './harness/fixtures';
import { US_USER } from './harness/harness';
import { openDetails, rowFor, tokenRows } from './harness/ui';

/** docs/architecture.md "Token rules": deleting means revoke-then-delete; a failed revoke is reported, never hidden. */
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

test('delete when the revoke fails: the UI says so, keeps the token; "Delete here, keep revoking" leaves a pending revoke', async ({
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

  await dialog.getByRole('button', { name: 'Delete here, keep revoking' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    app.page.getByTestId('toast').getByText('Deleted here; the revoke at Zoho is still pending'),
  ).toBeVisible();
  await expect(tokenRows(app.page)).toHaveCount(0);
  expect(await app.storedTokens()).toHaveLength(0);
  // Zoho still accepts the refresh token, and TokenDesk still holds it: shown, with a retry.
  expect(app.sim.isRefreshTokenActive(stored?.refreshToken ?? '')).toBe(true);
  const pending = app.page.getByTestId('pending-revokes');
  await expect(pending).toContainText('Pending revokes: 1 refresh token may still work at Zoho');
  await expect(pending.getByTestId('pending-revoke')).toContainText(US_USER.email);
  await screenshot(app.page, 'pending-revoke');

  // Zoho answers again: "Retry now" revokes it, says so, and the area goes.
  app.sim.clearFaults();
  await pending.getByRole('button', { name: 'Retry now' }).click();
  await expect(app.page.getByTestId('toast').getByText(`Revoked at Zoho: ${US_USER.email}`)).toBeVisible();
  await expect(pending).toBeHidden();
  expect(app.sim.isRefreshTokenActive(stored?.refreshToken ?? '')).toBe(false);
});

test('delete a token Zoho already considers dead: "access already cut at Zoho", deleted, audited as revoked', async ({
  app,
}) => {
  await app.grantAccount(US_USER.email);
  const [stored] = await app.storedTokens();
  // Revoked elsewhere (Zoho's Connected Apps, another tool): Zoho answers the next revoke "invalid token".
  await fetch(
    `${app.sim.dataCenter('US').accountsUrl}/oauth/v2/token/revoke?token=${encodeURIComponent(stored?.refreshToken ?? '')}`,
    { method: 'POST' },
  );
  await app.open();
  const details = await openDetails(app.page, US_USER.email);
  await details.getByRole('button', { name: 'Delete' }).click();
  const dialog = app.page.getByRole('alertdialog', { name: `Delete ${US_USER.email}?` });
  await dialog.getByRole('button', { name: 'Revoke and delete' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    app.page.getByTestId('toast').getByText(`Access already cut at Zoho and deleted: ${US_USER.email}`),
  ).toBeVisible();
  await expect(app.page.getByText(/refused the revoke|may still work/)).toHaveCount(0);
  await expect(tokenRows(app.page)).toHaveCount(0);
  expect(await app.storedTokens()).toHaveLength(0);
  const [revoke] = await app.core.handlers.listAudit({ action: 'revoke' });
  expect(revoke).toMatchObject({ outcome: 'success' });
  expect(revoke?.detail).toMatch(/access was already cut at Zoho/);
});
