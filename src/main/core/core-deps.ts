import type { IpcEventName, IpcEventPayload } from '../../shared/ipc/contract';
import type { BackupFileDialogs } from '../backup/store-backups';
import type { Clipboard } from '../common/clipboard';
import type { Clock, ScheduleTimer } from '../common/clock';
import type { SettingsStore } from '../common/settings';
import type { BrowserOpener } from '../oauth';
import type { KeyProtector } from '../store/key-protector';
import type { AttentionSignals } from '../token-jobs/attention';
import type { FetchLike, ZohoEndpoints } from '../zoho';
import type { DemoSimulator } from './demo';
import type { KeychainAccess } from './store-lifecycle';

/** What the core is given: the edge (src/main/electron) and the e2e harness each fill this in. */

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
  /** OS notification and badge for tokens needing re-authorisation (Electron); absent: none. */
  readonly attentionSignals?: AttentionSignals;
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
