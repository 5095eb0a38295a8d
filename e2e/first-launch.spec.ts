import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './harness/fixtures';
import { PASSPHRASE, US_USER } from './harness/harness';
import { rowFor } from './harness/ui';

/**
 * What a first launch on a user's machine meets: the page's CSP must not be tripped by the app's own code
 * (zod's code-generation probe), a store that has gone missing must never be replaced by an empty one
 * unasked, and wrong passphrases make the next try wait.
 */

test('the app page loads and works without a single CSP violation', async ({ app }) => {
  // Runs in the page (no DOM types here): record every CSP violation the document reports.
  await app.page.addInitScript(() => {
    type Violation = { violatedDirective: string; blockedURI: string };
    const page = globalThis as unknown as {
      __cspViolations: string[];
      document: { addEventListener(type: string, listener: (e: Violation) => void): void };
    };
    const seen: string[] = [];
    page.__cspViolations = seen;
    page.document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const consoleErrors: string[] = [];
  app.page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await app.open();
  await expect(app.page.getByRole('button', { name: 'Add account' }).first()).toBeVisible();
  // The Add account form validates with the contract's schemas in the page.
  await app.page.getByRole('button', { name: 'Add account' }).first().click();
  await expect(app.page.getByRole('dialog')).toBeVisible();
  await app.page.keyboard.press('Escape');
  const violations = await app.page.evaluate(
    () => (globalThis as unknown as { __cspViolations: string[] }).__cspViolations,
  );
  expect(violations).toEqual([]);
  expect(consoleErrors.filter((text) => /Refused to|unsafe-eval/i.test(text))).toEqual([]);
});

test('a store that is gone: the unlock screen says so, unlocks nothing, and makes a new store only when asked', async ({
  app,
}) => {
  await app.grantAccount(US_USER.email);
  // The store file disappears (a sync tool, a clean-up, a restore gone wrong) while TokenDesk runs.
  rmSync(join(app.dataDir, 'tokendesk.db'));
  await app.restart();
  await app.open();

  await expect(app.page.getByRole('heading', { name: 'Your token store is missing' })).toBeVisible();
  await expect(app.page.getByTestId('store-missing-message')).toContainText('is gone');
  // No passphrase field to type a new passphrase into by mistake, and nothing was created.
  await expect(app.page.getByLabel('Passphrase', { exact: true })).toHaveCount(0);
  expect(await app.invoke('unlockStore', { passphrase: PASSPHRASE })).toMatchObject({
    ok: false,
    error: { code: 'STORE_MISSING' },
  });
  await app.page.getByRole('button', { name: 'Check again' }).click();
  await expect(app.page.getByRole('heading', { name: 'Your token store is missing' })).toBeVisible();

  await app.page.getByTestId('start-over').click();
  await expect(app.page.getByRole('heading', { name: 'Start a new, empty store' })).toBeVisible();
  await expect(app.page.getByTestId('start-over-warning')).toContainText('will not hold the tokens');
  const fresh = 'a fresh passphrase for the new store';
  await app.page.getByLabel('New passphrase', { exact: true }).fill(fresh);
  await app.page.getByLabel('Confirm passphrase', { exact: true }).fill(`${fresh} typo`);
  await app.page.getByRole('button', { name: 'Set passphrase' }).click();
  await expect(app.page.getByText('The two passphrases do not match.').first()).toBeVisible();
  await app.page.getByLabel('Confirm passphrase', { exact: true }).fill(fresh);
  await app.page.getByRole('button', { name: 'Set passphrase' }).click();

  await expect(app.page.getByTestId('lock-state')).toContainText('Unlocked');
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(0);
  expect(await app.storedTokens(fresh)).toEqual([]);
  const created = await app.call('listAudit', { action: 'unlock' });
  expect(created[0]?.detail).toMatch(/replaces the store that was missing/);
});

test('after several wrong passphrases the unlock screen makes the next try wait', async ({ app }) => {
  await app.restart();
  await app.open();
  await expect(app.page.getByRole('heading', { name: 'TokenDesk is locked' })).toBeVisible();
  const field = app.page.getByLabel('Passphrase', { exact: true });
  for (let i = 0; i < 3; i++) {
    await field.fill(`not the passphrase ${i}`);
    await field.press('Enter');
    await expect(app.page.getByTestId('unlock-error')).toContainText(/passphrase is not correct/);
  }
  await expect(app.page.getByTestId('unlock-error')).toContainText(/the next try waits 1 second/);
  // The wait is over in a second; the right passphrase then unlocks. Wait for main's back-off to pass
  // first: the page learns of it from a status answer that can come after the error is shown, and a try
  // made while it lasts is refused.
  await expect
    .poll(async () => ((await app.call('getStatus', {})).unlockRetryAt ?? 0) <= Date.now(), {
      timeout: 5_000,
    })
    .toBe(true);
  await expect(app.page.getByTestId('unlock-wait')).toHaveCount(0, { timeout: 5_000 });
  await field.fill(PASSPHRASE);
  await field.press('Enter');
  await expect(app.page.getByTestId('lock-state')).toContainText('Unlocked');
  const failures = await app.call('listAudit', { action: 'unlock_failed' });
  // Rows at the 1st and 2nd wrong passphrase; the 3rd is counted in the unlock row.
  expect(failures).toHaveLength(2);
  const unlocked = await app.call('listAudit', { action: 'unlock' });
  expect(unlocked[0]?.detail).toMatch(/after 3 wrong passphrases in a row/);
});
