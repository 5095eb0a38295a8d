import { mkdirSync } from 'node:fs';
import type { IpcEventName, IpcEventPayload, IpcMethod, IpcParsedRequest } from '../../shared/ipc/contract';
import { PLAINTEXT_CONFIRMATION } from '../../shared/ipc/sources';
import { encodeTokenList } from '../../shared/ipc/token-list';
import type { AppStatus, LockReason } from '../../shared/ipc/views';
import { BackupError } from '../backup/backup-errors';
import { type BackupFileDialogs, StoreBackups } from '../backup/store-backups';
import type { Clipboard } from '../common/clipboard';
import { type Clock, type ScheduleTimer, systemClock, systemTimer } from '../common/clock';
import type { SettingsStore } from '../common/settings';
import type { IpcHandlers } from '../ipc/router';
import { createLogger } from '../log';
import {
  type BrowserOpener,
  exchangeSelfClientCode,
  type FlowTarget,
  type GrantedToken,
  importRefreshToken,
  markEvictedBySignIn,
  runBrowserSignIn,
  type SignInZoho,
  zohoSignInPort,
} from '../oauth';
import { type AccountResolver, accountResolverFor } from '../sources/account-from-api-domain';
import { SourceCatalog } from '../sources/source-catalog';
import { localSource, SourceRegistry } from '../sources/source-registry';
import { SourceServices } from '../sources/source-services';
import { SourceSettingsVault } from '../sources/source-settings-vault';
import type { TokenSource } from '../sources/token-source';
import { transferTokens } from '../sources/token-transfer';
import type { KeyProtector } from '../store/key-protector';
import { errorCodeOf, ServiceError } from '../tokens/errors';
import { SqlitePendingRevokeStore } from '../tokens/pending-revoke-store';
import { TokenService } from '../tokens/token-service';
import { keepingUnrevokedTokens } from '../tokens/unfinished-sign-in';
import { createTokenZoho, type ZohoClients } from '../tokens/zoho-gateway-adapter';
import {
  createAccountsClient,
  createCrmClient,
  type FetchLike,
  localEndpoints,
  type ZohoEndpoints,
  zohoEndpoints,
} from '../zoho';
import { type DemoSimulator, demoAwareOpener, demoStatus } from './demo';
import { IdleLock } from './idle-lock';
import { type ReportStage, SignInFlows } from './sign-in-flows';
import { defaultPassphraseProtector, type KeychainAccess, StoreLifecycle } from './store-lifecycle';
import { withStoreWork } from './store-work';

const log = createLogger('app.core');

export type Notify = <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => void;

export interface TokenDeskCoreDeps {
  /** Folder for the database and `store.json` (Electron: userData). */
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly clipboard: Clipboard;
  readonly browserOpener: BrowserOpener;
  /** null where there is no keychain (plain Node, e2e): only the passphrase is offered. */
  readonly keychain: KeychainAccess | null;
  /** The app log's folder and how to show it (Electron: shell.openPath); absent where nothing logs to a file. */
  readonly logFolder?: LogFolder;
  /** Default: Zoho's real hosts. */
  readonly endpoints?: ZohoEndpoints;
  /** Starts the Zoho simulator for demo mode; absent -> `startDemo` refuses. */
  readonly startSimulator?: () => Promise<DemoSimulator>;
  /** Pushes an event to every window. */
  readonly notify: Notify;
  /** Optional below: tests and the e2e harness. */
  readonly clock?: Clock;
  /** Default: scrypt at interactive strength; tests pass a cheap cost. */
  readonly passphraseProtector?: (passphrase: string) => KeyProtector;
  /** Loopback redirect port override (0 = any free port), instead of the settings' port. */
  readonly loopbackPort?: number;
  readonly signInTimeoutMs?: number;
  readonly httpTimeoutMs?: number;
  readonly fetch?: FetchLike;
  readonly version?: string;
  /** Native save/open dialogs for backups (Electron); without them a backup request names its path. */
  readonly backupDialogs?: BackupFileDialogs;
  /** Sleep and screen-lock events (Electron: powerMonitor); absent where there are none (tests, harness). */
  readonly systemEvents?: SystemLockEvents;
  /** The auto-lock's timer; default setTimeout. Tests pass one driven by their fake clock. */
  readonly timer?: ScheduleTimer;
}

