import { z } from 'zod';
import { AUDIT_OUTCOMES } from './views';

/**
 * The team store as the window sees it (docs/team-store.md "In the console"): the connection settings a
 * person types in, this computer's member key (public half only), the members, and the team's audit log.
 * A database password is sent to main once (create or join) and never comes back.
 */
export const TeamConnectionSettingsSchema = z
  .object({
    host: z.string().trim().min(1, 'Type the database server’s host name.').max(255),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().trim().min(1, 'Type the database name.').max(63),
    user: z.string().trim().min(1, 'Type the database user.').max(63),
    password: z.string().max(1024).default(''),
    /** `required`: TLS with the server's certificate checked; `insecure`: TLS without the check. */
    tls: z.enum(['off', 'required', 'insecure']).default('off'),
    /** The schema holding the team store's tables. */
    schema: z
      .string()
      .trim()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Lower-case letters, digits and underscores.')
      .default('tokendesk'),
  })
  .strict();
export type TeamConnectionSettings = z.infer<typeof TeamConnectionSettingsSchema>;
export type TeamConnectionSettingsInput = z.input<typeof TeamConnectionSettingsSchema>;

export const MemberAccessSchema = z.enum(['manage', 'read-only']);

/** This computer's member key: what you send to a member so they can add you. */
export const MemberKeyViewSchema = z.object({
  name: z.string(),
  /** 43 characters of base64url: safe to share. */
  publicKey: z.string(),
  /** `ABCD-EFGH-IJKL-MNOP`: both people compare it before trusting each other. */
  fingerprint: z.string(),
});
export type MemberKeyView = z.infer<typeof MemberKeyViewSchema>;

export const TeamStateSchema = z.object({
  memberKey: MemberKeyViewSchema,
  /** The team store this computer works with, or null when none is set up. */
  team: z
    .object({
      /** The token source id: token actions on team tokens name it as `sourceId`. */
      sourceId: z.string(),
      displayName: z.string(),
      /** The settings without the password (for the form). */
      settings: TeamConnectionSettingsSchema.omit({ password: true }),
      /** null until the store is open (or when it could not be opened: see `problem`). */
      access: MemberAccessSchema.nullable(),
      /** `team store unreachable, retrying` while the connection is down, else null. */
      statusMessage: z.string().nullable(),
      /** Why the store could not be opened, in plain words (not a member yet, wrong password...). */
      problem: z.string().nullable(),
    })
    .nullable(),
});
export type TeamState = z.infer<typeof TeamStateSchema>;

/** "Test connection", in plain words: reachable, and what is there for this member key. */
export const TeamConnectionCheckSchema = z.object({
  ok: z.boolean(),
  /** `member` / `not-a-member`: a team store is there; `empty`: none yet (create one); null: failed. */
  found: z.enum(['member', 'not-a-member', 'empty']).nullable(),
  message: z.string(),
});
export type TeamConnectionCheck = z.infer<typeof TeamConnectionCheckSchema>;

export const TeamMemberViewSchema = z.object({
  memberId: z.string(),
  name: z.string(),
  fingerprint: z.string(),
  access: MemberAccessSchema,
  addedAt: z.number(),
  isYou: z.boolean(),
});
export type TeamMemberView = z.infer<typeof TeamMemberViewSchema>;

export const TeamRemoveResultSchema = z.object({
  removedName: z.string(),
  reencrypted: z.number().int(),
  unreadableCount: z.number().int(),
  /** What the person must still do: revoke what the removed member could already read. */
  advice: z.string(),
  /** Tokens in the team store now: those the removed member could have read. */
  tokenCount: z.number().int(),
});
export type TeamRemoveResult = z.infer<typeof TeamRemoveResultSchema>;

export const TeamAuditEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  /** The member or server behind the action: its name and key fingerprint. */
  actor: z.string(),
  action: z.string(),
  /** `partial`: some but not all of what was asked (team schema version 2, docs/team-store.md). */
  outcome: z.enum(AUDIT_OUTCOMES),
  tokenId: z.string().nullable(),
  userName: z.string().nullable(),
  detail: z.string(),
  /** The token source acted on, by display name; null: the team store itself. */
  source: z.string().nullable(),
});
export type TeamAuditEntry = z.infer<typeof TeamAuditEntrySchema>;

/** Why the team's token list should be read again (pushed as `team.changed`). */
export const TeamChangeSchema = z.object({
  reason: z.enum(['local', 'remote', 'resync', 'members', 'connection']),
});
