import { z } from 'zod';
import { ErrorCodeSchema } from '../errors/error-codes';
import { backupChannels } from './channels/backup-channels';
import { consoleChannels } from './channels/console-channels';
import { signInChannels } from './channels/sign-in-channels';
import { sourceChannels } from './channels/source-channels';
import { storeChannels } from './channels/store-channels';
import { teamChannels } from './channels/team-channels';
import { tokenChannels } from './channels/token-channels';
import { TeamChangeSchema } from './team';
import { TokenJobProgressSchema } from './token-jobs';
import {
  BackupProgressSchema,
  ClearProgressSchema,
  DatabaseStateSchema,
  LockReasonSchema,
  SignInProgressSchema,
} from './views';

/**
 * The IPC contract (docs/architecture.md "IPC contract"): every channel the renderer may call, keyed by the name of
 * the function preload exposes on `window.tokendesk`. Main registers a handler for every key (the router's
 * types require it), preload exposes one function per key, and the renderer's API type is derived below.
 * Requests are `strict` objects so unknown fields are rejected, and strings are bounded. Each area's
 * channels are written in `channels/<area>-channels.ts`; this table joins them.
 */
export const ipcContract = {
  ...storeChannels,
  ...tokenChannels,
  ...signInChannels,
  ...consoleChannels,
  ...sourceChannels,
  ...teamChannels,
  ...backupChannels,
} as const;

/** The methods that more than one of `Areas` declares (never when each is declared once). */
export type MethodsDeclaredTwice<Areas, Seen = never> = Areas extends readonly [infer First, ...infer Rest]
  ? (keyof First & Seen) | MethodsDeclaredTwice<Rest, Seen | keyof First>
  : never;
type ChannelAreas = [
  typeof storeChannels,
  typeof tokenChannels,
  typeof signInChannels,
  typeof consoleChannels,
  typeof sourceChannels,
  typeof teamChannels,
  typeof backupChannels,
];
/**
 * A spread keeps only the last of two same-named methods, with no error; this line makes a method two areas
 * declare a type error that names it.
 */
export const eachMethodDeclaredOnce: [MethodsDeclaredTwice<ChannelAreas>] extends [never]
  ? true
  : { readonly declaredTwice: MethodsDeclaredTwice<ChannelAreas> } = true;

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