/** What the system tells the app that should lock the store: sleep, or the screen locking. */
export type SystemLockEvent = 'suspend' | 'lock-screen';

/** The edge's source of system events (Electron: powerMonitor, src/main/electron/power-events.ts). */
export interface SystemLockEvents {
  /** Calls `listener` for each event until the returned function is called. */
  subscribe(listener: (event: SystemLockEvent) => void): () => void;
}

export interface LogFolder {
  readonly path: string;
  /** Shows the folder; rejects with a reason when the system cannot. */
  open(): Promise<void>;
}

export interface TokenDeskCore {
  readonly handlers: IpcHandlers;
  status(): Promise<AppStatus>;
  /** Origins of the running simulator (the edge's external-URL policy allows them in demo mode). */
  simulatorOrigins(): string[];
  close(): Promise<void>;
}

/** Owner-only on POSIX (Windows ignores it). */
export const DATA_DIR_MODE = 0o700;

const DEFAULT_SCOPES = ['ZohoCRM.users.READ', 'ZohoCRM.org.READ', 'ZohoCRM.modules.ALL'];

/**
 * The app without Electron: store lifecycle, TokenService, sign-in flows, demo mode, settings and audit,
 * behind one handler per IPC contract method. The Electron edge and the e2e harness both run this.
 */
