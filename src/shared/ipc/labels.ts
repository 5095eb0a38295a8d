import { z } from 'zod';

/**
 * Names and labels a person gives to what the console lists (docs/labels.md): a name per OAuth client
 * (the integration it belongs to), and a label and a note per token. None of it is secret. The limits
 * count characters (code points) of the text as stored: trimmed and normalised like every stored text.
 */
export const CLIENT_NAME_MAX = 80;
export const TOKEN_LABEL_MAX = 80;
export const TOKEN_NOTE_MAX = 1000;

/** What each field is called in messages ("A label can be at most 80 characters"). */
export const LABEL_FIELDS = {
  clientName: { words: 'A client name', max: CLIENT_NAME_MAX, multiline: false },
  label: { words: 'A label', max: TOKEN_LABEL_MAX, multiline: false },
  note: { words: 'A note', max: TOKEN_NOTE_MAX, multiline: true },
} as const;
export type LabelField = keyof typeof LABEL_FIELDS;

/** Characters counted as a person counts them: an emoji is one, not two UTF-16 units. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

/**
 * Control characters a field refuses: all of C0 and C1 and DEL, except line breaks and tabs in a note.
 * Invisible direction marks and the like are kept (a name may need them) and shown escaped (SafeText).
 */
function controlCharacter(value: string, multiline: boolean): string | null {
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    if (!control) continue;
    if (multiline && (ch === '\n' || ch === '\t')) continue;
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}

/**
 * Why `value` (already trimmed and normalised) cannot be stored in `field`, in words; null when it can.
 * Main checks this before it writes; the renderer checks it as the person types, with the same words.
 */
export function labelTextProblem(field: LabelField, value: string): string | null {
  const rule = LABEL_FIELDS[field];
  const count = characterCount(value);
  if (count > rule.max) {
    return `${rule.words} can be at most ${rule.max} characters; this one has ${count}.`;
  }
  const control = controlCharacter(value, rule.multiline);
  if (control !== null) {
    return rule.multiline
      ? `${rule.words} cannot hold control characters other than line breaks and tabs (found ${control}).`
      : `${rule.words} must be one line without control characters (found ${control}).`;
  }
  return null;
}

/**
 * Request fields: bounded for transport (a surrogate pair counts two UTF-16 units, so the bound is twice
 * the limit); the exact limit is checked in main on the stored form with `labelTextProblem`.
 */
export const clientNameField = z
  .string()
  .max(CLIENT_NAME_MAX * 2, `A client name can be at most ${CLIENT_NAME_MAX} characters.`);
export const tokenLabelField = z
  .string()
  .max(TOKEN_LABEL_MAX * 2, `A label can be at most ${TOKEN_LABEL_MAX} characters.`);
export const tokenNoteField = z
  .string()
  .max(TOKEN_NOTE_MAX * 2, `A note can be at most ${TOKEN_NOTE_MAX} characters.`);

export const TokenLabelResultSchema = z.object({
  id: z.string(),
  label: z.string().nullable(),
  note: z.string().nullable(),
  /** Side-writes that failed while the label was saved (the audit row), in plain words. */
  warnings: z.array(z.string()).optional(),
});
export type TokenLabelResult = z.infer<typeof TokenLabelResultSchema>;

export const ClientNameResultSchema = z.object({
  clientId: z.string(),
  name: z.string().nullable(),
  warnings: z.array(z.string()).optional(),
});
export type ClientNameResult = z.infer<typeof ClientNameResultSchema>;
