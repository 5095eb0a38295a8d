import { ipcContract } from '../src/shared/ipc/contract';
import { expect, test } from './harness/fixtures';
import { US_USER } from './harness/harness';
import { rowFor } from './harness/ui';

/**
 * The bridge's HTTP transport (harness/http-transport.ts), which the dev page (`npm run dev:browser`) runs
 * on: requests as same-origin POSTs to the real core, main's pushes as server-sent events. If this works,
 * the dev page needs no back end of its own for any channel.
 */
test.use({ harnessOptions: { transport: 'http' } });

test('requests go over http and main pushes arrive as server-sent events', async ({ app }) => {
  await app.open();
  const page = app.page;
  await page.waitForFunction(() => (globalThis as { __tokendeskEventsOpen?: boolean }).__tokendeskEventsOpen);
  await expect(page.getByRole('button', { name: 'Add account' }).first()).toBeVisible();
  expect(app.calls.some((c) => c.channel === ipcContract.listTokens.channel)).toBe(true);

  // Added from outside the page: only main's `tokens.changed` push tells the page to list again.
  await app.grantAccount(US_USER.email);
  await expect(rowFor(page, US_USER.email)).toHaveCount(1);
  expect(app.events.some((e) => e.event === 'tokens.changed')).toBe(true);

  // Only the app's own origin is answered.
  const foreign = await fetch(`${app.appUrl}__tokendesk/ipc/${ipcContract.listTokens.channel}`, {
    method: 'POST',
    headers: { origin: 'http://127.0.0.1:1', 'content-type': 'application/json' },
    body: '{}',
  });
  expect(foreign.status).toBe(403);
  const events = await fetch(`${app.appUrl}__tokendesk/events`, {
    headers: { 'sec-fetch-site': 'cross-site' },
  });
  expect(events.status).toBe(403);
  // The script a plain browser page loads to get `window.tokendesk` (the dev page's index.html has it).
  const bridge = await fetch(`${app.appUrl}__tokendesk/bridge.js`);
  expect(await bridge.text()).toContain('EventSource');
});
