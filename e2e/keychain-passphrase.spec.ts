import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './harness/fixtures';

/**
 * Settings > Security on a keychain store: add a passphrase (so the tokendesk command can open the store),
 * then remove it, by keyboard alone. What the page says is checked against the status main reports.
 */
test.use({ harnessOptions: { setup: 'keychain' } });

test('add and remove the passphrase of a keychain store, keyboard only', async ({ app }) => {
  await app.open();
  const page = app.page;
  await page.getByRole('button', { name: 'Settings', exact: true }).focus();
  await page.keyboard.press('Enter');
  const section = page.getByTestId('keychain-passphrase');
  await expect(section).toContainText('The tokendesk command cannot use the keychain');
  const axe = await new AxeBuilder({ page }).include('[data-testid="keychain-passphrase"]').analyze();
  expect(axe.violations.filter((v) => ['moderate', 'serious', 'critical'].includes(v.impact ?? ''))).toEqual(
    [],
  );

  // A mismatch is refused on the page and nothing is sent.
  await section.getByLabel('New passphrase').focus();
  await page.keyboard.type('a passphrase for the command line');
  await page.keyboard.press('Tab');
  await page.keyboard.type('a different passphrase entirely');
  await page.keyboard.press('Enter');
  await expect(section).toContainText('The two passphrases do not match.');
  expect((await app.call('getStatus', {})).alsoPassphrase).toBe(false);

  await section.getByLabel('Confirm passphrase').fill('');
  await section.getByLabel('Confirm passphrase').focus();
  await page.keyboard.type('a passphrase for the command line');
  await page.keyboard.press('Enter');
  await expect(page.getByText('Passphrase added', { exact: true })).toBeVisible();
  await expect(section).toContainText('It also opens with a passphrase');
  expect((await app.call('getStatus', {})).alsoPassphrase).toBe(true);

  // Locked, the unlock screen offers the passphrase beside the keychain, and it opens the store.
  await page.keyboard.press('Control+L');
  await expect(page.getByRole('heading', { name: 'TokenDesk is locked' })).toBeVisible();
  await page.getByTestId('unlock-use-passphrase').focus();
  await page.keyboard.press('Enter');
  const field = page.getByLabel('Passphrase', { exact: true });
  await field.focus();
  await page.keyboard.type('a passphrase for the command line');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'TokenDesk is locked' })).toHaveCount(0);
  expect((await app.call('getStatus', {})).store).toBe('unlocked');
  await page.getByTestId('nav-settings').focus();
  await page.keyboard.press('Enter');

  const remove = section.getByRole('button', { name: 'Remove passphrase…' });
  await remove.focus();
  await page.keyboard.press('Enter');
  await expect(section.getByRole('alert')).toContainText('Remove the passphrase?');
  await section.getByRole('button', { name: 'Remove passphrase', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Passphrase removed', { exact: true })).toBeVisible();
  await expect(section).toContainText('The tokendesk command cannot use the keychain');
  expect((await app.call('getStatus', {})).alsoPassphrase).toBe(false);
});
