import { z } from 'zod';
import { DataCenterIdSchema, EnvironmentSchema } from '../datacenters';
import { repeating } from './columnar';

/**
 * What the renderer may see of a token: masked previews, never a raw secret (docs/architecture.md "Secrets").
 * `status` is computed in main from the stored row and the clock at list time; the renderer recomputes
 * only the countdown from `expiresAt`.
 */
/**
 * `demo-ended`: issued by a run of the built-in Zoho simulator that has ended (its loopback API domain is
 * not the running simulator's); the simulator keeps its tokens only while it runs, so it works nowhere.
 */
export const TOKEN_STATUSES = ['valid', 'expiring', 'expired', 'reauth', 'unreadable', 'demo-ended'] as const;
export const TokenStatusSchema = z.enum(TOKEN_STATUSES);
export type TokenStatus = z.infer<typeof TokenStatusSchema>;

export const TestCallResultSchema = z.object({
  at: z.number(),
  ok: z.boolean(),
  /** HTTP status of the CurrentUser call (or the last one made), null when no answer came. */
  httpStatus: z.number().nullable(),
  latencyMs: z.number(),
  userEmail: z.string().nullable(),
  userName: z.string().nullable(),
  orgName: z.string().nullable(),
  orgId: z.string().nullable(),
  /** True when the access token was refreshed for (or during) this call. */
  refreshed: z.boolean(),
  errorCode: z.string().nullable(),
  message: z.string().nullable(),
});
export type TestCallResult = z.infer<typeof TestCallResultSchema>;

/**
 * The token list crosses IPC as columns derived from this schema (src/shared/ipc/token-list.ts): a field
 * added here is listed with no other edit. Mark a field `repeating` when most tokens share its value, so
 * the list sends each distinct value once; every field must be present in each view (nullable, never
 * optional).
 */
export const TokenViewSchema = z.object({
  id: z.string(),
  userName: z.string().nullable(),
  clientId: repeating(z.string().nullable()),
  dataCenter: repeating(DataCenterIdSchema.nullable()),
  environment: repeating(EnvironmentSchema.nullable()),
  apiDomain: repeating(z.string().nullable()),
  scopes: repeating(z.array(z.string())),
  status: repeating(TokenStatusSchema),
  /** Masked, e.g. `1000.ab…9f3c`; null when there is none. */
  accessTokenPreview: z.string().nullable(),
  refreshTokenPreview: z.string().nullable(),
  /** Access-token expiry, epoch ms. */
  expiresAt: z.number().nullable(),
  createdAt: z.number().nullable(),
  updatedAt: z.number().nullable(),
  lastRefreshedAt: z.number().nullable(),
  lastError: z.string().nullable(),
  lastTest: TestCallResultSchema.nullable(),
  /**
   * Names a person gave (docs/labels.md): the token's OAuth client, and the token itself (label, note);
   * and the CRM organisation its last successful test reached. Not secret; null when there is none.
   */
  clientName: repeating(z.string().nullable()),
  label: z.string().nullable(),
  note: z.string().nullable(),
  orgName: repeating(z.string().nullable()),
});
export type TokenView = z.infer<typeof TokenViewSchema>;

/**
 * What Zoho answered a revoke. `already-dead`: Zoho no longer knows the token ("invalid token"), so
 * access was already cut there (revoked elsewhere, replaced or evicted).
 */
export const RevokeOutcomeSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('revoked') }),
  z.object({ state: z.literal('already-dead') }),
  z.object({ state: z.literal('skipped') }),
  z.object({ state: z.literal('failed'), code: z.string(), message: z.string() }),
]);
export type RevokeOutcome = z.infer<typeof RevokeOutcomeSchema>;

/**
 * Side-writes (audit log, notes) that failed while the operation itself was done, in plain words, e.g.
 * "the audit entry could not be written: disk full". They never change the outcome they accompany.
 */
const WarningsSchema = z.array(z.string()).optional();

export const DeleteResultSchema = z.object({
  id: z.string(),
  revoke: RevokeOutcomeSchema,
  /** False when the revoke failed and the caller did not ask to delete locally anyway, or the delete failed. */
  deleted: z.boolean(),
  /**
   * The row was deleted although its revoke failed: the refresh token is kept as a pending revoke and
   * retried until Zoho confirms it dead.
   */
  pendingRevoke: z.boolean().optional(),
  /** Why the row could not be deleted (e.g. "disk full"), when that failed. */
  deleteError: z.string().nullable().optional(),
  /** The token source the row was (or was to be) deleted from, by its name; absent: this computer's store. */
  deletedFrom: z.string().optional(),
  warnings: WarningsSchema,
});
export type DeleteResult = z.infer<typeof DeleteResultSchema>;

export const ClearAllResultSchema = z.object({
  results: z.array(DeleteResultSchema.extend({ userName: z.string().nullable() })),
  deletedCount: z.number(),
  revokeFailedCount: z.number(),
  warnings: WarningsSchema,
});

