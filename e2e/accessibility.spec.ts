import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './harness/fixtures';
import { EU_USER, US_USER } from './harness/harness';
import { openAddAccount, openDetails } from './harness/ui';

/**
 * axe-core over every screen and dialog, in light and dark, at the default window size and at 900x600:
 * no serious or critical violation anywhere, and no moderate one on the main screens.
 */
const SIZES = [
  { width: 1360, height: 860 },
  { width: 900, height: 600 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

interface Finding {
  readonly screen: string;
  readonly rule: string;
  readonly impact: string;
  readonly targets: string;
}

async function scan(page: Page, screen: string, worst: readonly string[]): Promise<Finding[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => worst.includes(v.impact ?? ''))
    .map((v) => ({
      screen,
      rule: v.id,
      impact: v.impact ?? '',
      targets: v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | '),
    }));
}

const MAIN = ['moderate', 'serious', 'critical'];
const DIALOG = ['serious', 'critical'];

for (const size of SIZES) {
  for (const scheme of SCHEMES) {
    test(`no accessibility violations at ${size.width}x${size.height}, ${scheme}`, async ({ app }) => {
      await app.page.setViewportSize(size);
      await app.page.emulateMedia({ colorScheme: scheme });
      await app.grantAccount(US_USER.email);
      await app.grantAccount(EU_USER.email, 'EU');
      // A FileStore source with one token: the table shows its Source column, filter and load line.
      const file = join(mkdtempSync(join(tmpdir(), 'tokendesk-e2e-a11y-')), 'sdk_tokens.txt');
      writeFileSync(
        file,
        `id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain\n1,integration@example.com,1000.CLIENT,secret,1000.refresh,,,,,${app.sim.dataCenter('US').apiDomain}\n`,
      );
      await app.call('addSource', { settings: { kind: 'filestore', path: file } });
      await app.open();
      const page = app.page;
      await expect(page.getByTestId('token-row')).toHaveCount(3);
      const findings: Finding[] = [];

      findings.push(...(await scan(page, 'tokens', MAIN)));
      const details = await openDetails(page, US_USER.email);
      findings.push(...(await scan(page, 'tokens + details', MAIN)));
      await details.getByRole('button', { name: 'Close details' }).click();

      await openAddAccount(page);
      findings.push(...(await scan(page, 'add account dialog', DIALOG)));
      await page.keyboard.press('Escape');

      await page.getByTestId('clear-all').click();
      findings.push(...(await scan(page, 'clear all dialog', DIALOG)));
      await page.keyboard.press('Escape');

      // Bulk actions (docs/health.md): the selection bar on the main screen, the delete confirmation, and
      // the per-token report of a Check all.
      await page.getByTestId('token-row-select').first().click();
      await expect(page.getByTestId('bulk-bar')).toBeVisible();
      findings.push(...(await scan(page, 'tokens with a selection', MAIN)));
      await page.getByTestId('bulk-delete').click();
      await expect(page.getByTestId('token-job-dialog')).toBeVisible();
      findings.push(...(await scan(page, 'bulk delete dialog', DIALOG)));
      await page.keyboard.press('Escape');
      await page.getByTestId('bulk-clear').click();
      await page.getByTestId('check-all').click();
      await expect(page.getByTestId('token-job-report')).toBeVisible();
      findings.push(...(await scan(page, 'check all report', DIALOG)));
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('token-job-dialog')).toBeHidden();

      await page.getByTestId('nav-audit').click();
      await expect(page.getByTestId('audit-table')).toBeVisible();
      findings.push(...(await scan(page, 'audit log', MAIN)));

      // No team store on this computer: your member key and the connection form.
      await page.getByTestId('nav-team').click();
      await expect(page.getByTestId('member-key')).toBeVisible();
      findings.push(...(await scan(page, 'team store', MAIN)));

      await page.getByTestId('nav-sources').click();
      await page.getByRole('button', { name: 'Show tokens' }).click();
      await expect(page.getByTestId('source-token-row')).toHaveCount(1);
      findings.push(...(await scan(page, 'sources with tokens', MAIN)));
      await page.getByTestId('source-clear-all').click();
      findings.push(...(await scan(page, 'clear all of a source', DIALOG)));
      await page.keyboard.press('Escape');

      await page.getByTestId('nav-settings').click();
      await expect(page.getByTestId('settings-page')).toBeVisible();
      findings.push(...(await scan(page, 'settings', MAIN)));

      expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
    });
  }
}

test.describe('first run and unlock', () => {
  test.use({ harnessOptions: { setup: 'none' } });

  for (const scheme of SCHEMES) {
    test(`the first-run screen has no accessibility violations, ${scheme}`, async ({ app }) => {
      await app.page.emulateMedia({ colorScheme: scheme });
      await app.open();
      await expect(app.page.getByRole('heading', { name: 'Set up TokenDesk' })).toBeVisible();
      expect(await scan(app.page, 'first run', MAIN)).toEqual([]);
    });
  }
});

test('the scan does see a violation when there is one (so the scans above mean something)', async ({
  app,
}) => {
  await app.open();
  await expect(app.page.getByTestId('settings-page').or(app.page.getByTestId('add-account'))).toBeVisible();
  // A button with no accessible name: axe's `button-name`, a critical violation.
  await app.page.evaluate("document.querySelector('main').append(document.createElement('button'))");
  const findings = await scan(app.page, 'tokens with a nameless button', MAIN);
  expect(findings.map((f) => f.rule)).toContain('button-name');
});
