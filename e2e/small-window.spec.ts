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
    for (const button of await details.getByRole('button').all()) {
      if (!(await button.isVisible())) continue;
      await expectInView(page, button, `details: ${await button.textContent()}`);
      const box = await button.boundingBox();
      if (toastBox && box)
        expect(overlaps(toastBox, box), `toast over "${await button.textContent()}"`).toBe(false);
    }
  });
}
