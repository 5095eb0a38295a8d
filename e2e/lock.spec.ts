import { expect, test } from './harness/fixtures';
import { PASSPHRASE, US_USER } from './harness/harness';
import { rowFor } from './harness/ui';

/**
 * Lock (docs/store-lifecycle.md "Lock"): the status chip and Ctrl+L lock the store, the unlock screen
 * replaces the console and the list comes back with the passphrase; after the auto-lock time without
 * activity the store locks by itself. Each lock is in the audit log, with its reason.
 */

async function unlock(page: import('@playwright/test').Page): Promise<void> {
  const field = page.getByLabel('Passphrase', { exact: true });
  await field.fill(PASSPHRASE);
  await field.press('Enter');
}

test('Lock now by the status chip and by Ctrl+L; unlocking brings the list back', async ({ app }) => {
  await app.grantAccount(US_USER.email);
  await app.open();
  const page = app.page;
  await expect(rowFor(page, US_USER.email)).toHaveCount(1);

  // The chip is a button that says what it does.
  const chip = page.getByRole('button', { name: /Lock now/ });
  await expect(chip).toHaveAttribute('data-testid', 'lock-state');
  await chip.click();
  await expect(page.getByRole('heading', { name: 'TokenDesk is locked' })).toBeVisible();
  await expect(page.getByTestId('locked-by')).toHaveText('You locked TokenDesk.');
  await expect(rowFor(page, US_USER.email)).toHaveCount(0);
  // Main refuses the list as well, not only the window that hides it.
  expect(await app.invoke('listTokens', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });

  await unlock(page);
  await expect(rowFor(page, US_USER.email)).toHaveCount(1);

  // Keyboard only: Ctrl+L from the page (focus in the search box: it works while typing too).
  await page.keyboard.press('/');
  await expect(page.locator('input:focus')).toHaveCount(1);
  await page.keyboard.press('Control+L');
  await expect(page.getByRole('heading', { name: 'TokenDesk is locked' })).toBeVisible();
  await expect(page.getByLabel('Passphrase', { exact: true })).toBeFocused();
  await unlock(page);
  await expect(rowFor(page, US_USER.email)).toHaveCount(1);

  const locks = await app.call('listAudit', { action: 'lock' });
  expect(locks.map((e) => e.detail)).toEqual(['Locked by the user.', 'Locked by the user.']);
});

test('the shortcuts help lists Ctrl+L', async ({ app }) => {
  await app.open();
  await app.page.getByTestId('shortcuts-help').focus();
  await expect(app.page.getByRole('tooltip')).toContainText('Lock now');
});

test('auto-lock: with no activity for the idle time the store locks itself', async ({ app }) => {
  await app.grantAccount(US_USER.email);
  await app.open();
  const page = app.page;
  await expect(rowFor(page, US_USER.email)).toHaveCount(1);

  // A short idle time, set through IPC as the Settings page would; nobody touches the window after it.
  await app.call('updateSettings', { autoLockSeconds: 2 });
  await expect(page.getByRole('heading', { name: 'TokenDesk is locked' })).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('locked-by')).toContainText('after a while without use');
  expect(app.events.filter((e) => e.event === 'store.locked').map((e) => e.payload)).toEqual([
    { reason: 'idle' },
  ]);

  // Back to a long idle time, so the list does not lock again while it is checked.
  await app.call('updateSettings', { autoLockSeconds: 900 });
  await unlock(page);
  await expect(rowFor(page, US_USER.email)).toHaveCount(1);
  const locks = await app.call('listAudit', { action: 'lock' });
  expect(locks.map((e) => e.detail)).toEqual(['Locked after no activity for the auto-lock time.']);
});

test('the auto-lock setting is on the Settings page and saved', async ({ app }) => {
  await app.open();
  const page = app.page;
  await page.getByTestId('nav-settings').click();
  const select = page.getByTestId('settings-auto-lock');
  await expect(select).toContainText('After 15 minutes');
  await select.click();
  await page.getByRole('option', { name: 'After 5 minutes' }).click();
  await page.getByTestId('settings-save').click();
  await expect.poll(async () => (await app.call('getSettings', {})).autoLockSeconds).toBe(300);
});
