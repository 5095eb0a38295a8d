import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * The page as it is now passes axe (WCAG 2.1 A and AA, best practice; moderate and worse) in the light and
 * the dark scheme.
 */
export async function expectAxeCleanInBothSchemes(page: Page): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Buttons fade their background (80 ms): scan the colours the scheme ends on, not a frame between. A
    // transition replaced by another (a hover, a focus) is cancelled, and its `finished` rejects: that is fine.
    await page.evaluate('Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))');
    const scan = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    const worst = scan.violations.filter((v) => ['moderate', 'serious', 'critical'].includes(v.impact ?? ''));
    expect(worst.map((v) => `${scheme}: ${v.id} ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
  }
}
