import { z } from 'zod';

/**
 * Token sources as the window sees them (src/main/sources): the connection settings a person types in, and
 * what the console shows per source. A password is sent to main once (add or edit) and never comes back:
 * `SourceView` carries only whether one is set.
 */
const path = z.string().trim().min(1).max(4096);
const table = z
  .string()
  .trim()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'Letters, digits and underscores, starting with a letter.')
  .default('oauthtoken');

export const SourceSettingsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('filestore'), path }).strict(),
  z.object({ kind: z.literal('sqlite'), path, table }).strict(),
  z
    .object({
      kind: z.literal('mysql'),
      host: z.string().trim().min(1).max(255).default('localhost'),
      port: z.number().int().min(1).max(65535).default(3306),
      user: z.string().trim().min(1).max(255).default('root'),
      /** Omitted on edit: keep the stored one. */
      password: z.string().max(1024).optional(),
      database: z.string().trim().min(1).max(64).default('zohooauth'),
      table,
      tls: z.enum(['off', 'required', 'insecure']).default('off'),
    })
    .strict(),
]);
export type SourceSettings = z.infer<typeof SourceSettingsSchema>;
export type SourceSettingsInput = z.input<typeof SourceSettingsSchema>;

export const SourceHealthSchema = z.object({
  ok: z.boolean(),
  /** Plain words: what failed ("Nothing answers at db:3306."), or null when it works. */
  message: z.string().nullable(),
  tokenCount: z.number().int().nullable(),
  unreadableCount: z.number().int().nullable(),
});
export type SourceHealth = z.infer<typeof SourceHealthSchema>;

export const SourceViewSchema = z.object({
  id: z.string(),
  kind: z.string(),
  displayName: z.string(),
  plaintextAtRest: z.boolean(),
  /** The settings without the password (for the edit form). */
  settings: z.unknown(),
  hasPassword: z.boolean(),
  /** Null when the list was asked for without health (`listSources` with `health: false`). */
  health: SourceHealthSchema.nullable(),
});
export type SourceView = z.infer<typeof SourceViewSchema>;

/** What the person types to confirm that secrets may be written where they sit in plaintext. */
export const PLAINTEXT_CONFIRMATION = 'PLAINTEXT';

export const TransferResultSchema = z.object({
  outcomes: z.array(
    z.object({
      id: z.string(),
      userName: z.string().nullable(),
      state: z.enum(['copied', 'moved', 'failed']),
      newId: z.string().nullable(),
      message: z.string().nullable(),
    }),
  ),
  copied: z.number().int(),
  moved: z.number().int(),
  failed: z.number().int(),
});
export type TransferResultView = z.infer<typeof TransferResultSchema>;
