import { describe, expect, it } from 'vitest';
import { escapeOf, reveal, revealed, safeInline, safeParts, truncateGraphemes } from './safe-text';

describe('reveal: invisible characters become visible escapes', () => {
  it('shows a right-to-left override instead of obeying it', () => {
    // Rendered as-is this reads "admin@evil.com"; revealed, it reads what it is.
    expect(revealed('\u202Emoc.live@nimda')).toBe('\\u202Emoc.live@nimda');
    expect(reveal('\u202Emoc.live@nimda')).toEqual([
      { kind: 'escape', value: '\\u202E' },
      { kind: 'text', value: 'moc.live@nimda' },
    ]);
  });

  it.each([
    ['every bidi control', '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C'],
    ['zero-width characters and BOM', '\u200B\u200C\u2060\uFEFF\u00AD'],
    ['controls: NUL, bell, escape, line breaks, tab, DEL', '\u0000\u0007\u001B\r\n\t\u007F\u0085'],
    ['line and paragraph separators', '\u2028\u2029'],
    ['the replacement character and lone surrogates', '\uFFFD\uDC00\uD800'],
    ['a tag character (outside the BMP)', '\u{E0041}'],
  ])('%s', (_label, chars) => {
    const parts = reveal(`a${chars}b`);
    const escapes = parts.filter((p) => p.kind === 'escape').map((p) => p.value);
    expect(escapes.join('')).toBe([...chars].map(escapeOf).join(''));
    // Nothing invisible is left in the text parts.
    for (const p of parts.filter((x) => x.kind === 'text')) expect(p.value).toMatch(/^[ab]+$/);
  });

  it('escapes one code point per escape, BMP or not', () => {
    expect(escapeOf('\u202E')).toBe('\\u202E');
    expect(escapeOf('\u0000')).toBe('\\u0000');
    expect(escapeOf('\u{E0067}')).toBe('\\u{E0067}');
  });

  it('leaves ordinary text, emoji sequences, accents and right-to-left letters alone', () => {
    for (const text of [
      'admin@example.com',
      '👩‍👩‍👧‍👦 family',
      '🏳️‍🌈',
      '👍🏽',
      'José Å',
      'Z̷̢̛a̵l̶g̴o̸',
      'שלום@example.com',
    ]) {
      expect(reveal(text)).toEqual([{ kind: 'text', value: text }]);
    }
  });

  it('shows a zero-width joiner that joins nothing pictographic', () => {
    expect(revealed('ad\u200Dmin')).toBe('ad\\u200Dmin');
  });
});

describe('truncation at grapheme boundaries', () => {
  it('keeps short values whole', () => {
    expect(truncateGraphemes('short', 10)).toEqual({ text: 'short', cut: false });
  });

  it('cuts a 10,000-character name to the limit', () => {
    const { parts, cut } = safeParts('x'.repeat(10_000), 120);
    expect(cut).toBe(true);
    expect(parts).toEqual([{ kind: 'text', value: 'x'.repeat(120) }]);
  });

  it('never splits an emoji, a flag or an accented letter', () => {
    expect(truncateGraphemes('👩‍👩‍👧‍👦👩‍👩‍👧‍👦', 1)).toEqual({ text: '👩‍👩‍👧‍👦', cut: true });
    expect(truncateGraphemes('🇪🇺🇪🇺🇪🇺', 2)).toEqual({ text: '🇪🇺🇪🇺', cut: true });
    expect(truncateGraphemes('e\u0301e\u0301e\u0301', 2)).toEqual({ text: 'e\u0301e\u0301', cut: true });
  });

  it('counts an escape as the characters it shows and never cuts one in half', () => {
    expect(safeParts('ab\u202Ecd', 5)).toEqual({
      parts: [{ kind: 'text', value: 'ab' }],
      cut: true,
    });
    expect(safeParts('ab\u202Ecd', 8)).toEqual({
      parts: [
        { kind: 'text', value: 'ab' },
        { kind: 'escape', value: '\\u202E' },
      ],
      cut: true,
    });
    expect(safeParts('ab\u202Ecd', 10).cut).toBe(false);
  });
});

describe('safeInline (plain-text places)', () => {
  it('reveals and cuts with an ellipsis', () => {
    expect(safeInline('\u202Emoc.live@nimda')).toBe('\\u202Emoc.live@nimda');
    expect(safeInline('y'.repeat(500), 10)).toBe(`${'y'.repeat(10)}…`);
  });
});