export async function createTokenDeskCore(deps: TokenDeskCoreDeps): Promise<TokenDeskCore> {
  // The folder holds the encrypted store and its settings: owner only, like the database files (0600).
  // `mode` applies only to folders mkdir creates; an existing folder keeps its permissions.
  mkdirSync(deps.dataDir, { recursive: true, mode: DATA_DIR_MODE });
  const clock = deps.clock ?? systemClock;
  const lifecycle = new StoreLifecycle({
    dataDir: deps.dataDir,
    keychain: deps.keychain,
    clock,
    passphraseProtector: deps.passphraseProtector ?? defaultPassphraseProtector,
  });
  await lifecycle.start();
  const keychainAvailability = deps.keychain
    ? await deps.keychain
        .availability()
        .catch(() => ({ available: false, reason: 'The keychain could not be checked.' }))
    : { available: false, reason: 'No system keychain in this environment.' };

  let simulator: DemoSimulator | null = null;
  const zohoClients = buildClients(deps.endpoints ?? zohoEndpoints);
  let demoClients: ZohoClients | null = null;
  const tokenZoho = createTokenZoho((apiDomain) => clientsFor(apiDomain, zohoClients, demoClients));
  const flows = new SignInFlows((progress) => deps.notify('signin.progress', progress));
  const changed = (reason: string) => deps.notify('tokens.changed', { reason });
  const opener = demoAwareOpener(deps.browserOpener, () => simulator);

  function buildClients(endpoints: ZohoEndpoints): ZohoClients {
    const http = {
      endpoints,
      now: () => clock.now(),
      ...(deps.httpTimeoutMs !== undefined ? { timeoutMs: deps.httpTimeoutMs } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    };
    return { endpoints, accounts: createAccountsClient(http), crm: createCrmClient(http) };
  }

  // One TokenService per unlocked store (it holds the per-token flights and back-offs).
  let service: { for: object; service: TokenService } | null = null;
  function tokens(): TokenService {
    const open = lifecycle.require();
    if (service?.for !== open) {
      // The previous store's service stops its timers (pending-revoke retries) before it is replaced.
      void service?.service.dispose();
      service = {
        for: open,
        service: new TokenService({
          store: open.store,
          audit: open.audit,
          notes: open.notes,
          zoho: tokenZoho,
          clipboard: deps.clipboard,
          clock,
          onChanged: changed,
          pendingRevokes: new SqlitePendingRevokeStore(open.store),
        }),
      };
    }
    return service.service;
  }

  // Token sources (docs/sources.md): one catalog and one set of per-source services per unlocked store.
  const registry = new SourceRegistry();
  let resolverFor: { demo: ZohoClients | null; resolve: AccountResolver } | null = null;
  const resolve: AccountResolver = (apiDomain) => {
    if (resolverFor?.demo !== demoClients || !resolverFor) {
      const endpoints = [zohoClients.endpoints, ...(demoClients ? [demoClients.endpoints] : [])];
      resolverFor = { demo: demoClients, resolve: accountResolverFor(endpoints) };
    }
    return resolverFor.resolve(apiDomain);
  };
  let sources: {
    for: object;
    catalog: SourceCatalog;
    vault: SourceSettingsVault;
    services: SourceServices;
  } | null = null;
  function sourcesOf() {
    const open = lifecycle.require();
    if (sources?.for !== open) {
      void sources?.catalog.close();
      const vault = new SourceSettingsVault(open.store);
      sources = {
        for: open,
        vault,
        catalog: new SourceCatalog(vault, registry, resolve),
        services: new SourceServices({
          zoho: tokenZoho,
          audit: open.audit,
          clipboard: deps.clipboard,
          clock,
          localNotes: open.notes,
          onChanged: (reason) => changed(reason),
        }),
      };
    }
    return sources;
  }
  /** The source an action names: the encrypted store when none (or `local`). */
  async function sourceFor(sourceId: string | undefined): Promise<TokenSource> {
    if (sourceId === undefined || sourceId === 'local') return localSource(lifecycle.require().store);
    return sourcesOf().catalog.get(sourceId);
  }
  async function serviceFor(sourceId: string | undefined): Promise<TokenService> {
    if (sourceId === undefined || sourceId === 'local') return tokens();
    return sourcesOf().services.for(await sourceFor(sourceId));
  }
  // The open store's database state is pushed to every window as it changes (busy, writes waiting).
  let watched: { for: object; stop: () => void } | null = null;
  function watchDatabase(): void {
    const open = lifecycle.current;
    if (watched?.for === open) return;
    watched?.stop();
    watched = open
      ? {
          for: open,
          stop: open.store.onDatabaseStateChange(() =>
            deps.notify('database.state', open.store.databaseState()),
          ),
        }
      : null;
  }
  watchDatabase();

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

  /** Locks the store; the window is told (`store.locked`) so it shows the unlock screen. */
  async function lockStore(reason: LockReason): Promise<void> {
    idle.stop();
    // A browser sign-in waits on a person and may wait minutes: it is cancelled, not waited for.
    flows.cancelAll();
    const locked = await lifecycle
      .lock(reason, async () => {
        watched?.stop();
        watched = null;
        // Clears a copied token from the clipboard and stops pending-revoke timers of this store.
        await service?.service.dispose();
        service = null;
        await sources?.catalog.close();
        sources = null;
      })
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
      return (deps.passphraseProtector ?? defaultPassphraseProtector)(passphrase ?? '');
    },
    audit: (entry) => lifecycle.audit(entry),
    onProgress: (progress) => deps.notify('backup.progress', progress),
    fileDialogs: deps.backupDialogs !== undefined,
  });

  /** The path a backup request gave, or the one the person picks in a native dialog (null: cancelled). */
  async function backupPath(
    given: string | undefined,
    ask: (d: BackupFileDialogs) => Promise<string | null>,
  ) {
    if (given !== undefined) return given;
    if (!deps.backupDialogs) {
      throw new BackupError('BACKUP_NO_PATH', 'Type the full path of the backup file.');
    }
    return ask(deps.backupDialogs);
  }

  async function status(): Promise<AppStatus> {
    // While locked, look at the folder again: a store file put back from a backup is found at once.
    lifecycle.refresh();
    watchDatabase();
    const open = lifecycle.current;
    return {
      ...(open ? { database: open.store.databaseState() } : {}),
      store: lifecycle.state,
      protector: lifecycle.protector,
      keychain: lifecycle.lockedReason
        ? { available: keychainAvailability.available, reason: lifecycle.lockedReason }
        : keychainAvailability,
      // With nothing configured (settings default to demo mode), the renderer offers the simulator.
      demo: demoStatus(simulator, deps.startSimulator !== undefined && deps.settings.get().demoMode),
      version: deps.version ?? '0.1.0',
      missingStore: lifecycle.missing,
      unlockRetryAt: lifecycle.unlockRetryAt,
      lockedBy: lifecycle.lockedBy,
    };
  }

  /**
   * Where a new account signs in: at the simulator for one of the simulator's own clients while demo mode
   * runs, at Zoho otherwise, so a real client id and secret typed in during demo mode still go to Zoho.
   */
  function newSignInClients(clientId: string): ZohoClients {
    const simulatorClient = simulator?.clients.some((c) => c.clientId === clientId) ?? false;
    return simulatorClient && demoClients ? demoClients : zohoClients;
  }

  /**
   * The browser sign-in for `target`, on the settings' loopback port; reports `saving` once it has a token.
   * `issuedAt` is the API domain of the token being re-authorised (null for a new account): a re-authorised
   * token signs in again where it was issued, a new account where new sign-ins go (the simulator in demo).
   */
  async function browserFlow(
    target: FlowTarget & { readonly scopes: readonly string[] },
    issuedAt: string | null,
    signal: AbortSignal,
    report: ReportStage,
  ): Promise<GrantedToken> {
    const settings = deps.settings.get();
    const clients =
      issuedAt === null ? newSignInClients(target.clientId) : clientsFor(issuedAt, zohoClients, demoClients);
    const toSimulator = clients === demoClients;
    const granted = await runBrowserSignIn({
      ...target,
      scopes: target.scopes.length > 0 ? target.scopes : DEFAULT_SCOPES,
      zoho: keepingUnrevokedTokens(zohoSignInPort(clients), tokens(), target),
      opener,
      port: deps.loopbackPort ?? settings.redirectPort,
      // The simulator's client accepts whatever port the flow gets (demoAwareOpener registers it).
      anyPortIfBusy: toSimulator,
      path: settings.redirectPath,
      signal,
      onProgress: (u) => report(u.stage, u.authUrl, u.message),
      heldTokens: () => lifecycle.require().store.getTokens(),
      ...(deps.signInTimeoutMs !== undefined ? { timeoutMs: deps.signInTimeoutMs } : {}),
    });
    report('saving', null, null);
    return granted;
  }

  /**
   * A sign-in made a new refresh token: the held tokens Zoho deleted for it (the user's 21st for the
   * client) say so on their rows. A failure here never turns the saved sign-in into a failure.
   */
  async function markEvicted<V extends { readonly id: string }>(view: V): Promise<V> {
    try {
      const open = lifecycle.require();
      if ((await markEvictedBySignIn(open.store, open.notes, view.id)).length > 0) changed('evicted');
    } catch (error) {
      log.warn('Could not mark tokens Zoho deleted for a new refresh token', {
        errorCode: errorCodeOf(error),
      });
    }
    return view;
  }

  const handlers: IpcHandlers = {
    getStatus: () => status(),
    async setupStore(req) {
      const { warning } = await lifecycle.setup(req);
      idle.start();
      changed('setup');
      return { ...(await status()), warning };
    },
    async unlockStore(req) {
      const { warning } = await lifecycle.unlock(req.passphrase);
      idle.start();
      changed('unlock');
      return { ...(await status()), warning };
    },
    async unlockWithKeychain() {
      const { warning } = await lifecycle.unlockWithKeychain();
      idle.start();
      changed('unlock');
      return { ...(await status()), warning };
    },
    async lockStore() {
      await lockStore('manual');
      return status();
    },
    // Counted as activity by withStoreWork, like every request that is not a passive read.
    noteActivity: async () => ({ noted: true as const }),
    async changePassphrase(req) {
      // The sources' sealed settings move to the new key with the token rows (SourceSettingsVault).
      sourcesOf();
      const { warning } = await lifecycle.changePassphrase(req.current, req.next);
      return { changed: true as const, warning };
    },

    // The compact wire form (src/shared/ipc/token-list.ts); the renderer's api layer decodes it.
    listTokens: async (req) =>
      encodeTokenList(
        (await (await serviceFor(req.sourceId)).list()).map((view) =>
          isFromEndedDemoRun(view.apiDomain, zohoClients, demoClients)
            ? { ...view, status: 'demo-ended' }
            : view,
        ),
      ),
    refreshToken: async (req) => (await serviceFor(req.sourceId)).refreshNow(req.id),
    testToken: async (req) => (await serviceFor(req.sourceId)).testCall(req.id),
    copyAccessToken: async (req) => (await serviceFor(req.sourceId)).copyAccessToken(req.id),
    deleteToken: async (req) =>
      (await serviceFor(req.sourceId)).delete(req.id, {
        revoke: req.revoke,
        deleteIfRevokeFails: req.deleteIfRevokeFails,
      }),
    clearAllTokens: async (req) =>
      (await serviceFor(req.sourceId)).clearAll({
        revoke: req.revoke,
        expectedCount: req.expectedCount,
        deleteIfRevokeFails: req.deleteIfRevokeFails,
        onProgress: (p) => deps.notify('tokens.clearProgress', p),
      }),
    async connectedAccounts(req) {
      return { userNames: await tokens().connectedAccounts(req) };
    },
    listPendingRevokes: async () => tokens().listPendingRevokes(),
    retryPendingRevoke: (req) => tokens().retryPendingRevoke(req.id),
    async reauthorise(req) {
      const service = await serviceFor(req.sourceId);
      // TokenService checks the user and updates the same row; the flow only fetches the new grant.
      return flows
        .run(req.flowId, (signal, report) =>
          service.reauthorise(req.id, ({ apiDomain, ...target }) =>
            browserFlow(target, apiDomain, signal, report),
          ),
        )
        .then(markEvicted);
    },

    signInWithBrowser(req) {
      const service = tokens();
      const { flowId, ...target } = req;
      return flows
        .run(flowId, (signal, report) =>
          service.signIn('browser', () => browserFlow(target, null, signal, report)),
        )
        .then(markEvicted);
    },
    cancelSignIn: async (req) => ({ cancelled: flows.cancel(req.flowId) }),
    async signInWithGrantCode(req) {
      const service = tokens();
      const { grantCode, ...target } = req;
      return service
        .signIn('self-client', () =>
          exchangeSelfClientCode({
            ...target,
            grantCode,
            zoho: keepingUnrevokedTokens(zohoSignInPort(newSignInClients(target.clientId)), service, target),
          }),
        )
        .then(markEvicted);
    },
    async importRefreshToken(req) {
      const service = tokens();
      const { refreshToken, ...target } = req;
      return service.signIn('import', () =>
        importRefreshToken({
          ...target,
          refreshToken,
          zoho: zohoSignInPort(newSignInClients(target.clientId)),
        }),
      );
    },

    listAudit: async (req) => lifecycle.require().audit.list(req),
    exportAuditCsv: async (req) => lifecycle.require().audit.exportCsv(req),

    getSettings: async () => deps.settings.get(),
    async updateSettings(req: IpcParsedRequest<'updateSettings'>) {
      const next = deps.settings.update(req);
      idle.settingsChanged();
      if (lifecycle.current) {
        lifecycle.audit({
          action: 'settings',
          outcome: 'success',
          detail: `Settings changed: ${Object.keys(req).join(', ') || 'nothing'}.`,
        });
      }
      return next;
    },

    async openLogFolder() {
      if (!deps.logFolder) return { opened: false, path: '' };
      try {
        await deps.logFolder.open();
        return { opened: true, path: deps.logFolder.path };
      } catch (error) {
        log.warn('could not open the log folder', { error });
        return { opened: false, path: deps.logFolder.path };
      }
    },

    async startDemo() {
      if (!simulator) {
        if (!deps.startSimulator) {
          throw new ServiceError('DEMO_UNAVAILABLE', 'Demo mode is not available in this build.');
        }
        if (!deps.settings.get().demoMode) {
          throw new ServiceError(
            'DEMO_UNAVAILABLE',
            'Demo mode is switched off.',
            'Switch it on in Settings to start the built-in Zoho simulator.',
          );
        }
        simulator = await deps.startSimulator();
        demoClients = buildClients(localEndpoints(simulator.dataCenters));
        log.info('demo mode: using the Zoho simulator', {
          dataCenters: simulator.dataCenters.map((d) => d.id),
        });
        // Audited like a settings change: from now on new sign-ins with the simulator's clients go to it.
        lifecycle.audit({
          action: 'settings',
          outcome: 'success',
          detail: `Demo mode started: the built-in Zoho simulator runs on this computer (${simulator.dataCenters
            .map((d) => d.id)
            .join(', ')}); its own demo clients sign in there, real clients still go to Zoho.`,
        });
        changed('demo');
      }
      return status();
    },

    listSources: () => sourcesOf().catalog.list(),
    testSource: (req) => sourcesOf().catalog.test(req.settings, req.id),
    async addSource(req) {
      const view = await sourcesOf().catalog.add(req.settings);
      lifecycle.audit({
        action: 'settings',
        outcome: 'success',
        detail: `Token source added: ${view.displayName}.`,
      });
      return view;
    },
    async updateSource(req) {
      const view = await sourcesOf().catalog.update(req.id, req.settings);
      lifecycle.audit({
        action: 'settings',
        outcome: 'success',
        detail: `Token source changed: ${view.displayName}.`,
      });
      changed('sources');
      return view;
    },
    async removeSource(req) {
      await sourcesOf().catalog.remove(req.id);
      lifecycle.audit({
        action: 'settings',
        outcome: 'success',
        detail: 'Token source removed (its tokens stay where they are).',
      });
      changed('sources');
      return { removed: true as const };
    },
    async transferTokens(req) {
      const from = await sourceFor(req.fromSourceId);
      const to = await sourceFor(req.toSourceId);
      const result = await transferTokens(
        {
          from,
          to,
          move: req.move,
          plaintextConfirmed: req.confirmation === PLAINTEXT_CONFIRMATION,
          onProgress: (p) => deps.notify('sources.transferProgress', p),
          ...(req.ids ? { ids: req.ids } : {}),
        },
        lifecycle.require().audit,
      );
      changed('transfer');
      return { ...result, outcomes: [...result.outcomes] };
    },
    getBackupStatus: async () => backups.status(),
    async createBackup(req) {
      lifecycle.require();
      const suggested = backups.status().suggestedName;
      const path = await backupPath(req.path, (d) => d.chooseBackupDestination(suggested));
      if (path === null) return { outcome: 'cancelled' as const };
      // A dialog has already asked before replacing an existing file; a typed path never replaces one.
      const written = await backups.backup(path, { overwrite: req.path === undefined });
      return { outcome: 'written' as const, ...written };
    },
    async restoreBackup(req) {
      lifecycle.require();
      const path = await backupPath(req.path, (d) => d.chooseBackupToRestore());
      if (path === null) return { outcome: 'cancelled' as const };
      const restored = await backups.restore(path, req.passphrase ?? null);
      changed('restore');
      return { outcome: 'restored' as const, ...restored };
    },
  } satisfies { [M in IpcMethod]: IpcHandlers[M] };

  return {
    handlers: withStoreWork(handlers, {
      activity: () => idle.activity(),
      track: (work) => lifecycle.track(work),
    }),
    status,
    simulatorOrigins: () =>
      simulator ? simulator.dataCenters.map((d) => new URL(d.accountsUrl).origin) : [],
    async close() {
      idle.stop();
      stopSystemEvents?.();
      flows.cancelAll();
      watched?.stop();
      watched = null;
      // A copied token still on the clipboard goes now: its 60 s timer would not outlive the app.
      await service?.service.dispose();
      await sources?.catalog.close();
      sources = null;
      lifecycle.close();
      service = null;
      if (simulator) {
        await simulator.close();
        simulator = null;
        demoClients = null;
      }
    },
  };
}

