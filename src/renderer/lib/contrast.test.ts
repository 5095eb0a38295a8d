import { describe, expect, it } from 'vitest';
import { AA_TEXT, contrastRatio, parseHex, readPalette } from './contrast';

// Vitest replaces CSS imports (even `?raw`) with an empty string, so the stylesheet is read from disk. The
// specifier is a variable because the renderer's tsconfig has no Node types; the test itself runs in Node.
const FS = 'node:fs';
const { readFileSync } = (await import(/* @vite-ignore */ FS)) as {
  readFileSync: (path: URL, encoding: 'utf8') => string;
};
const css = readFileSync(new URL('../styles.css', import.meta.url), 'utf8');

describe('contrastRatio', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#fff', '#fff')).toBe(1);
    // #767676 on white is the classic "just passes AA" grey.
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
  });
  it('is symmetric and rejects non-hex input', () => {
    expect(contrastRatio('#2f64e0', '#f6f7f9')).toBe(contrastRatio('#f6f7f9', '#2f64e0'));
    expect(parseHex('#abc')).toEqual([0xaa, 0xbb, 0xcc]);
    expect(() => parseHex('rgb(0 0 0)')).toThrow();
  });
});

/**
 * Every text colour the stylesheet paints on a given background (class names in the comments). A new
 * pairing in styles.css belongs here, so a palette change that breaks AA fails this test.
 */
const TEXT_PAIRS: ReadonlyArray<readonly [fg: string, bg: string, where: string]> = [
  ['--text', '--bg', 'body, page titles'],
  ['--text', '--surface', 'cards, table, dialogs, inputs'],
  ['--text', '--surface-2', 'table head, walkthrough, kbd'],
  ['--text', '--surface-hover', 'hovered row'],
  ['--text', '--selected', 'selected row'],
  ['--text', '--muted-bg', 'neutral badge (data center)'],
  ['--text', '--danger-bg', '.inline-error body'],
  ['--text-muted', '--bg', '.summary, .lock, .brand__sub'],
  ['--text-muted', '--surface', 'muted cells, field descriptions, env badge'],
  ['--text-muted', '--surface-2', 'table head labels, walkthrough note'],
  ['--text-muted', '--surface-hover', 'muted cells in a hovered row'],
  ['--text-muted', '--selected', 'muted cells in the selected row'],
  ['--text-muted', '--muted-bg', '.stage (sign-in steps to come)'],
  ['--text-muted', '--danger-bg', '.inline-error__hint'],
  ['--accent-text', '--accent', '.btn--primary, highlighted menu/select item, checked checkbox'],
  ['--accent-text', '--accent-hover', '.btn--primary:hover'],
  ['--accent', '--surface', 'links and the active nav underline text'],
  ['--danger-text', '--danger-solid', '.btn--danger, highlighted Delete menu item'],
  ['--text', '--disabled-bg', 'unavailable first-run choice (OS keychain) title'],
  ['--text-muted', '--disabled-bg', 'unavailable first-run choice, its reason'],
  ['--disabled-text', '--disabled-bg', 'disabled buttons (Unlock, Refresh now on a re-auth row)'],
  ['--disabled-text', '--surface', 'disabled menu items, tabs and ghost buttons'],
  ['--ok', '--ok-bg', 'Valid badge, Succeeded, done sign-in step'],
  ['--warn', '--warn-bg', 'Expiring badge, Demo mode badge'],
  ['--danger', '--danger-bg', 'Needs re-authorisation / Unreadable badges, .inline-error__title'],
  ['--info', '--info-bg', 'Expired badge, current sign-in step'],
  ['--ok', '--surface', 'last test passed, revoked outcome'],
  ['--danger', '--surface', 'last test failed, expired countdown, danger-ghost buttons, field errors'],
  ['--warn', '--surface', 'expiring countdown, sandbox badge, .warn-text'],
  ['--info', '--surface', 'developer badge'],
  ['--ok', '--surface-hover', 'last test passed in a hovered row'],
  ['--danger', '--surface-hover', 'expired countdown in a hovered row, hovered danger-ghost button'],
  ['--warn', '--surface-hover', 'expiring countdown in a hovered row'],
  ['--ok', '--selected', 'last test passed in the selected row'],
  ['--danger', '--selected', 'expired countdown in the selected row'],
  ['--warn', '--selected', 'expiring countdown in the selected row'],
  ['--bg', '--text', '.tooltip (inverted)'],
];

/** Non-text contrast (WCAG 1.4.11, 3:1): the focus ring against everything it is drawn on. */
const FOCUS_ON: readonly string[] = ['--bg', '--surface', '--surface-2', '--surface-hover', '--selected'];

const THEMES = {
  light: readPalette(css, ':root'),
  dark: readPalette(css, ':root[data-theme="dark"]'),
};

describe('palette contrast (WCAG AA, 4.5:1 for text)', () => {
  it('the dark palette is written once, behind data-theme (lib/theme.ts resolves the OS preference)', () => {
    expect(css).not.toContain('prefers-color-scheme');
    expect(css.match(/--bg\s*:/g)).toHaveLength(2);
  });

  for (const [theme, palette] of Object.entries(THEMES)) {
    describe(theme, () => {
      it.each(TEXT_PAIRS)('%s on %s (%s)', (fg, bg) => {
        const f = palette[fg] ?? THEMES.light[fg];
        const b = palette[bg] ?? THEMES.light[bg];
        expect(f, `${fg} is not a hex colour in the ${theme} palette`).toBeDefined();
        expect(b, `${bg} is not a hex colour in the ${theme} palette`).toBeDefined();
        const ratio = contrastRatio(f as string, b as string);
        expect(ratio, `${fg} ${f} on ${bg} ${b} is ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(AA_TEXT);
      });
      it.each(FOCUS_ON)('focus ring on %s is at least 3:1', (bg) => {
        const ratio = contrastRatio(palette['--focus'] as string, palette[bg] as string);
        expect(ratio, `--focus on ${bg} is ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(3);
      });
    });
  }
});
