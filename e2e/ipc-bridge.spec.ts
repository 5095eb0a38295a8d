import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ipcContract } from '../src/shared/ipc/contract';
import { decodeTokenList, type TokenListWire, TokenListWireSchema } from '../src/shared/ipc/token-list';
import { expect, screenshot, test } from './harness/fixtures';
import { EU_USER, PASSPHRASE, SELF_CLIENT, US_USER } from './harness/harness';
import {
  addAccountWithBrowser,
  answerConsent,
  openAddAccount,
  openDetails,
  rowFor,
  toast,
} from './harness/ui';

type PageApi = Record<
  string,
  (request?: unknown) => Promise<{ ok: boolean; error?: { code: string; message: string } }>
>;

function callFromPage(page: Page, method: string, request?: unknown) {
  return page.evaluate(
    ([m, r]) => (globalThis as unknown as { tokendesk: PageApi }).tokendesk[m as string]!(r),
    [method, request] as const,
  );
}

/**
 * docs/architecture.md "Data flow": the router checks the sender and validates every request before any handler
 * runs. "No side effect" is checked everywhere one could show: the store, Zoho (the simulator), the
 * "system browser", the audit log and the pushes to the page.
 */
test('the bridge rejects malformed requests with a clear error and no side effect, and refuses foreign pages', async ({
  app,
}) => {
  await app.grantAccount(US_USER.email);
  await app.open();
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);
  const [token] = await app.storedTokens();
  const auditBefore = (await app.call('listAudit', {})).length;
  const eventsBefore = app.events.length;
  const simBefore = JSON.stringify({
    revokes: app.sim.stats.revokeRequests,
    tokens: app.sim.stats.tokenRequests,
    grants: app.sim.stats.grantCodesIssued,
  });

  // The page sees exactly the contract's functions plus on(), and nothing generic.
  const keys = await app.page.evaluate(() =>
    Object.keys((globalThis as unknown as { tokendesk: object }).tokendesk),
  );
  expect(keys).toContain('deleteToken');
  expect(keys).toContain('on');
  expect(keys).not.toContain('invoke');

  // Each malformed request: INVALID_ARGUMENT with plain words naming the bad field (never its value).
  const cases: Array<[string, unknown, RegExp]> = [
    ['deleteToken', {}, /^Invalid request: .*"id".*"revoke"/],
    ['deleteToken', { id: token?.id, revoke: false, evil: true }, /unexpected field "evil"/],
    ['deleteToken', { id: 7, revoke: 'yes' }, /"id": .*"revoke": /],
    ['clearAllTokens', { revoke: true }, /"expectedCount"/],
    ['clearAllTokens', { revoke: true, expectedCount: -1 }, /"expectedCount"/],
    ['runTokenJob', { action: 'delete', ids: [] }, /"ids"/],
    ['runTokenJob', { action: 'revoke-all', ids: [token?.id] }, /"action"/],
    ['signInWithBrowser', { flowId: 'not-a-uuid', clientId: 'x' }, /"flowId"/],
    ['unlockStore', { passphrase: PASSPHRASE, remember: true }, /unexpected field "remember"/],
    ['refreshToken', 'all of them', /the request/],
  ];
  for (const [method, request, message] of cases) {
    const result = await callFromPage(app.page, method, request);
    const label = `${method} ${JSON.stringify(request)}`;
    expect(result.ok, label).toBe(false);
    expect(result.error?.code, label).toBe('INVALID_ARGUMENT');
    expect(result.error?.message, label).toMatch(message);
    expect(result.error?.message, label).not.toContain(PASSPHRASE);
  }

  const unchanged = async () => {
    expect(await app.storedTokens()).toEqual([token]);
    expect((await app.call('listAudit', {})).length).toBe(auditBefore);
    expect(app.events.length).toBe(eventsBefore);
    expect(app.opened).toHaveLength(0);
    expect(
      JSON.stringify({
        revokes: app.sim.stats.revokeRequests,
        tokens: app.sim.stats.tokenRequests,
        grants: app.sim.stats.grantCodesIssued,
      }),
    ).toBe(simBefore);
  };
  await unchanged();
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);
  await screenshot(app.page, 'ipc-bridge-rejected');

  // listTokens answers the compact wire form (columns + dictionaries), which decodes to the table's row.
  const answer = (await callFromPage(app.page, 'listTokens', {})) as { ok: boolean; value?: TokenListWire };
  expect(answer.ok).toBe(true);
  expect(Object.keys(answer.value ?? {}).sort()).toEqual(['columns', 'count', 'dictionaries']);
  const wire = TokenListWireSchema.parse(answer.value);
  expect(decodeTokenList(wire).map((v) => [v.id, v.userName, v.status])).toEqual([
    [token?.id, US_USER.email, 'valid'],
  ]);
  await unchanged();

  // The same bridge on a page that is not the app (here: the simulator's origin) is refused outright,
  // even for a well-formed request, and before validation (a malformed one gets the same answer).
  await app.page.goto(`${app.sim.dataCenter('US').accountsUrl}/crm/v8/nothing`);
  for (const request of [
    { id: token?.id, revoke: true },
    { id: token?.id, revoke: false },
    { bogus: true },
  ]) {
    const foreign = await callFromPage(app.page, 'deleteToken', request);
    expect(foreign.ok).toBe(false);
    expect(foreign.error?.code).toBe('FORBIDDEN_SENDER');
  }
  const listed = await callFromPage(app.page, 'listTokens', {});
  expect(listed.error?.code).toBe('FORBIDDEN_SENDER');
  expect(JSON.stringify(listed)).not.toContain(US_USER.email);
  await unchanged();
});