/**
 * Which Zoho a stored token talks to. A token issued by the demo simulator keeps the simulator's loopback
 * API domain: it goes to the simulator while demo mode runs, and nowhere otherwise (its client and tokens
 * mean nothing to Zoho). Every other token goes to Zoho, demo mode or not.
 */
export function clientsFor(
  apiDomain: string | null,
  zoho: ZohoClients,
  demo: ZohoClients | null,
): ZohoClients {
  if (apiDomain === null || zoho.endpoints.isTrustedApiDomain(apiDomain)) return zoho;
  if (demo?.endpoints.isTrustedApiDomain(apiDomain)) return demo;
  if (isFromEndedDemoRun(apiDomain, zoho, demo)) {
    throw new ServiceError(
      'DEMO_TOKEN_ORPHANED',
      'This token was issued by a run of the built-in Zoho simulator that has ended; the simulator keeps its tokens only while it runs.',
      'Delete it without revoking, then add a demo account again.',
    );
  }
  return zoho;
}

/**
 * A token the list shows as "from an earlier demo run": its API domain is a loopback origin that neither
 * Zoho's endpoints nor the running simulator's trust. Starting demo mode again does not revive it: a new
 * simulator run has new ports and knows none of the old run's tokens.
 */
export function isFromEndedDemoRun(
  apiDomain: string | null,
  zoho: ZohoClients,
  demo: ZohoClients | null,
): boolean {
  if (apiDomain === null || zoho.endpoints.isTrustedApiDomain(apiDomain)) return false;
  if (demo?.endpoints.isTrustedApiDomain(apiDomain)) return false;
  return isLoopbackOrigin(apiDomain);
}

function isLoopbackOrigin(url: string): boolean {
  try {
    const { hostname } = new URL(url);
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  } catch {
    return false;
  }
}

export type { KeychainAccess } from './store-lifecycle';
export type { SignInZoho };
