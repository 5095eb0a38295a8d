import { z } from 'zod';
import { DataCenterIdSchema, EnvironmentSchema } from '../datacenters';
import { ErrorCodeSchema } from '../errors/error-codes';
import {
  ClientNameResultSchema,
  clientNameField,
  TokenLabelResultSchema,
  tokenLabelField,
  tokenNoteField,
} from './labels';
import {
  PLAINTEXT_CONFIRMATION,
  SourceHealthSchema,
  SourceSettingsSchema,
  SourceViewSchema,
  TransferResultSchema,
} from './sources';
import {
  MemberAccessSchema,
  TeamAuditEntrySchema,
  TeamChangeSchema,
  TeamConnectionCheckSchema,
  TeamConnectionSettingsSchema,
  TeamMemberViewSchema,
  TeamRemoveResultSchema,
  TeamStateSchema,
} from './team';
import { TokenJobActionSchema, TokenJobProgressSchema, TokenJobResultSchema } from './token-jobs';
import { TokenListWireSchema } from './token-list';
import {
  AppStatusSchema,
  AuditEntrySchema,
  AuditFilterSchema,
  BackupProgressSchema,
  BackupResultSchema,
  BackupStatusSchema,
  ClearAllResultSchema,
  ClearProgressSchema,
  DatabaseStateSchema,
  DeleteResultSchema,
  GrantResultSchema,
  LockReasonSchema,
  PendingRevokeRetrySchema,
  PendingRevokeViewSchema,
  RestoreResultSchema,
  SettingsSchema,
  SignInProgressSchema,
  StoreChangeResultSchema,
  TestCallResultSchema,
  TokenViewSchema,
} from './views';

/**
 * The IPC contract (docs/architecture.md "IPC contract"): every channel the renderer may call, keyed by the name of
 * the function preload exposes on `window.tokendesk`. Main registers a handler for every key (the router's
 * types require it), preload exposes one function per key, and the renderer's API type is derived below.
 * Requests are `strict` objects so unknown fields are rejected, and strings are bounded.
 */
const id = z.string().min(1).max(40);
const flowId = z.string().uuid();
const clientId = z.string().trim().min(1).max(200);
const clientSecret = z.string().trim().min(1).max(500);
const scopes = z.array(z.string().trim().min(1).max(200)).min(1).max(50);
const account = {
  dataCenter: DataCenterIdSchema,
  environment: EnvironmentSchema,
  clientId,
  clientSecret,
};
const passphrase = z.string().min(8, 'Use at least 8 characters.').max(1024);
const empty = z.object({}).strict();
/** Which token source an action is for (`local`, the encrypted store, when absent). */
const sourceId = z.string().min(1).max(80).optional();
const backupPath = z.string().trim().min(1).max(4096);

