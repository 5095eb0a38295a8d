import { expect, test } from './harness/fixtures';
import { seededUserName } from './harness/seed';
import { cell, openDetails, rowFor } from './harness/ui';

/**
 * Demo mode after a restart: the tokens the simulator issued stay in the store, but the simulator kept
 * them only while it ran. The list says they are from an earlier demo run (never "Valid"), actions that
 * need Zoho are off with the reason in words, Delete works without asking a simulator that is gone, and
 * the Demo badge agrees with Settings (demo mode on, simulator not running).
 */
test.use({ harnessOptions: { demo: false } });

// A loopback API domain no simulator of this run serves: what a token from an ended run carries.
const ENDED_RUN_API = 'http://127.0.0.1:9';

test('tokens from an ended demo run say so, offer a new run, and delete cleanly', async ({ app }) => {
  await app.seedTokens(1, { apiDomain: ENDED_RUN_API });
  const email = seededUserName(1);
  await app.open();

  const badge = app.page.getByTestId('demo-badge');
  await expect(badge).toHaveText('Demo mode · simulator off');
  const settings = await app.call('getSettings', {});
  expect(settings.demoMode).toBe(true);

  const row = rowFor(app.page, email);
  await expect(cell(row, 'status')).toHaveText(/From an earlier demo run/);
  await expect(cell(row, 'status')).not.toHaveText(/Valid/);
  await expect(cell(row, 'expiresAt')).toHaveText('Demo run ended');
  const notice = app.page.getByTestId('ended-demo-notice');
  await expect(notice).toContainText('1 token is from an earlier demo run');
  await expect(notice).toContainText('Delete it (there is nothing to revoke)');
  await expect(notice.getByRole('button', { name: 'Start a new demo run' })).toBeVisible();

  const details = await openDetails(app.page, email);
  await expect(details.getByRole('button', { name: 'Test CRM call' })).toBeDisabled();
  await expect(details.getByRole('button', { name: 'Copy access token' })).toBeDisabled();

  app.sim.resetStats();
  await details.getByRole('button', { name: 'Delete' }).click();
  const dialog = app.page.getByTestId('delete-dialog');
  await expect(dialog).toContainText('nothing to revoke');
  await dialog.getByTestId('delete-confirm').click();
  await expect(rowFor(app.page, email)).toHaveCount(0);
  expect(await app.storedTokens()).toHaveLength(0);
  expect(app.sim.stats.revokeRequests).toBe(0);
  const audit = await app.call('listAudit', { action: 'delete' });
  expect(audit[0]?.outcome).toBe('success');
  expect(audit[0]?.detail).toContain('the demo run that issued it has ended');

  // A new run starts from the notice's twin on the empty list; the badge follows.
  await app.page.getByTestId('start-demo').click();
  await expect(badge).toHaveText('Demo mode');
});
