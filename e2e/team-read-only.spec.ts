import { simToken, simWiring } from '../src/main/sources/test-support/sim-zoho';
import { addMember } from '../src/main/team/team-members';
import { createTestTeamStore } from '../src/main/team/test-support/pg-test-server';
import { expectAxeCleanInBothSchemes } from './harness/axe';
import { expect, test } from './harness/fixtures';
import { teamServerOrSkip, teamSettings } from './harness/team-server';
import { cell, rowFor, toast, tokenRows } from './harness/ui';

/**
 * docs/team-store.md "Read-only members": a read-only member sees the team's tokens in the main token table
 * and on the Team page, may test and refresh them, and finds copy, import, revoke, delete, clear all and
 * re-authorise turned off with the reason written out (not only in a tooltip). Nothing changes at Zoho or
 * in the team store. Needs PostgreSQL (TOKENDESK_TEST_PG_URL, set by .ci/run).
 */
const TEAM_USER = 'shared.user@example.com';
const REASON =
  /^Your membership of this team store is read-only: you can list, test and refresh its tokens, not copy them/;

test('a read-only member: test and refresh work; copy, import, revoke, delete, clear all and re-authorise are off and say why', async ({
  app,
  mode,
}) => {
  const url = await teamServerOrSkip(mode);
  if (url === null) return;
  const owner = await createTestTeamStore(url, 'Owner');
  try {
    const token = await simToken(app.sim, simWiring(app.sim).clients, TEAM_USER);
    await owner.store.saveToken(token);
    const { memberKey } = await app.call('getTeam', {});
    await addMember(owner.store, { publicKey: memberKey.publicKey, name: 'Reader', access: 'read-only' });
    const joined = await app.call('joinTeamStore', {
      settings: teamSettings(url, owner.schema),
      memberName: 'Reader',
    });
    const team = joined.team!;
    expect(team.access).toBe('read-only');

    // The main token table: the team's row, its source, and the reason on the source's line.
    await app.open();
    const page = app.page;
    await expect(tokenRows(page)).toHaveCount(1);
    const row = rowFor(page, TEAM_USER);
    // The cell shortens a long name; the full one is in the filter and the source's line.
    await expect(cell(row, 'source')).toContainText(team.displayName.slice(0, 40));
    await expect(page.getByTestId('source-load-read-only')).toHaveText(REASON);

    // Its menu: Test works; Copy, Re-authorise and Delete are off, each with the reason under it.
    await row.getByTestId('token-row-actions').click();
    for (const name of [/^Copy access token/, /^Re-authorise/, /^Delete/]) {
      const item = page.getByRole('menuitem', { name });
      await expect(item).toHaveAttribute('aria-disabled', 'true');
      await expect(item).toContainText('Your membership of this team store is read-only');
    }
    await page.getByRole('menuitem', { name: 'Test CRM call' }).click();
    await expect(toast(page, TEAM_USER)).toBeVisible();
    const refreshes = app.sim.stats.tokenRequests.refresh_token;
    await row.getByTestId('token-row-actions').click();
    await page.getByRole('menuitem', { name: 'Refresh now' }).click();
    await expect.poll(() => app.sim.stats.tokenRequests.refresh_token).toBe(refreshes + 1);

    // The details panel: Delete is off, and the reason is written beside the buttons.
    await row.getByTestId('token-row-actions').click();
    await page.getByRole('menuitem', { name: 'Show details' }).click();
    const details = page.getByTestId('token-details');
    await expect(details.getByTestId('details-delete')).toBeDisabled();
    await expect(details.getByTestId('details-reauthorise')).toBeDisabled();
    await expect(details).toContainText('Your membership of this team store is read-only');
    await details.getByRole('button', { name: 'Close details' }).click();

    // Clear all for the team store (chosen with the filter) is off, described by the reason.
    await page.getByTestId('filter-source').click();
    await page.getByRole('option', { name: team.displayName }).click();
    const clearAll = page.getByTestId('clear-all');
    await expect(clearAll).toBeDisabled();
    await expect(clearAll).toHaveAccessibleDescription(REASON);
    await expectAxeCleanInBothSchemes(page);

    // The Team page: read-only said, Test works, Revoke, Re-authorise and Clear all are off with the reason.
    await page.getByTestId('nav-team').click();
    await expect(page.getByTestId('team-read-only')).toContainText('Read-only');
    const teamRow = page.getByTestId('source-token-row').filter({ hasText: TEAM_USER });
    await expect(teamRow.getByRole('button', { name: 'Revoke' })).toBeDisabled();
    await expect(teamRow.getByRole('button', { name: 'Revoke' })).toHaveAccessibleDescription(REASON);
    await expect(teamRow.getByRole('button', { name: 'Re-authorise' })).toBeDisabled();
    for (const name of ['Copy access token', 'Import']) {
      await expect(teamRow.getByRole('button', { name })).toBeDisabled();
      await expect(teamRow.getByRole('button', { name })).toHaveAccessibleDescription(REASON);
    }
    await expect(page.getByTestId('source-clear-all')).toBeDisabled();
    await expect(page.getByTestId('source-read-only')).toHaveText(REASON);
    await teamRow.getByRole('button', { name: 'Test' }).click();
    await expect(page.getByTestId('source-action-result')).toHaveText(
      `${TEAM_USER}: CRM answered as ${TEAM_USER}.`,
    );
    await expectAxeCleanInBothSchemes(page);
    await page.setViewportSize({ width: 800, height: 600 });
    await expect(teamRow.getByRole('button', { name: 'Test' })).toBeVisible();

    // Nothing was revoked at Zoho, nothing copied out, and the team's row is as the owner left it but for
    // the refresh.
    expect(app.sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
    expect((await app.call('listTokens', {})).count).toBe(0);
    expect((await owner.store.findTokenById(token.id!))?.refreshToken).toBe(token.refreshToken);
  } finally {
    await app.call('forgetTeamStore', {}).catch(() => undefined);
    await owner.cleanup();
  }
});
