import type { Page } from '@playwright/test';
import { expect, test } from './harness/fixtures';
import { EU_USER, SELF_CLIENT, US_USER } from './harness/harness';
import {
  addAccountWithBrowser,
  answerConsent,
  openAddAccount,
  openDetails,
  rowFor,
  toast,
} from './harness/ui';

type PageApi = Record<string, (request?: unknown) => Promise<{ ok: boolean; error?: { code: string } }>>;

function callFromPage(page: Page, method: string, request?: unknown) {
  return page.evaluate(
    ([m, r]) => (globalThis as unknown as { tokendesk: PageApi }).tokendesk[m as string]!(r),
    [method, request] as const,
  );
}

/** DESIGN.md "Data flow": the router checks the sender and validates every request before any handler runs. */
test('the bridge rejects malformed requests and foreign pages; nothing is deleted', async ({ app }) => {
  await app.grantAccount(US_USER.email);
  await app.open();
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);
  const [token] = await app.storedTokens();

  // The page sees exactly the contract's functions plus on(), and nothing generic.
  const keys = await app.page.evaluate(() =>
    Object.keys((globalThis as unknown as { tokendesk: object }).tokendesk),
  );
  expect(keys).toContain('deleteToken');
  expect(keys).toContain('on');
  expect(keys).not.toContain('invoke');

  const empty = await callFromPage(app.page, 'deleteToken', {});
  expect(empty.ok).toBe(false);
  expect(empty.error?.code).toBe('INVALID_ARGUMENT');
  const extra = await callFromPage(app.page, 'deleteToken', { id: token?.id, revoke: false, evil: true });
  expect(extra.error?.code).toBe('INVALID_ARGUMENT');
  const wrongType = await callFromPage(app.page, 'deleteToken', { id: 7, revoke: 'yes' });
  expect(wrongType.error?.code).toBe('INVALID_ARGUMENT');

  expect(await app.storedTokens()).toHaveLength(1);
  expect(app.sim.stats.revokeRequests).toBe(0);
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);

  // The same bridge on a page that is not the app (here: the simulator's origin) is refused outright.
  await app.page.goto(`${app.sim.dataCenter('US').accountsUrl}/crm/v8/nothing`);
  const foreign = await callFromPage(app.page, 'deleteToken', { id: token?.id, revoke: false });
  expect(foreign.error?.code).toBe('FORBIDDEN_SENDER');
  expect(await app.storedTokens()).toHaveLength(1);
});

test('no IPC response or pushed event carries a raw secret, through a full set of flows', async ({ app }) => {
  const secrets = new Set<string>([SELF_CLIENT.clientSecret]);
  const collect = async () => {
    for (const t of await app.storedTokens()) {
      for (const s of [t.accessToken, t.refreshToken, t.clientSecret, t.grantToken]) {
        if (s && s !== app.client.clientSecret) secrets.add(s);
      }
    }
  };

  await app.open();
  // Browser flow, test call, refresh, copy, re-authorise.
  await addAccountWithBrowser(app, { userEmail: US_USER.email });
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);
  await collect();
  const details = await openDetails(app.page, US_USER.email);
  await details.getByRole('button', { name: 'Test CRM call' }).click();
  await expect(toast(app.page, 'CRM call worked')).toBeVisible();
  await details.getByRole('button', { name: 'Refresh now' }).click();
  await expect(toast(app.page, `Refreshed ${US_USER.email}`)).toBeVisible();
  await collect();
  await details.getByRole('button', { name: 'Copy access token' }).click();
  await expect(toast(app.page, 'Copied;')).toBeVisible();
  await details.getByRole('button', { name: 'Re-authorise' }).click();
  await answerConsent(app, 'accept', US_USER.email);
  await expect(toast(app.page, `Re-authorised ${US_USER.email}`)).toBeVisible();
  await collect();

  // Import a refresh token (EU) and a Self Client code, both typed into the page.
  const imported = await app.refreshTokenFromElsewhere(EU_USER.email);
  secrets.add(imported);
  let dialog = await openAddAccount(app.page);
  await dialog.getByRole('combobox', { name: 'Data center' }).click();
  await app.page.getByRole('option', { name: /^EU/ }).click();
  await dialog.getByLabel('Client ID', { exact: true }).fill(SELF_CLIENT.clientId);
  await dialog.getByLabel('Client secret', { exact: true }).fill(SELF_CLIENT.clientSecret);
  await dialog.getByRole('tab', { name: 'Import refresh token' }).click();
  await dialog.getByLabel('Refresh token', { exact: true }).fill(imported);
  await dialog.getByRole('button', { name: 'Import refresh token' }).click();
  await expect(rowFor(app.page, EU_USER.email)).toHaveCount(1);
  await collect();

  const code = app.selfClientCode(US_USER.email);
  secrets.add(code);
  dialog = await openAddAccount(app.page);
  await dialog.getByLabel('Client ID', { exact: true }).fill(SELF_CLIENT.clientId);
  await dialog.getByLabel('Client secret', { exact: true }).fill(SELF_CLIENT.clientSecret);
  await dialog.getByRole('tab', { name: 'Self Client grant code' }).click();
  await dialog.getByLabel('Grant code', { exact: true }).fill(code);
  await dialog.getByRole('button', { name: 'Exchange grant code' }).click();
  await expect(dialog).toBeHidden();
  await collect();

  // A failing call too: errors must not echo what was sent.
  dialog = await openAddAccount(app.page);
  await dialog.getByRole('tab', { name: 'Import refresh token' }).click();
  const bogus = `1000.${'ab'.repeat(16)}.${'cd'.repeat(16)}`;
  secrets.add(bogus);
  await dialog.getByLabel('Refresh token', { exact: true }).fill(bogus);
  await dialog.getByRole('button', { name: 'Import refresh token' }).click();
  await expect(dialog.getByTestId('add-account-error')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Audit log page and CSV export go over IPC as well.
  await app.page.getByRole('button', { name: 'Audit log' }).click();
  await expect(app.page.getByTestId('audit-row').first()).toBeVisible();
  await app.page.getByRole('button', { name: 'Export CSV' }).click();
  await expect(toast(app.page, /Exported \d+ audit/)).toBeVisible();

  // The real access token did reach the clipboard (from main), so the scan below is meaningful.
  expect(app.clipboard.writes).toHaveLength(1);
  for (const written of app.clipboard.writes) secrets.add(written);
  expect(secrets.size).toBeGreaterThan(8);
  expect(app.calls.length).toBeGreaterThan(10);

  const channels = new Set(app.calls.map((c) => c.channel));
  for (const channel of [
    'signin.browser',
    'tokens.list',
    'tokens.test',
    'tokens.refresh',
    'tokens.reauthorise',
  ]) {
    expect(channels, channel).toContain(channel);
  }
  const leaks: string[] = [];
  for (const call of app.calls) {
    const text = JSON.stringify(call.response);
    for (const secret of secrets) if (text.includes(secret)) leaks.push(`${call.channel} response`);
  }
  for (const event of app.events) {
    const text = JSON.stringify(event.payload);
    for (const secret of secrets) if (text.includes(secret)) leaks.push(`${event.event} event`);
  }
  expect(leaks).toEqual([]);
  // The one exception by design (views.ts AppStatus.demo): the simulator's demo client secret is shown in
  // demo mode so a newcomer can paste it; it is not a Zoho secret and was left out of the scan above.
  expect(JSON.stringify(await app.call('getStatus', {}))).toContain(app.client.clientSecret);
  // Nor is any secret left in the page itself.
  const html = await app.page.content();
  for (const secret of secrets) expect(html.includes(secret)).toBe(false);
});