/** A refresh token no row holds any more that may still work at Zoho, retried until Zoho confirms it dead. */
export const PendingRevokeViewSchema = z.object({
  id: z.string(),
  tokenId: z.string().nullable(),
  userName: z.string().nullable(),
  clientId: z.string().nullable(),
  dataCenter: DataCenterIdSchema.nullable(),
  environment: EnvironmentSchema.nullable(),
  /** Why it waits, in plain words ("replaced by a new sign-in"). */
  reason: z.string(),
  createdAt: z.number(),
  attempts: z.number(),
  lastAttemptAt: z.number().nullable(),
  nextAttemptAt: z.number().nullable(),
  /** What Zoho (or the network) answered the last attempt. */
  lastError: z.string().nullable(),
  refreshTokenPreview: z.string().nullable(),
  /** False: the database refused the record (e.g. disk full), so it lives only while the app runs. */
  onDisk: z.boolean(),
});
export type PendingRevokeView = z.infer<typeof PendingRevokeViewSchema>;

export const PendingRevokeRetrySchema = z.object({
  id: z.string(),
  revoke: RevokeOutcomeSchema,
  /** True when Zoho confirmed the token dead and the record is gone. */
  resolved: z.boolean(),
});

/**
 * A sign-in or re-authorisation: the saved token, and, when it replaced a stored token of the same
 * user and client, what Zoho answered the revoke of the replaced refresh token.
 */
export const GrantResultSchema = TokenViewSchema.extend({
  replaced: z
    .object({
      revoke: RevokeOutcomeSchema,
      /** The revoke failed: the replaced token is kept as a pending revoke and retried. */
      pendingRevoke: z.boolean(),
    })
    .nullable()
    .optional(),
  warnings: WarningsSchema,
});
export type GrantResult = z.infer<typeof GrantResultSchema>;
export type ClearAllResult = z.infer<typeof ClearAllResultSchema>;

export const AUDIT_ACTIONS = [
  'grant',
  'refresh',
  'revoke',
  'delete',
  'clear',
  'test',
  'copy',
  'import',
  'export',
  'unlock_failed',
  'unlock',
  'passphrase_changed',
  'settings',
  'backup',
  'restore',
  'lock',
  /** A client named, or a token's label or note changed (docs/labels.md). */
  'label',
] as const;
const AuditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditActionSchema>;

/**
 * `partial`: the action did some but not all of what was asked (deleted but not revoked; 2 of 3 cleared).
 * Rows written before it existed may still be `failure` with a detail opening "Partly done:"
 * (src/shared/audit-outcome.ts shows those as partly done too).
 */
export const AUDIT_OUTCOMES = ['success', 'partial', 'failure'] as const;
const AuditOutcomeSchema = z.enum(AUDIT_OUTCOMES);
export type AuditOutcome = z.infer<typeof AuditOutcomeSchema>;

/** The audit filter's word for "the store this audit log belongs to" (rows whose `source` is null). */
export const OWN_STORE_SOURCE = 'local';

