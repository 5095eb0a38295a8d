import { expect, test } from './harness/fixtures';

/** Wording and layout details a person notices at once: a message said once, a header that stays put. */

test.describe('first run', () => {
  test.use({ harnessOptions: { setup: 'none' } });

  test('a too-short passphrase is told once, and the message goes when the passphrase changes', async ({
    app,
  }) => {
    await app.open();
    const firstRun = app.page.getByTestId('first-run');
    await expect(firstRun).toBeVisible();
    await app.page.getByTestId('passphrase-new').fill('short');
    await app.page.getByTestId('passphrase-confirm').fill('short');
    await app.page.getByTestId('setup-submit').click();
    await expect(firstRun.getByText('Use at least 8 characters')).toHaveCount(1);
    await expect(firstRun.getByText('Too short.')).toBeVisible();
    // Nothing was set up: the store is still uninitialised.
    expect((await app.call('getStatus', {})).store).toBe('uninitialised');

    await app.page.getByTestId('passphrase-new').fill('a much longer passphrase');
    await expect(firstRun.getByText('Use at least 8 characters')).toHaveCount(0);
  });
});

test.describe('header', () => {
  test.use({ harnessOptions: { demo: false } });

  test('the Demo badge never moves the navigation, and stays in an 800 px window', async ({ app }) => {
    await app.page.setViewportSize({ width: 800, height: 600 });
    await app.open();
    const badge = app.page.getByTestId('demo-badge');
    await expect(badge).toHaveText('Demo mode · simulator off');
    const nav = app.page.getByRole('navigation', { name: 'Main' });
    const before = await nav.boundingBox();

    await app.page.getByTestId('start-demo').click();
    await expect(badge).toHaveText('Demo mode');
    const after = await nav.boundingBox();
    expect(after?.x).toBe(before?.x);
    expect(after?.width).toBe(before?.width);

    for (const target of [badge, app.page.getByTestId('nav-settings')]) {
      const box = await target.boundingBox();
      expect(box).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(800);
    }
  });
});