test('no IPC response or pushed event carries a raw secret, through a full set of flows', async ({ app }) => {
  const secrets = new Set<string>([SELF_CLIENT.clientSecret, PASSPHRASE]);
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
  await expect(toast(app.page, 'Access token copied')).toBeVisible();
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

  // Every other channel, from the page through the same binding (so it is recorded and scanned below):
  // settings, the passphrase calls (the passphrases are secrets too), a cancelled sign-in, demo start,
  // and the two destructive ones last.
  const nextPassphrase = 'a brand new passphrase for the scan';
  secrets.add(nextPassphrase);
  const fromPage = async (method: string, request: unknown) => {
    const result = await callFromPage(app.page, method, request);
    return result as { ok: boolean; value?: unknown; error?: { code: string } };
  };
  expect((await fromPage('getStatus', {})).ok).toBe(true);
  expect((await fromPage('getSettings', {})).ok).toBe(true);
  expect((await fromPage('updateSettings', { theme: 'dark' })).ok).toBe(true);
  expect((await fromPage('startDemo', {})).ok).toBe(true);
  expect((await fromPage('openLogFolder', {})).ok).toBe(true);
  expect((await fromPage('cancelSignIn', { flowId: crypto.randomUUID() })).ok).toBe(true);
  // The team store, with no PostgreSQL answering on port 1: this computer's member key is made on first
  // use (and must survive the passphrase change below); a database password sent to main never comes back.
  const team = (await fromPage('getTeam', {})) as {
    ok: boolean;
    value: { memberKey: { publicKey: string } };
  };
  expect(team.ok).toBe(true);
  const memberPublicKey = team.value.memberKey.publicKey;
  const teamPassword = 'team-db-password-that-must-not-come-back';
  secrets.add(teamPassword);
  const nowhere = {
    host: '127.0.0.1',
    port: 1,
    database: 'team',
    user: 'tokendesk_app',
    password: teamPassword,
  };
  expect(await fromPage('testTeamConnection', { settings: nowhere })).toMatchObject({
    ok: true,
    value: {
      ok: false,
      message: 'Nothing answers at 127.0.0.1:1: check the host and port, and that PostgreSQL is running.',
    },
  });
  for (const method of ['createTeamStore', 'joinTeamStore']) {
    expect(await fromPage(method, { settings: nowhere, memberName: 'Scan' })).toMatchObject({
      ok: false,
      error: { code: 'UNREACHABLE' },
    });
  }
  expect(await fromPage('forgetTeamStore', {})).toMatchObject({ ok: true, value: { team: null } });
  expect(await fromPage('checkTeamMemberKey', { publicKey: memberPublicKey })).toMatchObject({ ok: true });
  const withoutTeam: [string, unknown][] = [
    ['listTeamMembers', {}],
    ['addTeamMember', { publicKey: memberPublicKey, name: 'Someone', access: 'read-only' }],
    ['removeTeamMember', { memberId: 'a'.repeat(64) }],
    ['listTeamAudit', {}],
  ];
  for (const [method, request] of withoutTeam) {
    expect(await fromPage(method, request)).toMatchObject({ ok: false, error: { code: 'NOT_A_TEAM_STORE' } });
  }
  await fromPage('setupStore', { protector: 'passphrase', passphrase: nextPassphrase }); // already set up
  await fromPage('unlockStore', { passphrase: 'not the passphrase' });
  expect((await fromPage('changePassphrase', { current: PASSPHRASE, next: nextPassphrase })).ok).toBe(true);
  // A passphrase store has no second passphrase to add or remove: both refuse in plain words.
  const secondPassphrase = 'a second passphrase the store refuses';
  secrets.add(secondPassphrase);
  expect(await fromPage('addStorePassphrase', { passphrase: secondPassphrase })).toMatchObject({
    ok: false,
    error: { code: 'NOT_SUPPORTED' },
  });
  expect(await fromPage('removeStorePassphrase', {})).toMatchObject({
    ok: false,
    error: { code: 'NOT_SUPPORTED' },
  });
  expect(await fromPage('getTeam', {})).toMatchObject({
    ok: true,
    value: { memberKey: { publicKey: memberPublicKey } },
  });
  expect((await fromPage('listAudit', {})).ok).toBe(true);
  expect((await fromPage('exportAuditCsv', {})).ok).toBe(true);
  // A backup, and a restore of it (its request carries the passphrase: a secret for the scan too).
  const backupPath = test.info().outputPath('scan.tdbackup');
  expect((await fromPage('getBackupStatus', {})).ok).toBe(true);
  expect((await fromPage('createBackup', { path: backupPath })).ok).toBe(true);
  expect((await fromPage('restoreBackup', { path: backupPath, passphrase: nextPassphrase })).ok).toBe(true);
  const remaining = await app.storedTokens(nextPassphrase);
  for (const t of remaining) {
    for (const s of [t.accessToken, t.refreshToken, t.clientSecret, t.grantToken]) {
      if (s && s !== app.client.clientSecret) secrets.add(s);
    }
  }
  // Token sources: a FileStore the stored tokens are exported to (in plaintext there, by design: its
  // responses must still carry no secret), and a MySQL test whose password must not come back.
  const sourceDir = mkdtempSync(join(tmpdir(), 'tokendesk-scan-source-'));
  const sourceFile = join(sourceDir, 'sdk_tokens.txt');
  writeFileSync(
    sourceFile,
    'id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain',
  );
  const fileSettings = { kind: 'filestore', path: sourceFile };
  expect((await fromPage('testSource', { settings: fileSettings })).ok).toBe(true);
  const added = (await fromPage('addSource', { settings: fileSettings })) as {
    ok: boolean;
    value: { id: string };
  };
  expect(added.ok).toBe(true);
  expect((await fromPage('updateSource', { id: added.value.id, settings: fileSettings })).ok).toBe(true);
  expect((await fromPage('listSources', {})).ok).toBe(true);
  const exported = await fromPage('transferTokens', {
    fromSourceId: 'local',
    toSourceId: added.value.id,
    confirmation: 'PLAINTEXT',
  });
  expect(exported.ok).toBe(true);
  expect(readFileSync(sourceFile, 'utf8')).toContain(remaining[0]?.refreshToken ?? 'missing');
  expect((await fromPage('listTokens', { sourceId: added.value.id })).ok).toBe(true);
  expect((await fromPage('removeSource', { id: added.value.id })).ok).toBe(true);
  rmSync(sourceDir, { recursive: true, force: true });
  const dbPassword = 'db-password-that-must-not-come-back';
  secrets.add(dbPassword);
  const unreachable = { kind: 'mysql', host: '127.0.0.1', port: 1, user: 'app', password: dbPassword };
  expect((await fromPage('testSource', { settings: unreachable })).ok).toBe(true);

  const first = remaining[0];
  // Jobs over many tokens (docs/health.md): Check all, a bulk test, a cancel of no running job, the export.
  expect((await fromPage('checkAllTokens', {})).ok).toBe(true);
  expect((await fromPage('runTokenJob', { action: 'test', ids: [first?.id] })).ok).toBe(true);
  expect(await fromPage('cancelTokenJob', { jobId: crypto.randomUUID() })).toMatchObject({
    ok: true,
    value: { cancelled: false },
  });
  expect((await fromPage('exportTokenList', {})).ok).toBe(true);
  // Names and labels (docs/labels.md): not secret, and their answers carry none.
  expect(
    await fromPage('setTokenLabel', { id: first?.id, label: 'website forms', note: 'leaver 2026-11' }),
  ).toMatchObject({ ok: true, value: { label: 'website forms', note: 'leaver 2026-11' } });
  expect(
    await fromPage('setClientName', { clientId: first?.clientId, name: 'Scan integration' }),
  ).toMatchObject({ ok: true, value: { name: 'Scan integration' } });
  expect((await fromPage('copyAccessToken', { id: first?.id })).ok).toBe(true);
  // A revoke Zoho does not confirm: the row goes, its token waits as a pending revoke, listed (masked)
  // and retried from the page; neither answer may carry the token.
  app.sim.injectFault({ kind: 'revoke', fault: '5xx' });
  const deleted = await fromPage('deleteToken', { id: first?.id, revoke: true, deleteIfRevokeFails: true });
  expect(deleted).toMatchObject({ ok: true, value: { deleted: true, pendingRevoke: true } });
  const pending = (await fromPage('listPendingRevokes', {})) as { ok: boolean; value: { id: string }[] };
  expect(pending.value).toHaveLength(1);
  const retried = await fromPage('retryPendingRevoke', { id: pending.value[0]?.id });
  expect(retried).toMatchObject({ ok: true, value: { resolved: true } });
  const cleared = await fromPage('clearAllTokens', { revoke: true, expectedCount: remaining.length - 1 });
  expect(cleared.ok).toBe(true);
  // Lock and unlock again: the activity ping, Lock now, the keychain unlock (refused: a passphrase store)
  // and the passphrase unlock after it.
  expect((await fromPage('noteActivity', {})).ok).toBe(true);
  expect(await fromPage('lockStore', {})).toMatchObject({ ok: true, value: { store: 'locked' } });
  expect(await fromPage('unlockWithKeychain', {})).toMatchObject({
    ok: false,
    error: { code: 'KEYCHAIN_UNAVAILABLE' },
  });
  expect((await fromPage('unlockStore', { passphrase: nextPassphrase })).ok).toBe(true);

  // The real access token did reach the clipboard (from main), so the scan below is meaningful.
  expect(app.clipboard.writes).toHaveLength(2);
  for (const written of app.clipboard.writes) secrets.add(written);
  expect(secrets.size).toBeGreaterThan(8);
  expect(app.calls.length).toBeGreaterThan(10);

  // "From any channel": every channel in the contract was called from the page (and answered) above.
  const channels = new Set(app.calls.map((c) => c.channel));
  expect([...channels].sort()).toEqual(
    Object.values(ipcContract)
      .map((spec) => spec.channel)
      .sort(),
  );
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