export const AuditEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  action: AuditActionSchema,
  tokenId: z.string().nullable(),
  userName: z.string().nullable(),
  outcome: AuditOutcomeSchema,
  /** Plain words, never a secret. */
  detail: z.string(),
  /**
   * The token source the action was on, by its display name (`FileStore sdk_tokens.txt`, docs/sources.md);
   * null for the store that keeps this audit log (and for rows written before the column existed).
   */
  source: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditFilterSchema = z.object({
  action: AuditActionSchema.optional(),
  outcome: AuditOutcomeSchema.optional(),
  /** A source's display name, or OWN_STORE_SOURCE for the rows of the store itself. */
  source: z.string().min(1).max(300).optional(),
  tokenId: z.string().max(40).optional(),
  /** Case-insensitive substring of user name or detail. */
  text: z.string().max(200).optional(),
  since: z.number().optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

const ThemeSchema = z.enum(['system', 'light', 'dark']);

export const SettingsSchema = z.object({
  defaultDataCenter: DataCenterIdSchema,
  defaultEnvironment: EnvironmentSchema,
  /** Loopback redirect port; Zoho needs `http://127.0.0.1:<port><path>` registered exactly. */
  redirectPort: z.number().int().min(1024).max(65535),
  redirectPath: z.string().regex(/^\/[A-Za-z0-9/_-]*$/),
  demoMode: z.boolean(),
  theme: ThemeSchema,
  /** Lock the store after this many seconds without user activity; 0 = never (docs/store-lifecycle.md). */
  autoLockSeconds: z.number().int().min(0).max(86_400),
  /** Check every token this often (hours) while the app is open; 0 = never, the default (docs/health.md). */
  healthCheckHours: z.union([z.literal(0), z.literal(6), z.literal(12), z.literal(24)]),
});
export type Settings = z.infer<typeof SettingsSchema>;

const StoreStateSchema = z.enum(['uninitialised', 'locked', 'unlocked']);

/**
 * The database file as this app last found it: `busy` while another program (an SDK app sharing the file,
 * the sqlite3 shell) holds its write lock; `pendingWrites` audit rows and token notes accepted and waiting
 * for that lock, written in order once it is free.
 */
export const DatabaseStateSchema = z.object({
  busy: z.boolean(),
  pendingWrites: z.number().int().min(0),
});
export type DatabaseState = z.infer<typeof DatabaseStateSchema>;

/** Why an unlocked store was locked again: the Lock button or Ctrl/Cmd+L, no activity, or sleep / screen lock. */
export const LockReasonSchema = z.enum(['manual', 'idle', 'system']);
export type LockReason = z.infer<typeof LockReasonSchema>;

export const AppStatusSchema = z.object({
  store: StoreStateSchema,
  /** How the data key is protected, once set up. */
  protector: z.enum(['keychain', 'passphrase']).nullable(),
  /** A keychain store that also opens with a passphrase (for the `tokendesk` command); false otherwise. */
  alsoPassphrase: z.boolean(),
  keychain: z.object({
    available: z.boolean(),
    /** Plain words when the keychain cannot be used (e.g. Linux `basic_text` backend). */
    reason: z.string().nullable(),
  }),
  demo: z
    .object({
      running: z.boolean(),
      clientId: z.string().nullable(),
      /** The simulator's demo client secret is not a real secret; shown so a newcomer can paste it. */
      clientSecret: z.string().nullable(),
      redirectUri: z.string().nullable(),
      users: z.array(z.string()),
      dataCenters: z.array(DataCenterIdSchema),
    })
    .nullable(),
  version: z.string(),
  /**
   * Set when a store was created in this data folder but its file is gone or holds no key: the unlock
   * screen says so, and a new store is made only if the person asks for one.
   */
  missingStore: z.object({ reason: z.enum(['missing', 'empty']), message: z.string() }).nullable(),
  /** Epoch ms before which no passphrase is tried (after wrong ones in a row); null when there is no wait. */
  unlockRetryAt: z.number().nullable(),
  /** Present while the store is unlocked. */
  database: DatabaseStateSchema.optional(),
  /** Set while the store is locked because it was locked in this run (not at start). */
  lockedBy: LockReasonSchema.nullable().optional(),
});
export type AppStatus = z.infer<typeof AppStatusSchema>;

/**
 * Set-up and unlock answer with the new status and, when a side write failed (the audit row, the note
 * beside the store), a warning in plain words: the store is still set up or unlocked.
 */
export const StoreChangeResultSchema = AppStatusSchema.extend({ warning: z.string().nullable() });
export type StoreChangeResult = z.infer<typeof StoreChangeResultSchema>;

/** The stages a sign-in walks through, in order, up to success; the progress view lists them. */
export const SIGN_IN_STAGE_ORDER = [
  'starting',
  'waiting-for-browser',
  'exchanging-code',
  'fetching-user',
  'saving',
  'done',
] as const;

/** Every stage `signin.progress` reports: the ordered ones, and the two ways a sign-in ends short. */
export const SIGN_IN_STAGES = [...SIGN_IN_STAGE_ORDER, 'failed', 'cancelled'] as const;
export type SignInStage = (typeof SIGN_IN_STAGES)[number];

export const SignInProgressSchema = z.object({
  flowId: z.string(),
  stage: z.enum(SIGN_IN_STAGES),
  /** The consent URL opened in the system browser (no secret in it), so the user can open it again. */
  authUrl: z.string().nullable(),
  message: z.string().nullable(),
});
export type SignInProgress = z.infer<typeof SignInProgressSchema>;

export const ClearProgressSchema = z.object({ done: z.number(), total: z.number() });

/** Backups (Settings): when the last one was made and whether to remind the person. */
export const BackupStatusSchema = z.object({
  lastBackupAt: z.number().nullable(),
  remindAfterDays: z.number().int().positive(),
  /** No backup yet, or none for `remindAfterDays`. */
  reminderDue: z.boolean(),
  /** File name to offer (a date and the `.tdbackup` extension). */
  suggestedName: z.string(),
  /** Native file dialogs exist (Electron); elsewhere the path is typed. */
  fileDialogs: z.boolean(),
});
export type BackupStatus = z.infer<typeof BackupStatusSchema>;

export const BackupProgressSchema = z.object({
  operation: z.enum(['backup', 'restore']),
  stage: z.enum(['copying', 'encrypting', 'writing', 'checking', 'reading', 'replacing', 'done']),
  percent: z.number().min(0).max(100),
});
export type BackupProgress = z.infer<typeof BackupProgressSchema>;

export const BackupResultSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('written'),
    path: z.string(),
    bytes: z.number(),
    tokens: z.number(),
    at: z.number(),
  }),
  z.object({ outcome: z.literal('cancelled') }),
]);

export const RestoreResultSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('restored'),
    path: z.string(),
    tokens: z.number(),
    /** Tokens of the replaced store the backup lacked (added or re-authorised since), kept. */
    keptTokens: z.number(),
    backupMadeAt: z.number(),
    previousStoreKeptAs: z.string(),
  }),
  z.object({ outcome: z.literal('cancelled') }),
]);
