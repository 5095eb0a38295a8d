import { emailOfUserName } from '../src/main/store/sdk-user-name';
import { PROGRESS_INTERVAL_MS } from '../src/main/tokens/token-removal';
import { expect, screenshot, test } from './harness/fixtures';
import { EU_USER } from './harness/harness';
import { tokenRows } from './harness/ui';

const US_USERS = ['ana@clear.example.com', 'ben@clear.example.com', 'cy@clear.example.com'];

/**
 * Clear all: the person types the count they see, watches progress (`tokens.clearProgress`), then reads
 * the outcome per token. One revoke fails at Zoho (EU answers 500); with "delete even when the revoke
 * fails" off (the default), that token is kept, listed as "revoke failed, kept: retry", and its Retry
 * revokes and deletes it once Zoho answers.
 */
test('clear all with the typed confirmation shows count, progress and per-token outcome', async ({ app }) => {
  for (const user of US_USERS) await app.grantAccount(user, 'US');
  await app.grantAccount(EU_USER.email);
  const stored = await app.storedTokens();
  expect(stored).toHaveLength(4);

  await app.open();
  await expect(tokenRows(app.page)).toHaveCount(4);
  await app.page.getByRole('button', { name: 'Clear all' }).click();
  const dialog = app.page.getByTestId('clear-all-dialog');
  await expect(dialog.getByRole('heading', { name: 'Delete all 4 tokens?' })).toBeVisible();

  const confirm = dialog.getByRole('button', { name: 'Delete 4 tokens' });
  const typed = dialog.getByRole('textbox', { name: /To confirm, type/ });
  // Off by default: a token whose revoke fails is the only copy of a refresh token that may still work.
  await expect(dialog.getByRole('checkbox', { name: /Delete even when the revoke fails/ })).not.toBeChecked();
  await typed.fill('3');
  await expect(confirm).toBeDisabled();
  await typed.fill('delete 4 tokens');
  await expect(confirm).toBeEnabled();
  await screenshot(app.page, 'clear-all-confirm');

  // The three US revokes are held at Zoho (they run concurrently) until the test lets them go, so the run
  // can be watched part-way on any machine; EU's revoke fails at once.
  app.sim.injectFault({ kind: 'revoke', fault: 'hold', dataCenter: 'US', times: 3 });
  app.sim.injectFault({ kind: 'revoke', fault: '5xx', dataCenter: 'EU', times: 1 });
  await confirm.click();

  const progress = dialog.getByRole('progressbar', { name: 'Clearing tokens' });
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('aria-valuemax', '4');
  await expect.poll(() => app.sim.heldRequests).toBe(3);
  // Progress is reported at most once per PROGRESS_INTERVAL_MS (the first report, 0 of 4, went out before
  // any revoke). Once that long has passed, the token released next is reported unless EU's failure was
  // reported just before it; either way the page shows 1 or 2 of 4 until the rest are released. The wait
  // is a lower bound on elapsed time, so a slower machine only makes it truer.
  await app.page.waitForTimeout(PROGRESS_INTERVAL_MS);
  app.sim.releaseHeld(1);
  await expect(progress).toHaveAttribute('aria-valuenow', /^[12]$/);
  await screenshot(app.page, 'clear-all-progress');
  app.sim.releaseHeld();

  const report = dialog.getByTestId('clear-all-report');
  await expect(report).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Clear all: finished' })).toBeVisible();
  await expect(report.getByText(/3\s*deleted/)).toBeVisible();
  const outcomes = report.getByTestId('clear-outcome');
  await expect(outcomes).toHaveCount(4);
  await expect(outcomes.and(app.page.locator('[data-state="revoked"]'))).toHaveCount(3);
  const failed = outcomes.and(app.page.locator('[data-state="failed"]'));
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText(EU_USER.email);
  await expect(failed).toContainText('Revoke failed, kept: retry');
  for (const user of US_USERS) await expect(outcomes.filter({ hasText: user })).toContainText('deleted');
  await screenshot(app.page, 'clear-all-report');

  // The events the page got: progress up to 4 of 4.
  const last = app.events.filter((e) => e.event === 'tokens.clearProgress').at(-1);
  expect(last?.payload).toEqual({ done: 4, total: 4 });
  // True at Zoho and on disk: the EU token still works, and it is still stored.
  const eu = stored.find((t) => emailOfUserName(t.userName ?? '') === EU_USER.email);
  expect(app.sim.isRefreshTokenActive(eu?.refreshToken ?? '')).toBe(true);
  expect((await app.storedTokens()).map((t) => emailOfUserName(t.userName ?? ''))).toEqual([EU_USER.email]);

  // Zoho answers now: Retry revokes and deletes it, and the row says so.
  await failed.getByRole('button', { name: 'Retry' }).click();
  await expect(outcomes.filter({ hasText: EU_USER.email })).toContainText('Revoked at Zoho, deleted');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(tokenRows(app.page)).toHaveCount(0);
  expect(await app.storedTokens()).toHaveLength(0);
  for (const token of stored) {
    expect(app.sim.isRefreshTokenActive(token.refreshToken ?? ''), token.userName ?? '').toBe(false);
  }
});
