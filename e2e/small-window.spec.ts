import type { Locator, Page } from '@playwright/test';
import { expect, screenshot, test } from './harness/fixtures';
import { EU_USER, US_USER } from './harness/harness';
import { openAddAccount, openDetails, rowFor, toast } from './harness/ui';

/**
 * The console from 800x600 up: every button a person needs is inside the window without scrolling the
 * page sideways (the table folds its low-priority columns, dialogs scroll their body under a fixed
 * footer, long names wrap or cut), and a toast never covers the details panel's actions.
 */
const LONG_EMAIL = `integration.service.account.for.website.forms@${'subsidiary-'.repeat(3)}example.com`;

async function expectInView(page: Page, target: Locator, what: string) {
  await expect(target, what).toBeVisible();
  const box = await target.boundingBox();
  const view = page.viewportSize();
  expect(box, what).not.toBeNull();
  expect(view).not.toBeNull();
  if (!box || !view) return;
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.y, `${what}: top edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(view.width);
  expect(box.y + box.height, `${what}: bottom edge`).toBeLessThanOrEqual(view.height);
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

for (const size of [
  { width: 800, height: 600 },
  { width: 900, height: 600 },
]) {
  test(`at ${size.width}x${size.height} the key buttons are inside the window`, async ({ app }) => {
    await app.page.setViewportSize(size);
    await app.grantAccount(LONG_EMAIL);
    await app.grantAccount(EU_USER.email, 'EU');
    await app.grantAccount(US_USER.email);
    await app.open();
    const page = app.page;
    await expect(rowFor(page, US_USER.email)).toHaveCount(1);
    await screenshot(page, `small-${size.width}-tokens`);

    await expectInView(page, page.getByRole('button', { name: 'Add account' }).first(), 'Add account');
    await expectInView(
      page,
      rowFor(page, US_USER.email).getByRole('button', { name: /actions/i }),
      'the row actions button',
    );
    const guide = page.getByTestId('demo-guide');
    if (await guide.isVisible()) {
      for (const button of await guide.getByRole('button').all()) {
        await expectInView(page, button, `demo guide: ${await button.textContent()}`);
      }
    }

    // The Add account dialog: its footer buttons stay in view; its body scrolls.
    const dialog = await openAddAccount(page);
    await screenshot(page, `small-${size.width}-add-account`);
    const footerButtons = dialog.locator('.dialog__footer button, .dialog__actions button');
    expect(await footerButtons.count()).toBeGreaterThan(0);
    for (const button of await footerButtons.all()) {
      await expectInView(page, button, `Add account dialog: ${await button.textContent()}`);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // The details panel with a toast up: the toast covers none of the panel's actions.
    const details = await openDetails(page, US_USER.email);
    await details.getByRole('button', { name: 'Test CRM call' }).click();
    const shown = toast(page, /CRM call/);
    await expect(shown).toBeVisible();
    await screenshot(page, `small-${size.width}-details-toast`);
    const toastBox = await shown.boundingBox();
    // The panel's heading and actions; the names form and the properties below them scroll in the sheet.
    for (const button of await details.locator('.details__head button, .details__actions button').all()) {
      if (!(await button.isVisible())) continue;
      await expectInView(page, button, `details: ${await button.textContent()}`);
      const box = await button.boundingBox();
      if (toastBox && box)
        expect(overlaps(toastBox, box), `toast over "${await button.textContent()}"`).toBe(false);
    }
  });
}

test('at 800x600 every dialog keeps its buttons in view while its body scrolls', async ({ app }) => {
  await app.page.setViewportSize({ width: 800, height: 600 });
  await app.seedTokens(30);
  await app.open();
  const page = app.page;
  await expect(page.getByTestId('token-row').first()).toBeVisible();

  // Delete one token: a short question, its buttons in view.
  await page
    .getByTestId('token-row')
    .first()
    .getByRole('button', { name: /actions/i })
    .click();
  await page.getByRole('menuitem', { name: /Delete/ }).click();
  const deleting = page.getByTestId('delete-dialog');
  await expect(deleting).toBeVisible();
  for (const button of await deleting.locator('.dialog__footer button').all()) {
    await expectInView(page, button, `delete dialog: ${await button.textContent()}`);
  }
  await page.keyboard.press('Escape');
  await expect(deleting).toBeHidden();

  // Clear all, not revoking: the report lists 30 tokens, far taller than the window.
  await page.getByRole('button', { name: 'Clear all' }).click();
  const clearing = page.getByTestId('clear-all-dialog');
  await clearing.getByRole('checkbox', { name: 'Also revoke each token at Zoho' }).click();
  await clearing.getByRole('textbox', { name: /To confirm, type/ }).fill('30');
  await clearing.getByRole('button', { name: 'Delete 30 tokens' }).click();
  const report = clearing.getByTestId('clear-all-report');
  await expect(report).toBeVisible();
  const done = clearing.getByRole('button', { name: 'Done' });
  await expectInView(page, done, 'clear-all report: Done');
  const last = report.getByTestId('clear-outcome').last();
  await last.scrollIntoViewIfNeeded();
  await expectInView(page, last, 'clear-all report: the last outcome, scrolled to');
  await expectInView(page, done, 'clear-all report: Done, after scrolling the body');
  await expectInView(page, clearing.getByRole('heading', { name: 'Clear all: finished' }), 'the title');
  await screenshot(page, 'small-800-clear-all-report');
  await done.click();
  await expect(clearing).toBeHidden();
});
