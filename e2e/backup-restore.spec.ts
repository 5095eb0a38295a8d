import { expect, screenshot, test } from './harness/fixtures';
import { PASSPHRASE, US_USER } from './harness/harness';
import { rowFor, tokenRows } from './harness/ui';

/**
 * Settings > Backup and restore, in the harness (no native dialogs: paths are typed). A backup, then the
 * token deleted, then a restore with a wrong passphrase (refused, nothing replaced) and the right one (the
 * token is back, with its secrets: it still refreshes at the simulator).
 */
test('back up, refuse a wrong passphrase, restore the deleted token', async ({ app }, testInfo) => {
  const granted = await app.grantAccount(US_USER.email);
  await app.open();
  await expect(app.page.getByTestId('backup-reminder')).toContainText('No backup of your tokens yet.');

  await app.page.getByRole('button', { name: 'Back up in Settings' }).click();
  const section = app.page.getByTestId('backup-section');
  await expect(section.getByTestId('backup-last')).toContainText('No backup yet');
  const path = testInfo.outputPath('tokens.tdbackup');
  await section.getByTestId('backup-path').fill(path);
  await section.getByTestId('backup-now').click();
  await expect(section.getByTestId('backup-written')).toContainText(path);
  await expect(section.getByTestId('backup-last')).toContainText('Last backup');
  await screenshot(app.page, 'backup-settings');

  // The token is deleted (without revoking: the backup's refresh token must still work).
  await app.call('deleteToken', { id: granted.id, revoke: false });
  await app.page.getByRole('button', { name: 'Tokens' }).click();
  await expect(tokenRows(app.page)).toHaveCount(0);
  await expect(app.page.getByTestId('backup-reminder')).toHaveCount(0);

  await app.page.getByRole('button', { name: 'Settings', exact: true }).click();
  await section.getByTestId('restore-path').fill(path);
  await section.getByTestId('restore-passphrase').fill('not the passphrase');
  await section.getByTestId('restore-start').click();
  await section.getByTestId('restore-confirm').click();
  await expect(section.getByTestId('restore-error')).toContainText(
    'That passphrase does not open this backup.',
  );
  expect(await app.storedTokens()).toEqual([]);

  await section.getByTestId('restore-passphrase').fill(PASSPHRASE);
  await section.getByTestId('restore-start').click();
  await section.getByTestId('restore-confirm').click();
  await expect(section.getByTestId('restore-done')).toContainText('1 token restored');

  await app.page.getByRole('button', { name: 'Tokens' }).click();
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);
  const [stored] = await app.storedTokens();
  expect(stored?.refreshToken).toBeTruthy();
  expect(app.sim.isRefreshTokenActive(stored?.refreshToken ?? '')).toBe(true);
  const refreshed = await app.call('refreshToken', { id: stored?.id ?? '' });
  expect(refreshed.status).toBe('valid');
});
