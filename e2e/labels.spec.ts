import type { Locator, Page } from '@playwright/test';
import { expect, screenshot, test } from './harness/fixtures';
import { EU_USER, PASSPHRASE, US_USER } from './harness/harness';
import { addAccountDialog, answerConsent, cell, rowFor, toast, tokenRows } from './harness/ui';

/**
 * Names and labels (docs/labels.md), by keyboard only: a client named while it is added, a label and a
 * note typed in the details panel, the organisation a test call reached; each finds its token in the
 * search box, and each change is in the audit log.
 */

/** Presses Tab until `target` has focus: proves it is reachable by keyboard, in a bounded number of stops. */
async function tabTo(page: Page, target: Locator, what: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target, `${what}: reached by Tab`).toBeFocused();
}

/**
 * Types into the search box (the "/" shortcut) and waits until the filtered list shows exactly `users`
 * (the search is debounced: the rows of the previous search may still be on screen for a moment).
 */
async function expectSearch(page: Page, text: string, users: readonly string[]): Promise<void> {
  const box = page.getByTestId('token-search');
  if (!(await box.evaluate((el) => el === el.ownerDocument.activeElement))) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('/');
  }
  await expect(box).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  if (text === '') await page.keyboard.press('Delete');
  else await page.keyboard.type(text);
  await expect(box).toHaveValue(text);
  const rows = tokenRows(page);
  await expect
    .poll(async () => (await rows.locator('td.grid__cell--user .cell-user').allTextContents()).sort())
    .toEqual([...users].sort());
}

test('name a client while adding it, label a token, and find each by search: keyboard only', async ({
  app,
}) => {
  await app.grantAccount(EU_USER.email, 'EU');
  await app.open();
  const page = app.page;
  await expect(rowFor(page, EU_USER.email)).toHaveCount(1);

  // Add account ("n"), the demo client pre-filled; a name for the client, then sign in with Enter.
  await page.locator('body').press('n');
  const dialog = addAccountDialog(page);
  await expect(dialog).toBeVisible();
  const nameField = dialog.getByLabel('Client name (optional)');
  await tabTo(page, nameField, 'the client name field');
  await page.keyboard.type('x'.repeat(81));
  await page.keyboard.press('Enter');
  // Too long: said on the field before any sign-in starts (nothing opened in the browser).
  await expect(
    dialog.getByText('A client name can be at most 80 characters; this one has 81.'),
  ).toBeVisible();
  expect(app.opened).toHaveLength(0);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('Website forms integration');
  await page.keyboard.press('Enter');
  await answerConsent(app, 'accept', US_USER.email);
  await expect(dialog).toBeHidden();
  await expect(toast(page, 'Client named “Website forms integration”')).toBeVisible();
  const usRow = rowFor(page, US_USER.email);
  await expect(cell(usRow, 'clientId')).toContainText('Website forms integration');
  await expectSearch(page, 'website forms', [US_USER.email]);

  // The details panel by keyboard: from the search box to the (only) row, Space opens it; then its label
  // and note fields.
  await tabTo(page, usRow, 'the token row');
  await page.keyboard.press('Space');
  const details = page.getByTestId('token-details');
  await expect(details).toBeVisible();
  await tabTo(page, details.getByLabel('Label', { exact: true }), 'the label field');
  await page.keyboard.type('Leaver 2026-11');
  await page.keyboard.press('Tab');
  await expect(details.getByLabel('Note', { exact: true })).toBeFocused();
  await page.keyboard.type('Owner left; revoke after the\nhand-over to the café team');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(toast(page, 'Names saved')).toBeVisible();
  await expect(cell(usRow, 'user')).toContainText('Leaver 2026-11');

  // A CRM test (keyboard) finds the organisation; it is listed and searchable too.
  await tabTo(page, details.getByRole('button', { name: 'Test CRM call' }), 'Test CRM call', 60);
  await page.keyboard.press('Enter');
  await expect(details.locator('dt:text-is("CRM organisation") + dd')).toHaveText('Demo Corp (US)');
  await screenshot(page, 'labels-details');

  await expectSearch(page, 'leaver 2026', [US_USER.email]);
  await expectSearch(page, 'CAFÉ TEAM', [US_USER.email]);
  await expectSearch(page, 'demo corp', [US_USER.email]);
  await expectSearch(page, 'demo gmbh', []);
  await expectSearch(page, '', [EU_USER.email, US_USER.email].sort());

  // Kept in the store (not only in this window), and each change is in the audit log.
  await app.restart();
  await app.call('unlockStore', { passphrase: PASSPHRASE });
  await app.open();
  await expect(cell(rowFor(app.page, US_USER.email), 'user')).toContainText('Leaver 2026-11');
  const audit = await app.call('listAudit', { action: 'label' });
  expect(audit.map((e) => e.detail)).toEqual([
    'Label set to “Leaver 2026-11”; note changed (55 characters).',
    expect.stringMatching(/^Client .+ named “Website forms integration”\.$/),
  ]);
});

test('a control character in a label is refused with its reason; bidi marks are shown escaped', async ({
  app,
}) => {
  await app.grantAccount(US_USER.email);
  const [token] = await app.storedTokens();
  // A label set by another window (or the CLI) with a right-to-left override: the list shows it safely.
  await app.call('setTokenLabel', { id: token?.id ?? '', label: 'evil\u202Egnp.exe', note: '' });
  await app.open();
  const row = rowFor(app.page, US_USER.email);
  await expect(cell(row, 'user')).toContainText('evil');
  await expect(cell(row, 'user')).not.toContainText('evil\u202Egnp.exe');

  const refused = await app.invoke('setTokenLabel', { id: token?.id ?? '', label: 'bell\u0007', note: '' });
  expect(refused).toMatchObject({
    ok: false,
    error: {
      code: 'INVALID_LABEL',
      message: 'A label must be one line without control characters (found U+0007).',
    },
  });
  expect((await app.call('listAudit', { action: 'label' })).length).toBe(1);
});
