import { expect, screenshot, test } from './harness/fixtures';

/**
 * Smoke: the built renderer starts against the real core through the harness bridge, asks for the
 * store's first-run setup, and, once set up, shows the console in demo mode.
 */
test.describe('first run', () => {
  test.use({ harnessOptions: { setup: 'none' } });

  test('the app opens on the first-run screen', async ({ appPage }) => {
    await expect(appPage.getByRole('heading', { name: 'Set up TokenDesk' })).toBeVisible();
    await screenshot(appPage, 'first-run');
  });
});

test('with a store set up, the console opens on the tokens page in demo mode', async ({ app }) => {
  await app.open();
  await expect(app.page.getByTestId('demo-badge')).toBeVisible();
  await expect(app.page.getByRole('button', { name: 'Add account' }).first()).toBeVisible();
  await screenshot(app.page, 'console-empty');
});
