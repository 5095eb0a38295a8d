import { mkdirSync } from 'node:fs';
import type { AppStatus, LockReason } from '../../shared/ipc/views';
import { StoreBackups } from '../backup/store-backups';
import { systemClock, systemTimer } from '../common/clock';
import { errorCodeOf } from '../errors';
import type { IpcHandlers } from '../ipc/router';
import { createLogger } from '../log';
import { zohoEndpoints } from '../zoho';
import { type KeychainAvailability, readAppStatus } from './app-status';
import type { TokenDeskCoreDeps } from './core-deps';
import { joinAreaHandlers } from './handlers/area-handlers';
import { auditHandlers } from './handlers/audit-handlers';
import { backupHandlers } from './handlers/backup-handlers';
import type { CoreContext } from './handlers/core-context';
import { demoHandlers } from './handlers/demo-handlers';
import { labelHandlers } from './handlers/label-handlers';
import { settingsHandlers } from './handlers/settings-handlers';
import { signInHandlers } from './handlers/sign-in-handlers';
import { sourceHandlers } from './handlers/source-handlers';
import { storeHandlers } from './handlers/store-handlers';
import { teamHandlers } from './handlers/team-handlers';
import { tokenHandlers } from './handlers/token-handlers';
import { tokenJobHandlers } from './handlers/token-job-handlers';
import { IdleLock } from './idle-lock';
import { OpenStoreLabels } from './open-store-labels';
import { OpenStoreServices } from './open-store-services';
import { SignInFlows } from './sign-in-flows';
import { defaultPassphraseProtector, StoreLifecycle } from './store-lifecycle';
import { withStoreWork } from './store-work';
import { createTokenJobsPart } from './token-jobs-part';
import { ZohoRouting } from './zoho-routing';

export type { LogFolder, Notify, SystemLockEvent, SystemLockEvents, TokenDeskCoreDeps } from './core-deps';
export type { KeychainAccess } from './store-lifecycle';
export { clientsFor, isFromEndedDemoRun } from './zoho-routing';

const log = createLogger('app.core');

export interface TokenDeskCore {
  readonly handlers: IpcHandlers;
  status(): Promise<AppStatus>;
  /** Origins of the running simulator (the edge's external-URL policy allows them in demo mode). */
  simulatorOrigins(): string[];
  close(): Promise<void>;
}

/** Owner-only on POSIX (Windows ignores it). */
export const DATA_DIR_MODE = 0o700;

/**
 * The app without Electron, and its composition root: builds the store lifecycle, the Zoho routing (real
 * hosts or the demo simulator), the open store's services, sign-in flows, backups and the auto-lock, then
 * answers each IPC contract method with one area's handler module (handlers/, docs/architecture.md
 * "Adding an IPC channel"). The Electron edge and the e2e harness both run this.
 */
