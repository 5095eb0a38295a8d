import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { emailOfUserName } from '../src/main/store/sdk-user-name';
import { expect, screenshot, test } from './harness/fixtures';
import { EU_USER } from './harness/harness';
import { rowFor, toast, tokenRows } from './harness/ui';

const US_USERS = ['ana@bulk.example.com', 'ben@bulk.example.com', 'cy@bulk.example.com'];

/** Presses Tab (at most 40 times) until `target` has focus: the keyboard way to get anywhere. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const focused = await target.evaluate(
      (el) =>
        el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement,
    );
    if (focused) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

async function downloaded(page: Page, start: () => Promise<void>): Promise<string> {
  const download = page.waitForEvent('download');
  await start();
  return readFile(await (await download).path(), 'utf8');
}

/**
 * Bulk actions (docs/health.md): choose tokens with the boxes (click, Shift-click, the header's box), revoke
 * and delete them in one go, and read one outcome per token. EU's revoke fails at Zoho: that token is kept,
 * listed as "Revoke failed, kept: retry" (docs/failure-outcomes.md), and its Retry finishes the job.
 */
test('revoke and delete the chosen tokens: one report, a failed revoke kept with Retry, CSV without secrets', async ({
  app,
}) => {
  for (const user of US_USERS) await app.grantAccount(user, 'US');
  await app.grantAccount(EU_USER.email);
  const stored = await app.storedTokens();
  await app.open();
  const page = app.page;
  await expect(tokenRows(page)).toHaveCount(4);

  // Click one box, Shift-click another: the range between them. The header's box then takes all shown.
  const boxes = page.getByTestId('token-row-select');
  await page.locator('[aria-rowindex="2"]').getByTestId('token-row-select').click();
  await page
    .locator('[aria-rowindex="4"]')
    .getByTestId('token-row-select')
    .click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('bulk-count')).toHaveText(/^3 selected/);
  await expect(boxes.and(page.locator(':checked'))).toHaveCount(3);
  await page.getByTestId('token-select-all').check();
  await expect(page.getByTestId('bulk-count')).toHaveText(/^4 selected/);
  // Leave Cy out: his token must survive untouched.
  await rowFor(page, US_USERS[2] ?? '')
    .getByTestId('token-row-select')
    .click();
  await expect(page.getByTestId('bulk-count')).toHaveText(/^3 selected/);
  await expect(page.getByTestId('token-select-all')).toHaveJSProperty('indeterminate', true);
  // A box chooses; it does not open the details.
  await expect(page.getByTestId('token-details')).toHaveCount(0);
  await screenshot(page, 'bulk-selected');

  await page.getByTestId('bulk-delete').click();
  const dialog = page.getByTestId('token-job-dialog');
  await expect(dialog.getByRole('heading', { name: 'Delete 3 tokens?' })).toBeVisible();
  await expect(dialog.getByRole('checkbox', { name: 'Also revoke each token at Zoho' })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: /Delete even when the revoke fails/ })).not.toBeChecked();
  app.sim.injectFault({ kind: 'revoke', fault: '5xx', dataCenter: 'EU', times: 1 });
  await dialog.getByRole('button', { name: 'Revoke and delete 3 tokens' }).click();

  const report = dialog.getByTestId('token-job-report');
  await expect(report).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Delete: finished' })).toBeVisible();
  const outcomes = report.getByTestId('token-job-outcome');
  await expect(outcomes).toHaveCount(3);
  const kept = outcomes.and(page.locator('[data-state="kept"]'));
  await expect(kept).toHaveCount(1);
  await expect(kept).toContainText(EU_USER.email);
  await expect(kept).toContainText('Revoke failed, kept: retry');
  await expect(kept).toContainText('may still work at Zoho');
  for (const user of US_USERS.slice(0, 2)) {
    await expect(outcomes.filter({ hasText: user })).toContainText('Revoked at Zoho, deleted');
  }
  await screenshot(page, 'bulk-delete-report');

  // True at Zoho and on disk: EU is stored and still works; Ana and Ben are gone at both; Cy untouched.
  const byEmail = new Map(stored.map((t) => [emailOfUserName(t.userName ?? ''), t]));
  expect(app.sim.isRefreshTokenActive(byEmail.get(EU_USER.email)?.refreshToken ?? '')).toBe(true);
  expect(app.sim.isRefreshTokenActive(byEmail.get(US_USERS[0] ?? '')?.refreshToken ?? '')).toBe(false);
  expect(app.sim.isRefreshTokenActive(byEmail.get(US_USERS[2] ?? '')?.refreshToken ?? '')).toBe(true);
  expect((await app.storedTokens()).map((t) => emailOfUserName(t.userName ?? '')).sort()).toEqual(
    [EU_USER.email, US_USERS[2]].sort(),
  );

  // The report as CSV: the same words, no secret.
  const csv = await downloaded(page, () =>
    report.getByRole('button', { name: 'Download report (CSV)' }).click(),
  );
  expect(csv.split('\r\n')[0]).toBe('user,token_id,action,outcome,result,detail');
  expect(csv).toContain(`${EU_USER.email},`);
  expect(csv).toContain('Revoke failed, kept: retry');
  for (const t of stored) {
    for (const secret of [t.refreshToken, t.accessToken, t.clientSecret])
      if (secret) expect(csv).not.toContain(secret);
  }

  // Zoho answers now: Retry revokes and deletes it, and its line says so.
  await kept.getByRole('button', { name: /Retry/ }).click();
  await expect(outcomes.filter({ hasText: EU_USER.email })).toContainText('Revoked at Zoho and deleted');
  await report.getByRole('button', { name: 'Done' }).click();
  await expect(tokenRows(page)).toHaveCount(1);
  await expect(page.getByTestId('bulk-bar')).toHaveCount(0);
  const audit = await app.call('listAudit', { action: 'delete' });
  expect(audit.map((e) => e.detail)).toContain(
    'Delete of 3 selected tokens, partly done: 2 done, 0 failed, 1 kept because the revoke failed, 0 skipped.',
  );
});