export const ipcContract = {
  getStatus: { channel: 'app.status', request: empty, response: AppStatusSchema },
  setupStore: {
    channel: 'store.setup',
    // `startOver`: the person chose to replace a store that is missing or empty (AppStatus.missingStore).
    request: z.discriminatedUnion('protector', [
      z.object({ protector: z.literal('keychain'), startOver: z.literal(true).optional() }).strict(),
      z
        .object({ protector: z.literal('passphrase'), passphrase, startOver: z.literal(true).optional() })
        .strict(),
    ]),
    response: StoreChangeResultSchema,
  },
  unlockStore: {
    channel: 'store.unlock',
    request: z.object({ passphrase: z.string().min(1).max(1024) }).strict(),
    response: StoreChangeResultSchema,
  },
  /** A keychain-protected store locked in this run opens again only when the person asks (never by itself). */
  unlockWithKeychain: {
    channel: 'store.unlockWithKeychain',
    request: empty,
    response: StoreChangeResultSchema,
  },
  /** Locks now: running token actions finish first, then every decrypted row and key is dropped. */
  lockStore: { channel: 'store.lock', request: empty, response: AppStatusSchema },
  /** The person used the window (key, click, scroll): restarts the auto-lock countdown. Throttled by the renderer. */
  noteActivity: {
    channel: 'store.activity',
    request: empty,
    response: z.object({ noted: z.literal(true) }),
  },
  changePassphrase: {
    channel: 'store.changePassphrase',
    request: z.object({ current: z.string().min(1).max(1024), next: passphrase }).strict(),
    response: z.object({ changed: z.literal(true), warning: z.string().nullable() }),
  },
  /** A keychain store also opens with this passphrase (the `tokendesk` command has no keychain). */
  addStorePassphrase: {
    channel: 'store.addPassphrase',
    request: z.object({ passphrase }).strict(),
    response: z.object({ added: z.literal(true), warning: z.string().nullable() }),
  },
  /** The keychain store's second passphrase is removed, under a fresh data key. */
  removeStorePassphrase: {
    channel: 'store.removePassphrase',
    request: z.object({}).strict(),
    response: z.object({ removed: z.literal(true), warning: z.string().nullable() }),
  },

  /** Columns + dictionaries (token-list.ts), not TokenView[]: the renderer's api layer decodes it. */
  listTokens: {
    channel: 'tokens.list',
    request: z.object({ sourceId }).strict(),
    response: TokenListWireSchema,
  },
  refreshToken: {
    channel: 'tokens.refresh',
    request: z.object({ id, sourceId }).strict(),
    response: TokenViewSchema,
  },
  testToken: {
    channel: 'tokens.test',
    request: z.object({ id, sourceId }).strict(),
    response: TestCallResultSchema,
  },
  copyAccessToken: {
    channel: 'tokens.copyAccessToken',
    request: z.object({ id, sourceId }).strict(),
    response: z.object({
      copied: z.literal(true),
      expiresAt: z.number().nullable(),
      /** The token is on the clipboard; these say which side-write (the audit entry) failed. */
      warnings: z.array(z.string()).optional(),
    }),
  },
  deleteToken: {
    channel: 'tokens.delete',
    request: z
      .object({ id, sourceId, revoke: z.boolean(), deleteIfRevokeFails: z.boolean().default(false) })
      .strict(),
    response: DeleteResultSchema,
  },
  clearAllTokens: {
    channel: 'tokens.clearAll',
    request: z
      .object({
        sourceId,
        revoke: z.boolean(),
        /** The count the user saw and confirmed; main refuses if the store holds a different number. */
        expectedCount: z.number().int().min(0),
        /**
         * Off unless asked: a token whose revoke failed is kept (the only copy of a refresh token that may
         * still work). When on, such a row is deleted and its token kept as a pending revoke instead.
         */
        deleteIfRevokeFails: z.boolean().default(false),
      })
      .strict(),
    response: ClearAllResultSchema,
  },
  reauthorise: {
    channel: 'tokens.reauthorise',
    request: z.object({ id, flowId, sourceId }).strict(),
    response: GrantResultSchema,
  },
  /** Users already connected with this client, data center and environment: told before a sign-in. */
  connectedAccounts: {
    channel: 'tokens.connectedAccounts',
    request: z
      .object({
        clientId: z.string().trim().max(200),
        dataCenter: DataCenterIdSchema,
        environment: EnvironmentSchema,
      })
      .strict(),
    response: z.object({ userNames: z.array(z.string()) }),
  },
  /**
   * Work over many tokens (docs/health.md), one job at a time, paced for Zoho's limits, with
   * `tokens.jobProgress` events: Check all tests every token; the bulk actions act on the chosen ones.
   */
  checkAllTokens: {
    channel: 'tokens.checkAll',
    request: z.object({ sourceId }).strict(),
    response: TokenJobResultSchema,
  },
  runTokenJob: {
    channel: 'tokens.bulk',
    request: z
      .object({
        sourceId,
        action: TokenJobActionSchema.exclude(['check']),
        ids: z.array(id).min(1).max(100_000),
        /** Delete only: revoke at Zoho first (the default), and whether a failed revoke still deletes. */
        revoke: z.boolean().default(true),
        deleteIfRevokeFails: z.boolean().default(false),
      })
      .strict(),
    response: TokenJobResultSchema,
  },
  /** Tokens not started yet are not started; those in flight finish. */
  cancelTokenJob: {
    channel: 'tokens.cancelJob',
    request: z.object({ jobId: z.string().uuid() }).strict(),
    response: z.object({ cancelled: z.boolean() }),
  },
  /** The listed tokens (all when no ids) as CSV, without any secret; audited as an export. */
  exportTokenList: {
    channel: 'tokens.exportCsv',
    request: z.object({ sourceId, ids: z.array(id).max(100_000).optional() }).strict(),
    response: z.object({ csv: z.string(), count: z.number().int() }),
  },
  /** A token's label and note (docs/labels.md): both sent, blank clears one; audited. */
  setTokenLabel: {
    channel: 'tokens.setLabel',
    request: z.object({ id, sourceId, label: tokenLabelField, note: tokenNoteField }).strict(),
    response: TokenLabelResultSchema,
  },
  /** Names an OAuth client (the integration it belongs to) for every token that uses it; blank removes it. */
  setClientName: {
    channel: 'clients.setName',
    request: z.object({ clientId, name: clientNameField }).strict(),
    response: ClientNameResultSchema,
  },
  listPendingRevokes: {
    channel: 'pendingRevokes.list',
    request: empty,
    response: z.array(PendingRevokeViewSchema),
  },
  retryPendingRevoke: {
    channel: 'pendingRevokes.retry',
    request: z.object({ id: z.string().min(1).max(80) }).strict(),
    response: PendingRevokeRetrySchema,
  },

  signInWithBrowser: {
    channel: 'signin.browser',
    request: z.object({ flowId, ...account, scopes }).strict(),
    response: GrantResultSchema,
  },
  cancelSignIn: {
    channel: 'signin.cancel',
    request: z.object({ flowId }).strict(),
    response: z.object({ cancelled: z.boolean() }),
  },
  signInWithGrantCode: {
    channel: 'signin.selfClient',
    request: z.object({ ...account, grantCode: z.string().trim().min(1).max(500) }).strict(),
    response: GrantResultSchema,
  },
  importRefreshToken: {
    channel: 'signin.importRefreshToken',
    request: z.object({ ...account, refreshToken: z.string().trim().min(1).max(500) }).strict(),
    response: GrantResultSchema,
  },

  listAudit: {
    channel: 'audit.list',
    request: AuditFilterSchema.strict(),
    response: z.array(AuditEntrySchema),
  },
  exportAuditCsv: {
    channel: 'audit.exportCsv',
    request: AuditFilterSchema.strict(),
    response: z.object({ csv: z.string(), count: z.number() }),
  },

  getSettings: { channel: 'settings.get', request: empty, response: SettingsSchema },
  updateSettings: {
    channel: 'settings.update',
    request: SettingsSchema.partial().strict(),
    response: SettingsSchema,
  },

  startDemo: { channel: 'demo.start', request: empty, response: AppStatusSchema },

  /** Opens the folder of the app log in the file manager; `path` is shown so it can be found by hand. */
  openLogFolder: {
    channel: 'help.openLogFolder',
    request: empty,
    response: z.object({ opened: z.boolean(), path: z.string().max(4096) }),
  },

  /** Token sources (docs/sources.md): the SDK stores an integration uses, beside the local store. */
  listSources: { channel: 'sources.list', request: empty, response: z.array(SourceViewSchema) },
  testSource: {
    channel: 'sources.test',
    request: z.object({ settings: SourceSettingsSchema, id: sourceId }).strict(),
    response: SourceHealthSchema,
  },
  addSource: {
    channel: 'sources.add',
    request: z.object({ settings: SourceSettingsSchema }).strict(),
    response: SourceViewSchema,
  },
  updateSource: {
    channel: 'sources.update',
    request: z.object({ id: z.string().min(1).max(80), settings: SourceSettingsSchema }).strict(),
    response: SourceViewSchema,
  },
  removeSource: {
    channel: 'sources.remove',
    request: z.object({ id: z.string().min(1).max(80) }).strict(),
    response: z.object({ removed: z.literal(true) }),
  },
  transferTokens: {
    channel: 'sources.transfer',
    request: z
      .object({
        fromSourceId: z.string().min(1).max(80),
        toSourceId: z.string().min(1).max(80),
        /** Absent: every token of the source. */
        ids: z.array(id).max(100_000).optional(),
        move: z.boolean().default(false),
        /** Typed by the person when the destination keeps secrets in plaintext. */
        confirmation: z.literal(PLAINTEXT_CONFIRMATION).optional(),
      })
      .strict(),
    response: TransferResultSchema,
  },

  // The team store (docs/team-store.md "In the console"). Token actions on team tokens use the token
  // channels above with the team's `sourceId`.
  getTeam: { channel: 'team.get', request: empty, response: TeamStateSchema },
  testTeamConnection: {
    channel: 'team.test',
    request: z.object({ settings: TeamConnectionSettingsSchema }).strict(),
    response: TeamConnectionCheckSchema,
  },
  createTeamStore: {
    channel: 'team.create',
    request: z
      .object({ settings: TeamConnectionSettingsSchema, memberName: z.string().trim().max(200).optional() })
      .strict(),
    response: TeamStateSchema,
  },
  joinTeamStore: {
    channel: 'team.join',
    request: z
      .object({ settings: TeamConnectionSettingsSchema, memberName: z.string().trim().max(200).optional() })
      .strict(),
    response: TeamStateSchema,
  },
  forgetTeamStore: { channel: 'team.forget', request: empty, response: TeamStateSchema },
  listTeamMembers: { channel: 'team.members.list', request: empty, response: z.array(TeamMemberViewSchema) },
  checkTeamMemberKey: {
    channel: 'team.members.check',
    request: z.object({ publicKey: z.string().trim().min(1).max(200) }).strict(),
    response: z.object({ fingerprint: z.string() }),
  },
  addTeamMember: {
    channel: 'team.members.add',
    request: z
      .object({
        publicKey: z.string().trim().min(1).max(200),
        name: z.string().trim().min(1, 'Give the new member a name.').max(200),
        access: MemberAccessSchema,
      })
      .strict(),
    response: TeamMemberViewSchema,
  },
  removeTeamMember: {
    channel: 'team.members.remove',
    request: z.object({ memberId: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    response: TeamRemoveResultSchema,
  },
  listTeamAudit: {
    channel: 'team.audit.list',
    request: AuditFilterSchema.omit({ action: true }).strict(),
    response: z.array(TeamAuditEntrySchema),
  },
  getBackupStatus: { channel: 'backup.status', request: empty, response: BackupStatusSchema },
  /** Without `path`, main asks where with a save dialog (Electron); the harness types the path. */
  createBackup: {
    channel: 'backup.create',
    request: z.object({ path: backupPath.optional() }).strict(),
    response: BackupResultSchema,
  },
  /** Checks the whole file before anything is replaced; `passphrase` is the one the backup was made under. */
  restoreBackup: {
    channel: 'backup.restore',
    request: z.object({ path: backupPath.optional(), passphrase: z.string().max(1024).optional() }).strict(),
    response: RestoreResultSchema,
  },
} as const;

/** Pushes from main to every window (`window.tokendesk.on(event, cb)`). */
export const ipcEvents = {
  'tokens.changed': z.object({ reason: z.string() }),
  'signin.progress': SignInProgressSchema,
  'tokens.clearProgress': ClearProgressSchema,
  /** A job over many tokens (Check all, scheduled or not, and the bulk actions): done of total. */
  'tokens.jobProgress': TokenJobProgressSchema,
  'sources.transferProgress': z.object({ done: z.number().int(), total: z.number().int() }),
  /** The database turned busy or free, or the number of writes waiting for it changed. */
  'database.state': DatabaseStateSchema,
  'backup.progress': BackupProgressSchema,
  /** The store was locked (by the window, the idle timer or the system): the window shows the unlock screen. */
  'store.locked': z.object({ reason: LockReasonSchema }),
  /** The team store's tokens or members changed (any member, LISTEN/NOTIFY), or it was set up or forgotten. */
  'team.changed': TeamChangeSchema,
  /** `team store unreachable, retrying` while the team store's connection is down; null once it is back. */
  'team.status': z.object({ message: z.string().nullable() }),
} as const;

export type IpcContract = typeof ipcContract;
export type IpcMethod = keyof IpcContract;
export type IpcEventName = keyof typeof ipcEvents;

export type IpcRequest<M extends IpcMethod> = z.input<IpcContract[M]['request']>;
export type IpcParsedRequest<M extends IpcMethod> = z.output<IpcContract[M]['request']>;
export type IpcResponse<M extends IpcMethod> = z.output<IpcContract[M]['response']>;
export type IpcEventPayload<E extends IpcEventName> = z.output<(typeof ipcEvents)[E]>;

/**
 * Every failure crosses IPC as a code from the shared catalogue and plain words (and, where there is one,
 * the likely fix); the renderer words a code that arrives without them (docs/architecture.md "Errors").
 */
export const IpcErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  hint: z.string().optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The API preload exposes as `window.tokendesk`, derived from the contract. */
export type TokenDeskApi = {
  [M in IpcMethod]: (request: IpcRequest<M>) => Promise<IpcResult<IpcResponse<M>>>;
} & {
  on<E extends IpcEventName>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
};

/** Generic error codes the router itself produces; services add their own (Zoho and store codes). */
export const ROUTER_ERROR_CODES = {
  invalidArgument: 'INVALID_ARGUMENT',
  forbiddenSender: 'FORBIDDEN_SENDER',
  internal: 'INTERNAL',
} as const satisfies Record<string, z.infer<typeof ErrorCodeSchema>>;
