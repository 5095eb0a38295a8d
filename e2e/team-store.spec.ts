import type { Page } from '@playwright/test';
import { dropSchema, freshSchema } from '../src/main/team/test-support/pg-test-server';
import { expectAxeCleanInBothSchemes } from './harness/axe';
import { expect, screenshot, test } from './harness/fixtures';
import { type Harness, startHarness, startHarnessSimulator, US_USER } from './harness/harness';
import { teamServerOrSkip } from './harness/team-server';

/**
 * docs/team-store.md "In the console": two TokenDesks (two cores, two data folders, one PostgreSQL, one
 * Zoho simulator). Alice creates a team store in the console and adds Bob by the public key his TokenDesk
 * shows, after comparing fingerprints; Bob joins; a token Alice shares appears in Bob's list by itself, and
 * the revoke Bob makes disappears from Alice's. Needs PostgreSQL (TOKENDESK_TEST_PG_URL, set by .ci/run);
 * outside CI it is skipped with a printed reason when none answers.
 */
test('two TokenDesks share a team store: create, add by key, live token and revoke, team audit', async ({
  browser,
  mode,
}) => {
  const url = await teamServerOrSkip(mode);
  if (url === null) return;
  const schema = freshSchema();
  const shared = await startHarnessSimulator({});
  const harnesses: Harness[] = [];
  try {
    const open = async () => {
      const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
      const harness = await startHarness(context, await context.newPage(), { simulator: shared });
      harnesses.push(harness);
      await harness.open();
      await harness.page.getByTestId('nav-team').click();
      return harness;
    };
    const alice = await open();
    const bob = await open();
    await alice.grantAccount(US_USER.email);

    // 1. Alice tests the connection, then creates the team store as its first member.
    const aliceForm = alice.page.getByRole('form', { name: 'Team store connection' });
    await fillConnection(alice.page, url, schema);
    await aliceForm.getByRole('button', { name: 'Test connection' }).click();
    await expect(alice.page.getByTestId('team-test-result')).toHaveText(
      `Connected. There is no team store in schema "${schema}" yet: you can create one.`,
    );
    await aliceForm.getByLabel('Your name in the team').fill('Alice');
    await aliceForm.getByRole('button', { name: 'Create team store' }).click();
    await expect(alice.page.getByText('You can manage this team store')).toBeVisible();
    const teamName = (await alice.call('getTeam', {})).team!.displayName;
    await expect(alice.page.getByTestId('team-member-row')).toHaveCount(1);
    await expect(alice.page.getByTestId('team-member-row')).toContainText('Alice');

    // 2. Bob's TokenDesk shows his public key and fingerprint; he is not a member yet, and is told so.
    const bobKey = (await bob.page.getByTestId('member-public-key').textContent()) ?? '';
    const bobFingerprint = (await bob.page.getByTestId('member-fingerprint').textContent()) ?? '';
    expect(bobKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const bobForm = bob.page.getByRole('form', { name: 'Team store connection' });
    await fillConnection(bob.page, url, schema);
    await bobForm.getByRole('button', { name: 'Test connection' }).click();
    await expect(bob.page.getByTestId('team-test-result')).toHaveText(
      'Connected. A team store is here, but you are not a member yet: send your public key to one of its members.',
    );

    // 3. Alice adds Bob by his key; the fingerprint she is shown is the one Bob's TokenDesk shows.
    const add = alice.page.getByRole('form', { name: 'Add a member' });
    await add.getByLabel('Their public key').fill(bobKey);
    await add.getByLabel('Their name').fill('Bob');
    await add.getByRole('button', { name: 'Show fingerprint' }).click();
    await expect(alice.page.getByTestId('team-add-fingerprint')).toContainText(bobFingerprint);
    await add.getByRole('button', { name: 'Fingerprints match: add member' }).click();
    const bobRow = alice.page.getByTestId('team-member-row').filter({ hasText: 'Bob' });
    await expect(bobRow).toContainText(bobFingerprint);

    // 4. Bob joins, under the name his team sees in its audit log.
    await bobForm.getByLabel('Your name in the team').fill('Bob');
    await bobForm.getByRole('button', { name: 'Join team store' }).click();
    await expect(bob.page.getByText('You can manage this team store')).toBeVisible();
    await expect(bob.page.getByText('No tokens in the team store yet.')).toBeVisible();

    // 5. Alice shares her token; it appears in Bob's list without him doing anything (LISTEN/NOTIFY).
    await alice.page.getByRole('button', { name: 'Copy this computer’s tokens to the team' }).click();
    await expect(alice.page.getByTestId('source-action-result')).toHaveText(
      '1 token(s) copied from this computer to the team.',
    );
    const bobsRow = bob.page.getByTestId('source-token-row').filter({ hasText: US_USER.email });
    // Within a second of the commit on an idle machine; allowed longer here (2 cores shared by many runs).
    await expect(bobsRow).toBeVisible({ timeout: 5_000 });
    const sharedToken = (await alice.storedTokens())[0]!;
    expect(sharedToken.refreshToken).toBeTruthy();

    // 6. Bob revokes it; Zoho no longer accepts it, and it leaves Alice's list by itself.
    await bobsRow.getByRole('button', { name: 'Revoke' }).click();
    await bobsRow.getByRole('button', { name: 'Confirm revoke' }).click();
    await expect(bob.page.getByTestId('source-action-result')).toHaveText(
      `${US_USER.email}: revoked at Zoho and deleted from ${teamName}.`,
    );
    expect(alice.sim.isRefreshTokenActive(sharedToken.refreshToken!)).toBe(false);
    await expect(alice.page.getByTestId('source-token-row')).toHaveCount(0, { timeout: 5_000 });

    await screenshot(alice.page, 'team-store');
    await alice.page.setViewportSize({ width: 800, height: 600 });
    await screenshot(alice.page, 'small-800-team-store');
    await alice.page.setViewportSize({ width: 1360, height: 860 });
    // The Team page with a store open (members, tokens, the add form) passes axe, in light and dark.
    await expectAxeCleanInBothSchemes(alice.page);

    // 7. The Audit page shows the team's log, each row naming the member who acted.
    await alice.page.getByTestId('nav-audit').click();
    await alice.page.getByTestId('audit-show-team').click();
    const rows = alice.page.getByTestId('team-audit-row');
    await expect(rows.filter({ hasText: 'member-add' })).toContainText('Alice');
    const bobsRevoke = rows.filter({ hasText: 'Revoked at Zoho and deleted from the team store.' });
    await expect(bobsRevoke).toContainText(`Bob (${bobFingerprint})`);
  } finally {
    for (const harness of harnesses.reverse()) {
      await harness.close();
      await harness.context.close();
    }
    await shared.sim.close();
    await dropSchema(url, schema);
  }
});

async function fillConnection(page: Page, url: string, schema: string): Promise<void> {
  const u = new URL(url);
  const form = page.getByRole('form', { name: 'Team store connection' });
  await form.getByLabel('Host').fill(u.hostname);
  await form.getByLabel('Port').fill(u.port || '5432');
  await form.getByLabel('Database').fill(decodeURIComponent(u.pathname.slice(1)));
  await form.getByLabel('User').fill(decodeURIComponent(u.username));
  await form.getByLabel('Password').fill(decodeURIComponent(u.password));
  await form.getByLabel('Schema').fill(schema);
}