/**
 * Every new action by keyboard alone: Check all (its report leads to the needs-attention filter), select
 * with Shift+Space and Ctrl+A, bulk test, refresh, CSV export, and revoke and delete.
 */
test('keyboard only: Check all, needs attention, select, test, refresh, export and delete', async ({
  app,
}) => {
  await app.grantAccount(US_USERS[0], 'US');
  await app.grantAccount(US_USERS[1], 'US');
  const stored = await app.storedTokens();
  const ben = stored.find((t) => emailOfUserName(t.userName ?? '') === US_USERS[1]);
  // Ben's token is revoked elsewhere (its access token dies with it): the check finds it.
  const revokeUrl = new URL('/oauth/v2/token/revoke', app.sim.dataCenter('US').accountsUrl);
  revokeUrl.searchParams.set('token', ben?.refreshToken ?? '');
  expect((await fetch(revokeUrl, { method: 'POST' })).ok).toBe(true);
  await app.open();
  const page = app.page;
  await expect(tokenRows(page)).toHaveCount(2);

  await page.keyboard.press('/');
  await expect(page.getByTestId('token-search')).toBeFocused();
  await tabTo(page, page.getByTestId('check-all'));
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('token-job-dialog');
  const report = dialog.getByTestId('token-job-report');
  await expect(report).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Check all: finished' })).toBeVisible();
  await expect(report.getByTestId('token-job-outcome').filter({ hasText: US_USERS[1] })).toContainText(
    'Needs re-authorisation',
  );
  await expect(report.getByTestId('token-job-outcome').filter({ hasText: US_USERS[0] })).toContainText(
    'CRM call worked',
  );
  // Focus is on Done; the attention filter is one Tab back (Shift+Tab).
  await expect(report.getByRole('button', { name: 'Done' })).toBeFocused();
  await screenshot(page, 'check-all-report');
  await tabTo(page, report.getByRole('button', { name: 'Show tokens needing attention' }));
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(tokenRows(page)).toHaveCount(1);
  await expect(rowFor(page, US_USERS[1] ?? '')).toHaveAttribute('data-status', 'reauth');
  const attention = page.getByTestId('show-attention');
  await expect(attention).toHaveAttribute('aria-pressed', 'true');
  await tabTo(page, attention);
  await page.keyboard.press('Enter');
  await expect(tokenRows(page)).toHaveCount(2);

  // Select: Shift+Space on a row, then Ctrl+A (all shown; again: none; again: all).
  const firstRow = page.locator('[data-testid="token-row"][tabindex="0"]');
  await tabTo(page, firstRow);
  await page.keyboard.press('Shift+Space');
  await expect(page.getByTestId('bulk-count')).toHaveText(/^1 selected/);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+Space');
  await expect(page.getByTestId('bulk-count')).toHaveText(/^2 selected/);
  await page.keyboard.press('Control+A');
  await expect(page.getByTestId('bulk-bar')).toHaveCount(0);
  await page.keyboard.press('Control+A');
  await expect(page.getByTestId('bulk-count')).toHaveText(/^2 selected/);

  // Test the chosen ones; Enter on Done closes the report.
  await tabTo(page, page.getByTestId('bulk-test'));
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('heading', { name: 'Test: finished' })).toBeVisible();
  await expect(report.getByTestId('token-job-outcome').and(page.locator('[data-state="done"]'))).toHaveCount(
    1,
  );
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();

  // Refresh: Ana's works, Ben's says what Zoho said.
  const refreshes = app.sim.stats.tokenRequests.refresh_token;
  await tabTo(page, page.getByTestId('bulk-refresh'));
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('heading', { name: 'Refresh: finished' })).toBeVisible();
  await expect(report.getByTestId('token-job-outcome').filter({ hasText: US_USERS[0] })).toContainText(
    'Refreshed',
  );
  await expect(report.getByTestId('token-job-outcome').filter({ hasText: US_USERS[1] })).toContainText(
    'Needs re-authorisation',
  );
  expect(app.sim.stats.tokenRequests.refresh_token - refreshes).toBe(2);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Export the chosen ones as CSV: names and status, no secret.
  await tabTo(page, page.getByTestId('bulk-export'));
  const csv = await downloaded(page, () => page.keyboard.press('Enter'));
  await expect(toast(page, 'Exported 2 tokens (no secrets)')).toBeVisible();
  expect(csv.split('\r\n')[0]).toMatch(/^user,data_center,environment,client_id,status,/);
  expect(csv).toContain(`${US_USERS[1]},US,production,`);
  for (const t of await app.storedTokens()) {
    for (const secret of [t.refreshToken, t.accessToken, t.clientSecret])
      if (secret) expect(csv).not.toContain(secret);
  }

  // Revoke and delete: the dialog's focus starts on its confirm button.
  await tabTo(page, page.getByTestId('bulk-delete'));
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('button', { name: 'Revoke and delete 2 tokens' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('heading', { name: 'Delete: finished' })).toBeVisible();
  // Ben's token was already dead at Zoho: "already cut", deleted; Ana's revoked and deleted.
  await expect(report.getByTestId('token-job-outcome').filter({ hasText: US_USERS[1] })).toContainText(
    'Access already cut at Zoho, deleted',
  );
  await page.keyboard.press('Enter');
  await expect(tokenRows(page)).toHaveCount(0);
  expect(await app.storedTokens()).toHaveLength(0);
});
