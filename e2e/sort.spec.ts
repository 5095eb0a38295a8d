import { expect, screenshot, test } from './harness/fixtures';
import { seededUserName } from './harness/seed';
import { rowAt } from './harness/ui';

/** Column headers sort the list (aria-sort says how). */
test('clicking the User header sorts by user, ascending then descending', async ({ app }) => {
  await app.seedTokens(30);
  await app.open();
  const header = app.page.getByRole('columnheader', { name: /User/ });
  await app.page.getByTestId('sort-user').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await expect(rowAt(app.page, 0)).toContainText(seededUserName(1));
  await app.page.getByTestId('sort-user').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(rowAt(app.page, 0)).toContainText(seededUserName(30));
  await screenshot(app.page, 'sort-by-user-descending');
});
