import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, screenshot, test } from './harness/fixtures';
import { US_USER } from './harness/harness';
import { rowFor } from './harness/ui';

const PASSPHRASE = 'violet-harbour-7-lanterns';

test.use({ harnessOptions: { setup: 'none' } });

/**
 * First run sets a master passphrase (no keychain in the harness, so the keychain choice is off); after a
 * restart the store is locked; a wrong passphrase is refused in plain words (and audited), the right one
 * opens the same tokens.
 */
test('set a passphrase on first run, restart, a wrong passphrase is refused, the right one unlocks', async ({
  app,
}) => {
  await app.open();
  await expect(app.page.getByRole('heading', { name: 'Set up TokenDesk' })).toBeVisible();
  await expect(app.page.getByRole('radio', { name: /OS keychain/ })).toBeDisabled();
  await expect(app.page.getByRole('radio', { name: /Master passphrase/ })).toBeChecked();
  await app.page.getByLabel('New passphrase', { exact: true }).fill(PASSPHRASE);
  await app.page.getByLabel('Confirm passphrase', { exact: true }).fill(PASSPHRASE);
  await app.page.getByRole('button', { name: 'Set passphrase' }).click();
  await expect(app.page.getByTestId('lock-state')).toContainText('passphrase');

  await app.grantAccount(US_USER.email);
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);

  // Quit and start again on the same data folder.
  await app.restart();
  await expect(app.page.getByRole('heading', { name: 'TokenDesk is locked' })).toBeVisible();
  const field = app.page.getByLabel('Passphrase', { exact: true });
  await field.fill('not-the-passphrase');
  await app.page.getByRole('button', { name: 'Unlock' }).click();
  const error = app.page.getByTestId('unlock-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText(/passphrase is not (correct|right)/i);
  await expect(field).toBeFocused();
  await screenshot(app.page, 'unlock-wrong-passphrase');

  await field.fill(PASSPHRASE);
  await app.page.getByRole('button', { name: 'Unlock' }).click();
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);
  await expect(app.page.getByTestId('lock-state')).toContainText('Unlocked');

  const failures = await app.call('listAudit', { action: 'unlock_failed' });
  expect(failures).toHaveLength(1);
  expect(failures[0]?.outcome).toBe('failure');
  // The stored tokens open with the passphrase set in the UI, and with nothing else.
  expect(await app.storedTokens(PASSPHRASE)).toHaveLength(1);
  await expect(app.storedTokens('not-the-passphrase')).rejects.toThrow(/passphrase/i);
});

/**
 * Regression: after a wrong passphrase the field keeps focus with its text selected, so the person just
 * types the right one over it, key by key. The select once re-ran on every render, so each key replaced
 * the one before and the field ended up holding only the last character.
 */
test('after a wrong passphrase, typing the right one key by key unlocks', async ({ app }) => {
  await app.call('setupStore', { protector: 'passphrase', passphrase: PASSPHRASE });
  await app.grantAccount(US_USER.email);
  await app.restart();
  await app.open();
  await expect(app.page.getByRole('heading', { name: 'TokenDesk is locked' })).toBeVisible();

  const field = app.page.getByLabel('Passphrase', { exact: true });
  await field.pressSequentially('not-the-passphrase');
  await field.press('Enter');
  await expect(app.page.getByTestId('unlock-error')).toBeVisible();
  await expect(field).toBeFocused();

  // No clearing first: the wrong text is selected, so the first key replaces it.
  await field.pressSequentially(PASSPHRASE);
  await expect(field).toHaveValue(PASSPHRASE);
  await field.press('Enter');
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);
  await expect(app.page.getByTestId('lock-state')).toContainText('Unlocked');
});

/**
 * An unlock is decided by opening the store. When the audit row after it cannot be written (here an
 * injected failure on the audit table; a full disk fails the same insert), the console opens anyway and a
 * toast says what could not be written, instead of an error while the store is in fact unlocked.
 */
test('an unlock whose audit row cannot be written opens the console and says so', async ({ app }) => {
  await app.call('setupStore', { protector: 'passphrase', passphrase: PASSPHRASE });
  await app.grantAccount(US_USER.email);
  const db = new Database(join(app.dataDir, 'tokendesk.db'));
  db.exec(
    "CREATE TRIGGER audit_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;",
  );
  db.close();
  await app.restart();
  await app.open();

  const field = app.page.getByLabel('Passphrase', { exact: true });
  await field.fill(PASSPHRASE);
  await field.press('Enter');
  await expect(app.page.getByTestId('lock-state')).toContainText('Unlocked');
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);
  const toast = app.page.getByTestId('toast').filter({ hasText: 'Unlocked, with a problem' });
  await expect(toast).toContainText('The audit entry could not be written');
  await expect(app.page.getByTestId('unlock-error')).toHaveCount(0);
});
