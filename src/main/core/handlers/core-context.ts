import type { AppStatus, LockReason } from '../../../shared/ipc/views';
import type { StoreBackups } from '../../backup/store-backups';
import type { Clock } from '../../common/clock';
import type { TokenDeskCoreDeps } from '../core-deps';
import type { IdleLock } from '../idle-lock';
import type { OpenStoreLabels } from '../open-store-labels';
import type { OpenStoreServices } from '../open-store-services';
import type { SignInFlows } from '../sign-in-flows';
import type { StoreLifecycle } from '../store-lifecycle';
import type { TokenJobsPart } from '../token-jobs-part';
import type { ZohoRouting } from '../zoho-routing';

/**
 * What every handler module is given: the core's parts, built once by the composition root (core.ts).
 * A handler module holds no state of its own; state lives in these parts, so areas share it.
 */
export interface CoreContext {
  readonly deps: TokenDeskCoreDeps;
  readonly clock: Clock;
  readonly lifecycle: StoreLifecycle;
  readonly zoho: ZohoRouting;
  /** TokenService, token sources and the database watch of the unlocked store. */
  readonly services: OpenStoreServices;
  readonly idle: IdleLock;
  readonly flows: SignInFlows;
  readonly backups: StoreBackups;
  /** Client names, token labels and notes beside the tokens (docs/labels.md). */
  readonly labels: OpenStoreLabels;
  /** Tells every window the token list changed (`tokens.changed`). */
  changed(reason: string): void;
  status(): Promise<AppStatus>;
  /** Locks the store and tells the window (`store.locked`); see docs/store-lifecycle.md "Lock". */
  lockStore(reason: LockReason): Promise<void>;
  /** Check all, bulk actions and the check schedule (docs/health.md). */
  readonly tokenJobs: TokenJobsPart;
}
