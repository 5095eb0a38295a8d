import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * The page as it is now passes axe (WCAG 2.1 A and AA, best practice; moderate and worse) in the light and
 * the dark scheme.
 */
export async function expectAxeCleanInBothSchemes(page: Page): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Buttons fade their background (80 ms) and toasts fade in: scan the colours the page ends on, not a
    // frame between. The new scheme's transitions start at the next frame; a transition a hover or focus
    // cancelled rejects `finished` (fine), and an endless one (a spinner) is not waited for.
    await page.evaluate(`new Promise((frame) => requestAnimationFrame(() => requestAnimationFrame(frame))).then(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.effect !== null && a.effect.getComputedTiming().endTime !== Infinity)
          .map((a) => a.finished.catch(() => null)),
      ),
    )`);
    const scan = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    const worst = scan.violations.filter((v) => ['moderate', 'serious', 'critical'].includes(v.impact ?? ''));
    expect(worst.map((v) => `${scheme}: ${v.id} ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
  }
}
