import { dropSchema, freshSchema } from '../src/main/team/test-support/pg-test-server';
import { decodeTokenList } from '../src/shared/ipc/token-list';
import { expectAxeCleanInBothSchemes } from './harness/axe';
import { expect, test } from './harness/fixtures';
import { PASSPHRASE } from './harness/harness';
import { startTcpProxy } from './harness/tcp-proxy';
import { teamServerOrSkip, teamSettings } from './harness/team-server';
import { cell, rowFor, toast, tokenRows } from './harness/ui';

/**
 * docs/team-store.md "In the console": once this computer is a member of a team store, the team's tokens
 * are rows of the main token table (Source column and filter) with every action sent to the team store,
 * and the "team store unreachable, retrying" banner shows while the connection to PostgreSQL is cut and
 * goes once it is back. The cut is a TCP proxy between this TokenDesk and the shared server (never a stop
 * of the server other tests use). Needs PostgreSQL (TOKENDESK_TEST_PG_URL, set by .ci/run).
 */
const LOCAL_USER = 'kept-local@example.com';
const TEAM_USER = 'team.user@example.com';

test('a team store in the main token table: Source column and filter, actions sent to it, the unreachable banner', async ({
  app,
  mode,
}) => {
  const url = await teamServerOrSkip(mode);
  if (url === null) return;
  const schema = freshSchema();
  const u = new URL(url);
  const proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
  try {
    // This computer creates the team store (through the proxy) and moves one of its tokens into it.
    await app.grantAccount(LOCAL_USER);
    await app.grantAccount(TEAM_USER);
    const created = await app.call('createTeamStore', {
      settings: teamSettings(url, schema, proxy),
      memberName: 'Alice',
    });
    const team = created.team!;
    const teamToken = (await app.storedTokens()).find((t) => t.userName?.startsWith(TEAM_USER))!;
    const moved = await app.call('transferTokens', {
      fromSourceId: 'local',
      toSourceId: team.sourceId,
      ids: [teamToken.id!],
      move: true,
    });
    expect(moved).toMatchObject({ moved: 1, failed: 0 });

    await app.open();
    const page = app.page;
    await expect(tokenRows(page)).toHaveCount(2);
    await expect(cell(rowFor(page, LOCAL_USER), 'source')).toHaveText('This computer');
    // The cell shortens a long name; the full one is in the filter and the source's line.
    await expect(cell(rowFor(page, TEAM_USER), 'source')).toContainText(team.displayName.slice(0, 40));
    await expect(
      page.locator(`[data-testid="source-load"][data-source-id="${team.sourceId}"]`),
    ).toContainText('1 token');
    await page.getByTestId('filter-source').click();
    await page.getByRole('option', { name: team.displayName }).click();
    await expect(tokenRows(page)).toHaveCount(1);
    await expectAxeCleanInBothSchemes(page);

    // Refresh from the main table: the team store's token is refreshed (one request to Zoho).
    const refreshes = app.sim.stats.tokenRequests.refresh_token;
    await rowFor(page, TEAM_USER).getByTestId('token-row-actions').click();
    await page.getByRole('menuitem', { name: 'Refresh now' }).click();
    await expect(toast(page, TEAM_USER)).toBeVisible();
    expect(app.sim.stats.tokenRequests.refresh_token).toBe(refreshes + 1);

    // The connection drops: the banner says so at once, above every page; back, it goes by itself.
    proxy.cut();
    const banner = page.getByTestId('team-unreachable');
    await expect(banner).toBeVisible({ timeout: 10_000 });
    await expect(banner).toContainText('Team store unreachable, retrying');
    await expectAxeCleanInBothSchemes(page);
    await page.setViewportSize({ width: 900, height: 600 });
    await expectAxeCleanInBothSchemes(page);
    await page.setViewportSize({ width: 1360, height: 860 });
    proxy.restore();
    // The change feed reconnects with back-off (at most 5 s between tries).
    await expect(banner).toBeHidden({ timeout: 20_000 });

    // Opened while unreachable (the app restarted with the connection cut): the team's line above the
    // table says why, with Retry; once the connection is back, Retry lists its rows.
    proxy.cut();
    await app.restart();
    await app.call('unlockStore', { passphrase: PASSPHRASE });
    await page.reload();
    await expect(rowFor(page, LOCAL_USER)).toBeVisible();
    const teamLoad = page.locator(`[data-testid="source-load"][data-source-id="${team.sourceId}"]`);
    await expect(teamLoad).toHaveAttribute('data-state', 'failed', { timeout: 20_000 });
    await expect(teamLoad.getByTestId('source-load-error')).not.toBeEmpty();
    await expect(teamLoad.getByTestId('source-load-error')).not.toContainText(decodeURIComponent(u.password));
    proxy.restore();
    await teamLoad.getByRole('button', { name: 'Retry' }).click();
    await expect(teamLoad).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
    await expect(tokenRows(page)).toHaveCount(2);
    await page.getByTestId('filter-source').click();
    await page.getByRole('option', { name: team.displayName }).click();
    await expect(tokenRows(page)).toHaveCount(1);

    // Revoke and delete from the main table: revoked at Zoho, gone from the team store, the local row kept.
    await rowFor(page, TEAM_USER).getByTestId('token-row-actions').click();
    await page.getByRole('menuitem', { name: /Delete/ }).click();
    const dialog = page.getByRole('alertdialog', { name: new RegExp(`Delete ${TEAM_USER}`) });
    await dialog.getByRole('button', { name: 'Revoke and delete' }).click();
    await expect(dialog).toBeHidden();
    await expect(tokenRows(page)).toHaveCount(0);
    expect(app.sim.isRefreshTokenActive(teamToken.refreshToken!)).toBe(false);
    expect(decodeTokenList(await app.call('listTokens', { sourceId: team.sourceId }))).toEqual([]);
    await page.getByTestId('filter-source').click();
    await page.getByRole('option', { name: 'All sources' }).click();
    await expect(tokenRows(page)).toHaveCount(1);
    await expect(rowFor(page, LOCAL_USER)).toBeVisible();
  } finally {
    await app.call('forgetTeamStore', {}).catch(() => undefined);
    await proxy.close();
    await dropSchema(url, schema);
  }
});
