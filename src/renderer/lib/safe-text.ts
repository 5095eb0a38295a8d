/**
 * Text someone else controls (a CRM user's name or email, an org name, a detail quoting them) shown so it
 * cannot pass for something else or break the layout:
 * - invisible characters are made visible as `\u202E`-style escapes: bidi controls (an override turns
 *   `\u202Emoc.live@nimda` into what reads as "admin@evil.com"), other format characters (zero-width
 *   spaces and joiners, BOM, soft hyphen), control characters (NUL, escape, line breaks), line and
 *   paragraph separators, and U+FFFD (where the store replaced a lone surrogate);
 * - the value is isolated from the text around it (`<bdi>` in markup, FSI..PDI in plain strings), so
 *   right-to-left letters in a name cannot reorder a sentence they sit in;
 * - long values are cut at a grapheme boundary (an emoji or an accented letter is never split); the full
 *   value stays available on demand.
 * A zero-width joiner between two pictographs is left alone: it is how 👩‍👩‍👧 is written.
 */

export type SafePart = { readonly kind: 'text' | 'escape'; readonly value: string };

/** Cc, Cf, Zl, Zp, U+FFFD and lone surrogates; the ZWJ case is decided in `reveal`. */
const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;
const PICTOGRAPH_BEFORE = /\p{Extended_Pictographic}[\uFE0F\u{1F3FB}-\u{1F3FF}]?$/u;
const PICTOGRAPH_AFTER = /^\p{Extended_Pictographic}/u;
const ZWJ = '\u200D';

/** `\u202E` for one UTF-16 unit, `\u{E0067}` beyond the BMP: what a developer would type to get it. */
export function escapeOf(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff
    ? `\\u{${code.toString(16).toUpperCase()}}`
    : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The value as visible text and escapes, in order. */
export function reveal(value: string): SafePart[] {
  const parts: SafePart[] = [];
  let last = 0;
  const push = (kind: SafePart['kind'], text: string) => {
    if (text === '') return;
    const prev = parts[parts.length - 1];
    if (prev && prev.kind === kind) parts[parts.length - 1] = { kind, value: prev.value + text };
    else parts.push({ kind, value: text });
  };
  for (const match of value.matchAll(INVISIBLE)) {
    const at = match.index;
    const char = match[0];
    if (
      char === ZWJ &&
      PICTOGRAPH_BEFORE.test(value.slice(Math.max(0, at - 4), at)) &&
      PICTOGRAPH_AFTER.test(value.slice(at + 1, at + 3))
    ) {
      continue;
    }
    push('text', value.slice(last, at));
    push('escape', escapeOf(char));
    last = at + char.length;
  }
  push('text', value.slice(last));
  return parts;
}

/** The value with every invisible character written as its escape (plain text, e.g. for a tooltip). */
export function revealed(value: string): string {
  return reveal(value)
    .map((p) => p.value)
    .join('');
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The first `max` graphemes of `text` and whether anything was cut. Counting graphemes, not UTF-16 units,
 * keeps a flag or an accented letter whole. Quick path: a string no longer than `max` units has at most
 * `max` graphemes.
 */
export function truncateGraphemes(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  let count = 0;
  for (const { index } of segmenter.segment(text)) {
    if (count === max) return { text: text.slice(0, index), cut: true };
    count++;
  }
  return { text, cut: false };
}

/**
 * What one shown value is made of: its parts, revealed, within `max` visible characters (graphemes; an
 * escape counts as the characters it shows and is never split), and whether anything was left out.
 */
export function safeParts(value: string, max: number): { parts: SafePart[]; cut: boolean } {
  const all = reveal(value);
  const parts: SafePart[] = [];
  let budget = max;
  for (const part of all) {
    if (part.kind === 'escape') {
      if (part.value.length > budget) return { parts, cut: true };
      parts.push(part);
      budget -= part.value.length;
      continue;
    }
    const { text, cut } = truncateGraphemes(part.value, budget);
    if (text !== '') parts.push({ kind: 'text', value: text });
    if (cut) return { parts, cut: true };
    budget -= graphemeCount(text);
  }
  return { parts, cut: false };
}

function graphemeCount(text: string): number {
  if (/^[\x20-\x7E]*$/.test(text)) return text.length;
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

/**
 * For plain-text places (a toast title, an aria-label, a menu label): the value revealed and cut to `max`
 * graphemes with an ellipsis. No isolation marks are added (they would become part of accessible names);
 * with every bidi control shown as an escape, nothing in the value can reorder the text around it beyond
 * what its own right-to-left letters do. In markup, prefer SafeText, which also isolates it.
 */
export function safeInline(value: string, max = 80): string {
  const { text, cut } = truncateGraphemes(revealed(value), max);
  return cut ? `${text}…` : text;
}
