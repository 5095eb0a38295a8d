import { expect, test } from './harness/fixtures';
import { US_USER } from './harness/harness';
import { seededUserName } from './harness/seed';
import { addAccountDialog, openAddAccount, openDetails, rowFor } from './harness/ui';

/**
 * Keyboard and screen-reader details of the token screens: focus comes back to "Add account" when its
 * dialog closes (never to the page body), the grant-code field is the next tab stop after its tab, and
 * the reason an action is off is text on screen and the button's description, not only a hover title.
 */

test('focus returns to "Add account" when its dialog closes, on the empty list and beside the table', async ({
  app,
}) => {
  await app.open();
  await openAddAccount(app.page);
  await app.page.keyboard.press('Escape');
  await expect(addAccountDialog(app.page)).toBeHidden();
  await expect(app.page.getByTestId('add-account')).toBeFocused();

  await app.grantAccount(US_USER.email);
  await app.open();
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);
  const dialog = await openAddAccount(app.page);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.page.getByRole('button', { name: 'Add account' })).toBeFocused();
});

test('after the "Self Client grant code" tab, Tab goes straight to the grant-code field', async ({ app }) => {
  await app.open();
  const dialog = await openAddAccount(app.page);
  const tab = dialog.getByRole('tab', { name: 'Self Client grant code' });
  await tab.click();
  await expect(tab).toBeFocused();
  await app.page.keyboard.press('Tab');
  await expect(dialog.getByTestId('add-grant-code')).toBeFocused();
});

test('a disabled action says why in visible text and as its description, in the panel and the row menu', async ({
  app,
}) => {
  // A token from an ended demo run: every action but Delete is off, for one reason.
  await app.seedTokens(1, { apiDomain: 'http://127.0.0.1:9' });
  const email = seededUserName(1);
  await app.open();
  const details = await openDetails(app.page, email);
  const test = details.getByRole('button', { name: 'Test CRM call' });
  await expect(test).toBeDisabled();
  await expect(test).not.toHaveAttribute('title', /.+/);
  await expect(test).toHaveAccessibleDescription(/from an earlier demo run/);
  await expect(details.getByTestId('details-blocked')).toBeVisible();
  await expect(details.getByTestId('details-blocked')).toContainText('from an earlier demo run');
  await expect(details.getByRole('button', { name: 'Delete' })).toBeEnabled();

  await rowFor(app.page, email).getByTestId('token-row-actions').click();
  const menu = app.page.getByTestId('token-row-menu');
  const item = menu.getByRole('menuitem', { name: 'Refresh now' });
  await expect(item).toHaveAttribute('aria-disabled', 'true');
  await expect(item).toHaveAccessibleDescription(/from an earlier demo run/);
  await expect(item.getByText(/from an earlier demo run/)).toBeVisible();
});
