import type { IpcMethod } from '../../shared/ipc/contract';
import type { IpcHandlers } from '../ipc/router';

/**
 * Requests the window makes by itself (on start, on focus, after an event, on a timer): they do not show
 * that a person is there, so they do not hold off the auto-lock. Every other request does, and so does
 * `noteActivity`, which the window sends (throttled) on a key, click or scroll (docs/store-lifecycle.md).
 */
const PASSIVE_METHODS: ReadonlySet<IpcMethod> = new Set<IpcMethod>([
  'getStatus',
  'getSettings',
  'listTokens',
  'listAudit',
  'listPendingRevokes',
  'listSources',
  'getBackupStatus',
  'connectedAccounts',
]);

/**
 * Requests a lock does not wait for: the lifecycle's own serial operations (waiting for them inside the
 * lock's turn would wait forever; they are ordered with the lock instead) and those that use no store.
 */
const NOT_STORE_WORK: ReadonlySet<IpcMethod> = new Set<IpcMethod>([
  'getStatus',
  'setupStore',
  'unlockStore',
  'unlockWithKeychain',
  'lockStore',
  'noteActivity',
  'changePassphrase',
  'addStorePassphrase',
  'removeStorePassphrase',
  'restoreBackup',
  'getSettings',
  'updateSettings',
  'openLogFolder',
]);

export interface StoreWorkHooks {
  /** A request that counts as the person's activity arrived. */
  readonly activity: () => void;
  /** Runs store work so a lock waits for it (StoreLifecycle.track). */
  readonly track: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Wraps every handler: activity is noted, store work is tracked for the lock. */
export function withStoreWork(handlers: IpcHandlers, hooks: StoreWorkHooks): IpcHandlers {
  const wrapped: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const method of Object.keys(handlers) as IpcMethod[]) {
    const handler = handlers[method] as (request: unknown) => unknown;
    wrapped[method] = async (request) => {
      if (!PASSIVE_METHODS.has(method)) hooks.activity();
      if (NOT_STORE_WORK.has(method)) return handler(request);
      return hooks.track(async () => handler(request));
    };
  }
  return wrapped as unknown as IpcHandlers;
}
