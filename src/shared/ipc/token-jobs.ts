import { z } from 'zod';
import { DeleteResultSchema } from './views';

/**
 * Work over many tokens at once, run by main (docs/health.md): "Check all" (a test call per token, also on
 * a schedule) and the bulk actions on selected tokens. One job runs at a time; its outcome is one line per
 * token, in plain words main chose, so the report dialog, its CSV and the audit log say the same.
 */
export const TOKEN_JOB_ACTIONS = ['check', 'test', 'refresh', 'delete'] as const;
export const TokenJobActionSchema = z.enum(TOKEN_JOB_ACTIONS);
export type TokenJobAction = z.infer<typeof TokenJobActionSchema>;

/**
 * `done`: what was asked happened. `failed`: it did not (Zoho refused, no answer). `kept`: a delete whose
 * revoke failed, so the token stays (docs/failure-outcomes.md). `skipped`: not tried, and why (a limit, a
 * token that cannot be tested). `cancelled`: the job was cancelled before this token's turn.
 */
export const TOKEN_OUTCOME_STATES = ['done', 'failed', 'kept', 'skipped', 'cancelled'] as const;
export const TokenOutcomeStateSchema = z.enum(TOKEN_OUTCOME_STATES);
export type TokenOutcomeState = z.infer<typeof TokenOutcomeStateSchema>;

export const TokenJobOutcomeSchema = z.object({
  id: z.string(),
  /** As the console names the user (the email). */
  userName: z.string().nullable(),
  state: TokenOutcomeStateSchema,
  /** Short words for the report's state column, e.g. "CRM call worked", "Revoke failed, kept: retry". */
  label: z.string(),
  /** Why, in plain words (Zoho's answer, the limit that skipped it), or null. */
  detail: z.string().nullable(),
  /** After this job the token needs a person (re-authorisation, or it failed its test). */
  needsAttention: z.boolean(),
  /** A delete's own result, so the report can offer "Retry" on a kept token as Clear all does. */
  delete: DeleteResultSchema.nullable(),
});
export type TokenJobOutcome = z.infer<typeof TokenJobOutcomeSchema>;

export const TokenJobTriggerSchema = z.enum(['manual', 'schedule']);
export type TokenJobTrigger = z.infer<typeof TokenJobTriggerSchema>;

export const TokenJobResultSchema = z.object({
  jobId: z.string(),
  action: TokenJobActionSchema,
  trigger: TokenJobTriggerSchema,
  startedAt: z.number(),
  finishedAt: z.number(),
  /** True when the job was cancelled part-way (the outcomes say which tokens were not reached). */
  cancelled: z.boolean(),
  outcomes: z.array(TokenJobOutcomeSchema),
  counts: z.object({
    done: z.number().int(),
    failed: z.number().int(),
    kept: z.number().int(),
    skipped: z.number().int(),
    cancelled: z.number().int(),
  }),
  /** Side-writes that failed (the job's audit entry), in plain words; they never change an outcome. */
  warnings: z.array(z.string()),
  /** The outcome report as CSV (RFC 4180, formula-guarded), no secret in it. */
  csv: z.string(),
});
export type TokenJobResult = z.infer<typeof TokenJobResultSchema>;

export const TokenJobProgressSchema = z.object({
  jobId: z.string(),
  action: TokenJobActionSchema,
  trigger: TokenJobTriggerSchema,
  done: z.number().int(),
  total: z.number().int(),
  /** Set once, on the last report of a job. */
  finished: z.boolean(),
});
export type TokenJobProgress = z.infer<typeof TokenJobProgressSchema>;