export async function createTokenDeskCore(deps: TokenDeskCoreDeps): Promise<TokenDeskCore> {
  // The folder holds the encrypted store and its settings: owner only, like the database files (0600).
  // `mode` applies only to folders mkdir creates; an existing folder keeps its permissions.
  mkdirSync(deps.dataDir, { recursive: true, mode: DATA_DIR_MODE });
  const clock = deps.clock ?? systemClock;
  const passphraseProtector = deps.passphraseProtector ?? defaultPassphraseProtector;
  const lifecycle = new StoreLifecycle({
    dataDir: deps.dataDir,
    keychain: deps.keychain,
    clock,
    passphraseProtector,
  });
  await lifecycle.start();
  const keychain: KeychainAvailability = deps.keychain
    ? await deps.keychain
        .availability()
        .catch(() => ({ available: false, reason: 'The keychain could not be checked.' }))
    : { available: false, reason: 'No system keychain in this environment.' };

  const zoho = new ZohoRouting({
    endpoints: deps.endpoints ?? zohoEndpoints,
    clock,
    browserOpener: deps.browserOpener,
    ...(deps.httpTimeoutMs !== undefined ? { httpTimeoutMs: deps.httpTimeoutMs } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const changed = (reason: string) => deps.notify('tokens.changed', { reason });
  const services = new OpenStoreServices({
    lifecycle,
    zoho,
    clipboard: deps.clipboard,
    clock,
    notify: deps.notify,
    changed,
  });
  services.watchDatabase();
  const flows = new SignInFlows((progress) => deps.notify('signin.progress', progress));
  // Check all, bulk actions, the list export and the check schedule (docs/health.md).
  const tokenJobs = createTokenJobsPart({
    serviceFor: (sourceId) => services.serviceFor(sourceId),
    assertMayDelete: (sourceId, deleteIfRevokeFails) =>
      services.assertMayDelete(sourceId, deleteIfRevokeFails),
    auditLog: () => lifecycle.require().audit,
    track: (work) => lifecycle.track(work),
    isUnlocked: () => lifecycle.current !== null,
    notify: deps.notify,
    settings: deps.settings,
    clock,
    timer: deps.timer ?? systemTimer,
    ...(deps.attentionSignals ? { signals: deps.attentionSignals } : {}),
  });

  // Lock (docs/store-lifecycle.md "Lock"): by the window, after the idle time, or on sleep / screen lock.
  const idle = new IdleLock({
    clock,
    timer: deps.timer ?? systemTimer,
    idleMs: () => deps.settings.get().autoLockSeconds * 1000,
    onIdle: () => lockInBackground('idle'),
  });
  if (lifecycle.current) idle.start();
  const stopSystemEvents = deps.systemEvents?.subscribe((event) => {
    log.info('system event: locking the store', { event });
    lockInBackground('system');
  });

  /** A lock nobody waits for (idle, system): a failure is logged, never an unhandled rejection. */
  function lockInBackground(reason: LockReason): void {
    lockStore(reason).catch((error: unknown) =>
      log.error('the store could not be locked', { reason, errorCode: errorCodeOf(error) ?? 'UNEXPECTED' }),
    );
  }

  async function lockStore(reason: LockReason): Promise<void> {
    idle.stop();
    // A browser sign-in waits on a person and may wait minutes: it is cancelled, not waited for.
    flows.cancelAll();
    // A check of every token would hold the lock for minutes: it stops starting tokens instead.
    tokenJobs.locking();
    const locked = await lifecycle
      // Clears a copied token from the clipboard and stops pending-revoke timers of this store.
      .lock(reason, () => services.close())
      .catch((error: unknown) => {
        // Still unlocked: keep counting towards the next auto-lock, and tell whoever asked.
        if (lifecycle.current) idle.start();
        throw error;
      });
    if (locked) deps.notify('store.locked', { reason });
  }

  const backups = new StoreBackups({
    dataDir: deps.dataDir,
    clock,
    current: () => lifecycle.require(),
    databasePath: () => lifecycle.databasePath,
    replaceStore: (replace, protector) => lifecycle.replaceStore(replace, protector),
    protectorFor: (kind, passphrase) => {
      if (kind === 'safeStorage' && deps.keychain) return deps.keychain.protector();
      return passphraseProtector(passphrase ?? '');
    },
    audit: (entry) => lifecycle.audit(entry),
    onProgress: (progress) => deps.notify('backup.progress', progress),
    fileDialogs: deps.backupDialogs !== undefined,
  });

  const status = () =>
    readAppStatus({
      lifecycle,
      services,
      zoho,
      settings: deps.settings,
      keychain,
      demoAvailable: deps.startSimulator !== undefined,
      version: deps.version ?? '0.1.0',
    });

  const ctx: CoreContext = {
    deps,
    clock,
    lifecycle,
    zoho,
    services,
    idle,
    flows,
    backups,
    labels: new OpenStoreLabels(lifecycle, () => clock.now()),
    changed,
    status,
    lockStore,
    tokenJobs,
  };
  // One module per area; a new area's handlers are added to this list (the type check names any gap).
  const handlers = joinAreaHandlers([
    storeHandlers(ctx),
    tokenHandlers(ctx),
    signInHandlers(ctx),
    auditHandlers(ctx),
    settingsHandlers(ctx),
    demoHandlers(ctx),
    sourceHandlers(ctx),
    teamHandlers(ctx),
    backupHandlers(ctx),
    tokenJobHandlers(ctx),
    labelHandlers(ctx),
  ]);

  return {
    handlers: withStoreWork(handlers, {
      activity: () => idle.activity(),
      track: (work) => lifecycle.track(work),
    }),
    status,
    simulatorOrigins: () => zoho.simulatorOrigins(),
    async close() {
      idle.stop();
      tokenJobs.close();
      stopSystemEvents?.();
      flows.cancelAll();
      // A copied token still on the clipboard goes now: its 60 s timer would not outlive the app.
      await services.close();
      lifecycle.close();
      await zoho.close();
    },
  };
}
