import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, screenshot, test } from './harness/fixtures';
import { EU_USER, US_USER } from './harness/harness';
import { openAddAccount, openDetails, rowFor } from './harness/ui';

/**
 * The main screens in a 900x600 window, for the README (`UPDATE_SCREENSHOTS=1` writes them to
 * docs/screenshots/ as `screen-900-*.png`): tokens, details, Add account, the audit log, Settings and
 * Sources. Each screen's main control must be inside the window, so a screenshot never hides a layout
 * that broke.
 */
async function expectInWindow(page: Page, target: Locator, what: string): Promise<void> {
  await expect(target, what).toBeVisible();
  const box = await target.boundingBox();
  const view = page.viewportSize();
  if (!box || !view) throw new Error(`${what}: no box`);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(view.width);
  expect(box.y + box.height, `${what}: bottom edge`).toBeLessThanOrEqual(view.height);
}

test('the main screens at 900x600', async ({ app }) => {
  const page = app.page;
  await page.setViewportSize({ width: 900, height: 600 });
  const us = await app.grantAccount(US_USER.email);
  const eu = await app.grantAccount(EU_USER.email, 'EU');
  await app.call('setClientName', { clientId: us.clientId ?? '', name: 'Website forms integration' });
  await app.call('setTokenLabel', { id: us.id, label: 'website forms', note: 'Owned by the web team.' });
  await app.call('setTokenLabel', {
    id: eu.id,
    label: 'leaver 2026-11',
    note: 'Revoke after the hand-over.',
  });
  await app.call('testToken', { id: us.id });
  const sourceDir = mkdtempSync(join(tmpdir(), 'tokendesk-screens-'));
  try {
    const file = join(sourceDir, 'sdk_tokens.txt');
    writeFileSync(
      file,
      'id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain\n',
    );
    await app.call('addSource', { settings: { kind: 'filestore', path: file } });
    await app.open();

    await expect(rowFor(page, US_USER.email)).toHaveCount(1);
    await expectInWindow(page, page.getByRole('button', { name: 'Add account' }).first(), 'Add account');
    await screenshot(page, 'screen-900-tokens');

    const details = await openDetails(page, US_USER.email);
    await expectInWindow(page, details.getByRole('button', { name: 'Close details' }), 'Close details');
    // The sheet scrolls: its names and notes, below the actions, are shown, the label field focused.
    // The window's main area scrolls too (the notices above the table take its top).
    await details.getByLabel('Label', { exact: true }).focus();
    await page.locator('main').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await details.getByTestId('token-labels-save').scrollIntoViewIfNeeded();
    await expectInWindow(page, details.getByTestId('token-labels-save'), 'Save names');
    await screenshot(page, 'screen-900-details');
    await details.getByRole('button', { name: 'Close details' }).click();
    await page.locator('main').evaluate((el) => el.scrollTo({ top: 0 }));

    const dialog = await openAddAccount(page);
    await expectInWindow(page, dialog.getByTestId('add-account-submit'), 'Sign in with browser');
    await screenshot(page, 'screen-900-add-account');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    await page.getByTestId('nav-audit').click();
    await expect(page.getByTestId('audit-row').first()).toBeVisible();
    await expectInWindow(page, page.getByRole('button', { name: 'Export CSV' }), 'Export CSV');
    await screenshot(page, 'screen-900-audit');

    await page.getByTestId('nav-settings').click();
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await screenshot(page, 'screen-900-settings');

    await page.getByTestId('nav-sources').click();
    await expect(page.getByText('sdk_tokens.txt').first()).toBeVisible();
    await screenshot(page, 'screen-900-sources');
  } finally {
    rmSync(sourceDir, { recursive: true, force: true });
  }
});
