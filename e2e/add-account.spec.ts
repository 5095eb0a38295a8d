import { expect, screenshot, test } from './harness/fixtures';
import { EU_USER, US_USER } from './harness/harness';
import {
  addAccountDialog,
  addAccountWithBrowser,
  answerConsent,
  cell,
  openAddAccount,
  rowFor,
  tokenRows,
} from './harness/ui';

/**
 * Adding an account through the system-browser flow (RFC 8252): the core opens the simulator's consent
 * page in a new page of the same browser; the person accepts or declines there.
 */
test('add an account through the browser flow: approving shows the new token in the list', async ({
  app,
}) => {
  await app.open();
  const dialog = await openAddAccount(app.page);
  await dialog.getByRole('button', { name: 'Sign in with browser' }).click();
  // Main pushes `signin.progress`: the dialog waits for the browser and offers the consent URL it opened.
  await expect(dialog.getByTestId('signin-progress')).toHaveAttribute('data-stage', 'waiting-for-browser');
  await expect.poll(() => app.opened.length).toBe(1);
  await expect(dialog.getByRole('textbox', { name: 'Sign-in address' })).toHaveValue(app.opened[0] ?? '-');
  await screenshot(app.page, 'add-account-waiting');
  await answerConsent(app, 'accept', US_USER.email);

  await expect(addAccountDialog(app.page)).toBeHidden();
  const row = rowFor(app.page, US_USER.email);
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-status', 'valid');
  await expect(cell(row, 'dataCenter')).toContainText('US');
  await expect(app.page.getByTestId('token-summary')).toContainText('Showing 1 of 1 token');
  expect(app.opened).toHaveLength(1);
  await screenshot(app.page, 'add-account-approved');

  // A second account (EU user, consent given at the same page: Zoho's multi-DC login) joins the list.
  await addAccountWithBrowser(app, { decision: 'accept', userEmail: EU_USER.email });
  await expect(rowFor(app.page, EU_USER.email)).toHaveCount(1);
  await expect(cell(rowFor(app.page, EU_USER.email), 'dataCenter')).toContainText('EU');
  await expect(tokenRows(app.page)).toHaveCount(2);
});

test('declining on the consent page shows the plain-words error and stores nothing', async ({ app }) => {
  await app.open();
  await addAccountWithBrowser(app, { decision: 'deny' });

  const dialog = addAccountDialog(app.page);
  const error = dialog.getByTestId('add-account-error');
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute('data-code', 'ACCESS_DENIED');
  await expect(error).toContainText(/declined|denied/i);
  await error.scrollIntoViewIfNeeded();
  await screenshot(app.page, 'add-account-declined');

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(tokenRows(app.page)).toHaveCount(0);
  expect(await app.storedTokens()).toHaveLength(0);
});
