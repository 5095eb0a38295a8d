import { expect, screenshot, test } from './harness/fixtures';
import { seededUserName } from './harness/seed';
import { rowAt, tokenRows } from './harness/ui';

const COUNT = 10_000;

/** The console stays usable with 10,000 tokens: the list renders (virtualized) and scrolls to the last row. */
test('10,000 tokens: the list renders and scrolls to the last row', async ({ app }) => {
  await app.seedTokens(COUNT);
  await app.open();

  await expect(app.page.getByTestId('token-summary')).toContainText(
    /Showing\s*10,?000\s*of\s*10,?000 tokens/,
  );
  await expect(tokenRows(app.page).first()).toBeVisible();
  await expect(app.page.getByRole('table', { name: 'Tokens' })).toHaveAttribute(
    'aria-rowcount',
    String(COUNT + 1),
  );
  // Virtualized: only the rows on screen (plus overscan) exist in the DOM.
  expect(await tokenRows(app.page).count()).toBeLessThan(100);

  // Sort by user so the last row is known, then go to the end the way a keyboard user does.
  await app.page.getByTestId('sort-user').click();
  await expect(app.page.getByRole('columnheader', { name: /User/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await expect(rowAt(app.page, 0)).toContainText(seededUserName(1));
  await rowAt(app.page, 0).locator('td.grid__cell--user').click();
  await app.page.keyboard.press('End');
  const last = rowAt(app.page, COUNT - 1);
  await expect(last).toBeVisible();
  await expect(last).toContainText(seededUserName(COUNT));
  await expect(last).toBeInViewport();
  await expect(last).toBeFocused();
  await screenshot(app.page, 'many-tokens-last-row');

  // Scrolling the list itself (wheel/scrollbar) also reaches the end.
  await app.page.keyboard.press('Home');
  const firstRow = rowAt(app.page, 0);
  await expect(firstRow).toBeInViewport();
  await expect(last).toHaveCount(0);
  await app.page
    .getByTestId('token-table')
    .locator('.grid-scroll')
    .evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
  await expect(last).toBeInViewport();
});
