import { expect, screenshot, test } from './harness/fixtures';
import { US_USER } from './harness/harness';
import {
  addAccountWithBrowser,
  answerConsent,
  cell,
  openDetails,
  prop,
  rowFor,
  toast,
  tokenRows,
} from './harness/ui';

/**
 * One token through its life in the console: the list's live countdown, a CRM test call, refresh now,
 * copy the access token, and re-authorise (consent again, the same row).
 */
test('the list counts down; test call, refresh now, copy and re-authorise work on the same row', async ({
  app,
}) => {
  await app.open();
  await addAccountWithBrowser(app, { userEmail: US_USER.email });
  const row = rowFor(app.page, US_USER.email);
  await expect(row).toHaveCount(1);
  const rowId = await row.getAttribute('data-token-id');

  // The countdown moves: read it, then wait (auto-retrying) until it shows something else.
  const countdown = row.locator('.countdown__left');
  await expect(countdown).toHaveText(/\d/);
  const first = (await countdown.textContent()) ?? '';
  await expect(countdown).not.toHaveText(first);

  // Test call: status, latency, user and organisation from Zoho's CurrentUser/org endpoints.
  const details = await openDetails(app.page, US_USER.email);
  const crmBefore = app.sim.stats.crmRequests;
  await details.getByRole('button', { name: 'Test CRM call' }).click();
  const lastTest = details.getByTestId('details-last-test');
  await expect(prop(lastTest, 'HTTP status')).toHaveText('200');
  await expect(prop(lastTest, 'Latency')).toHaveText(/\d+(\.\d+)?\s*(ms|s)/);
  await expect(prop(lastTest, 'User')).toContainText(US_USER.email);
  await expect(prop(lastTest, 'User')).toContainText(US_USER.fullName);
  await expect(prop(lastTest, 'Organisation')).toContainText(US_USER.orgName);
  await expect(prop(lastTest, 'Result')).toContainText('Passed');
  expect(app.sim.stats.crmRequests).toBeGreaterThan(crmBefore);
  await expect(cell(row, 'lastTest')).toContainText('200');
  await lastTest.scrollIntoViewIfNeeded();
  await screenshot(app.page, 'token-test-call');

  // Refresh now: Zoho is asked once, and a new access token (another preview) is shown.
  const accessBefore = await prop(details, 'Access token').textContent();
  const refreshesBefore = app.sim.stats.tokenRequests.refresh_token;
  await details.getByRole('button', { name: 'Refresh now' }).click();
  await expect(prop(details, 'Access token')).not.toHaveText(accessBefore ?? '');
  await expect(prop(details, 'Last refreshed')).not.toHaveText(/never|—/i);
  expect(app.sim.stats.tokenRequests.refresh_token).toBe(refreshesBefore + 1);
  await expect(toast(app.page, `Refreshed ${US_USER.email}`)).toBeVisible();

  // Copy access token: main writes the real token to the clipboard; the page only ever sees a preview.
  await details.getByRole('button', { name: 'Copy access token' }).click();
  await expect.poll(() => app.clipboard.writes.length).toBe(1);
  const [stored] = await app.storedTokens();
  expect(app.clipboard.writes[0]).toBe(stored?.accessToken);
  await expect(app.page.getByText(stored?.accessToken ?? '-')).toHaveCount(0);

  // Re-authorise: consent again as the same user; the same row gets a new refresh token.
  const refreshPreviewBefore = await prop(details, 'Refresh token').textContent();
  await details.getByRole('button', { name: 'Re-authorise' }).click();
  const dialog = app.page.getByTestId('reauthorise-dialog');
  await expect(dialog).toBeVisible();
  await screenshot(app.page, 'token-reauthorise-waiting');
  await answerConsent(app, 'accept', US_USER.email);
  await expect(dialog).toBeHidden();
  await expect(toast(app.page, `Re-authorised ${US_USER.email}`)).toBeVisible();
  await expect(tokenRows(app.page)).toHaveCount(1);
  await expect(rowFor(app.page, US_USER.email)).toHaveAttribute('data-token-id', rowId ?? '');
  await expect(prop(details, 'Refresh token')).not.toHaveText(refreshPreviewBefore ?? '');
  const [after] = await app.storedTokens();
  expect(after?.id).toBe(rowId);
  expect(after?.refreshToken).not.toBe(stored?.refreshToken);
  expect(app.sim.isRefreshTokenActive(after?.refreshToken ?? '')).toBe(true);
});
