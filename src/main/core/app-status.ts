import type { AppStatus } from '../../shared/ipc/views';
import type { SettingsStore } from '../common/settings';
import { demoStatus } from './demo';
import type { OpenStoreServices } from './open-store-services';
import type { StoreLifecycle } from './store-lifecycle';
import type { ZohoRouting } from './zoho-routing';

export interface KeychainAvailability {
  readonly available: boolean;
  readonly reason: string | null;
}

export interface AppStatusSources {
  readonly lifecycle: StoreLifecycle;
  readonly services: OpenStoreServices;
  readonly zoho: ZohoRouting;
  readonly settings: SettingsStore;
  readonly keychain: KeychainAvailability;
  /** Whether this build can start the demo simulator at all. */
  readonly demoAvailable: boolean;
  readonly version: string;
}

/** What the window shows before anything else: the store's state, keychain, demo mode, database. */
export async function readAppStatus(from: AppStatusSources): Promise<AppStatus> {
  const { lifecycle, keychain } = from;
  // While locked, look at the folder again: a store file put back from a backup is found at once.
  lifecycle.refresh();
  from.services.watchDatabase();
  const open = lifecycle.current;
  return {
    ...(open ? { database: open.store.databaseState() } : {}),
    store: lifecycle.state,
    protector: lifecycle.protector,
    alsoPassphrase: lifecycle.alsoPassphrase,
    keychain: lifecycle.lockedReason
      ? { available: keychain.available, reason: lifecycle.lockedReason }
      : keychain,
    // With nothing configured (settings default to demo mode), the renderer offers the simulator.
    demo: demoStatus(from.zoho.simulator, from.demoAvailable && from.settings.get().demoMode),
    version: from.version,
    missingStore: lifecycle.missing,
    unlockRetryAt: lifecycle.unlockRetryAt,
    lockedBy: lifecycle.lockedBy,
  };
}
