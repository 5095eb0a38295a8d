import { expect, type Locator, type Page } from '@playwright/test';
import type { Harness } from './harness';

/**
 * Steps a person takes in the console, by accessible name (the names come from the renderer's
 * components, e.g. ACTION_LABELS in src/renderer/features/tokens/token-actions.ts).
 */

export function tokenRows(page: Page): Locator {
  return page.getByTestId('token-row');
}

export function rowFor(page: Page, userName: string): Locator {
  return tokenRows(page).filter({ hasText: userName });
}

/** Clicks Accept or Deny on the simulator's consent page the core opened in the "system browser". */
export async function answerConsent(app: Harness, decision: 'accept' | 'deny', userEmail?: string) {
  const consent = await app.nextBrowserPage();
  await expect(
    consent.getByRole('heading', { name: /would like to access your Zoho account/ }),
  ).toBeVisible();
  if (userEmail) await consent.locator('#email').selectOption(userEmail);
  await consent.getByRole('button', { name: decision === 'accept' ? 'Accept' : 'Deny' }).click();
  // The person switches back to TokenDesk (a background tab would also have its timers throttled).
  await app.page.bringToFront();
  return consent;
}

export function addAccountDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Add account' });
}

/** Opens "Add account" (from the empty page or the toolbar). */
export async function openAddAccount(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Add account' }).first().click();
  const dialog = addAccountDialog(page);
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The browser flow with the demo client pre-filled; the person accepts (or denies) on the consent page. */
export async function addAccountWithBrowser(
  app: Harness,
  options: { decision?: 'accept' | 'deny'; userEmail?: string } = {},
): Promise<void> {
  const dialog = await openAddAccount(app.page);
  await dialog.getByRole('button', { name: 'Sign in with browser' }).click();
  await answerConsent(app, options.decision ?? 'accept', options.userEmail);
}

/** Opens the details panel for the row of `userName`. */
export async function openDetails(page: Page, userName: string): Promise<Locator> {
  // The user cell: the first column is the row's selection box (bulk actions).
  await rowFor(page, userName).locator('td.grid__cell--user').click();
  const details = page.getByTestId('token-details');
  await expect(details.getByRole('heading', { name: userName })).toBeVisible();
  return details;
}

/** The value of a `<dt>term</dt><dd>value</dd>` pair inside `container`. */
export function prop(container: Locator, term: string): Locator {
  return container.locator(`dt:text-is("${term}") + dd`).first();
}

/** A toast notification whose text contains `text`. */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.getByTestId('toast').filter({ hasText: text });
}

/** A row's cell by TanStack column id (`user`, `dataCenter`, `status`, `expiresAt`, `lastTest`, ...). */
export function cell(row: Locator, column: string): Locator {
  return row.locator(`td.grid__cell--${column}`);
}

/** The row at list position `index` (0-based), by aria-rowindex: DOM order of virtualized rows may differ. */
export function rowAt(page: Page, index: number): Locator {
  return page.locator(`[data-testid="token-row"][aria-rowindex="${index + 2}"]`);
}
