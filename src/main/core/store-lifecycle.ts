import type { LockReason } from '../../shared/ipc/views';
import type { AuditRecord } from '../audit/audit-log';
import type { Clock } from '../common/clock';
import { errorCodeOf } from '../errors';
import { createLogger } from '../log';
import type { KeyProtector } from '../store/key-protector';
import { lockedError } from '../tokens/errors';
import {
  keychainForUnlock,
  keychainUnlockFailedError,
  recordKeychainUnlock,
  recordKeychainUnlockFailure,
} from './keychain-unlock';
import { passphraseUnlockFailure, recordPassphraseUnlock, refusePassphraseUnlock } from './passphrase-unlock';
import { lockAuditDetail, StoreAuditWriter } from './store-audit-writer';
import { removeStaleSetupFiles } from './store-files';
import { type MissingStore, StoreFolder } from './store-folder';
import {
  type KeychainAccess,
  type ProtectorChoice,
  protectorInUse,
  type SetupRequest,
} from './store-key-protectors';
import { markerFor } from './store-marker';
import { type OpenStore, StoreOpener } from './store-opener';
import {
  addKeychainPassphrase,
  changeStorePassphrase,
  opensAlsoWithPassphrase,
  removeKeychainPassphrase,
  type StorePassphraseDeps,
} from './store-passphrases';
import { createStore, refuseSetup, setupAuditDetail } from './store-setup';
import { StoreWorkGate } from './store-work-gate';

const log = createLogger('app.store');

export { DB_FILE, type MissingStore } from './store-folder';
export {
  defaultPassphraseProtector,
  type KeychainAccess,
  type ProtectorChoice,
  type SetupRequest,
} from './store-key-protectors';
export { StoreLifecycleError, type StoreLifecycleErrorCode } from './store-lifecycle-errors';
export type { OpenStore } from './store-opener';
export type StoreState = 'uninitialised' | 'locked' | 'unlocked';

export interface StoreLifecycleOptions {
  readonly dataDir: string;
  readonly keychain: KeychainAccess | null;
  readonly clock: Clock;
  readonly passphraseProtector: (passphrase: string) => KeyProtector;
}

/** What a set-up, unlock or passphrase change did besides its main work, when that went wrong. */
export interface StoreChangeOutcome {
  /** e.g. the audit row could not be written: the main operation still happened. */
  readonly warning: string | null;
}

/**
 * The token store's life: uninitialised -> (setup) -> unlocked; at a later start locked -> (unlock) ->
 * unlocked. The wrapped data key and its protector kind live in the database (SqliteTokenStore's meta);
 * `store.json` beside it (store-marker.ts) remembers that a store was created here, which protector it
 * uses, and the wrong passphrases in a row. What is on disk is looked at afresh (store-files.ts) whenever
 * the store is not open, so status, set-up and unlock always agree about it.
 *
 * Rules (docs/store-lifecycle.md):
 * - a new store is created under a temporary name and renamed into place once it holds its key, so a
 *   failed set-up leaves nothing that looks like a store;
 * - a missing or emptied store is never replaced by a new one unless the user asks for that;
 * - set-up, unlock, passphrase change and close run one at a time, so parallel calls can neither open
 *   two connections nor both "change" the passphrase;
 * - the main operation decides what is reported; a failed audit write is reported beside it.
 */
export class StoreLifecycle {
  private opened: OpenStore | null = null;
  private readonly folder: StoreFolder;
  private keychainFailure: string | null = null;
  private readonly gate = new StoreWorkGate();
  private readonly auditWriter: StoreAuditWriter;
  private readonly opener: StoreOpener;
  /** Why the store was last locked in this run (cleared by an unlock). */
  private lockReason: LockReason | null = null;

  constructor(private readonly options: StoreLifecycleOptions) {
    this.folder = new StoreFolder(options.dataDir);
    this.opener = new StoreOpener(this.folder.dbPath, options.clock);
    this.auditWriter = new StoreAuditWriter(
      this.folder.dbPath,
      options.clock,
      () => this.opened?.audit ?? null,
    );
  }

  private get dbPath(): string {
    return this.folder.dbPath;
  }

  /** Looks at the folder; a keychain-protected store is unlocked right away when the keychain works. */
  async start(): Promise<void> {
    removeStaleSetupFiles(this.dbPath);
    this.refresh();
    // A store without its note (the app stopped between creating one and writing the note): write it now,
    // from the store's own record of its protector, so a later loss of the file is noticed.
    const { marker, disk } = this.folder;
    if (marker.kind === 'absent' && disk.kind === 'store') {
      this.folder.note(markerFor(disk.protector ?? 'passphrase'));
    }
    if (this.state === 'locked' && this.protector === 'keychain' && this.options.keychain && !this.missing) {
      const keychain = this.options.keychain;
      await this.serial(async () => {
        try {
          this.opened = await this.open(keychain.protector());
          recordKeychainUnlock(this.auditWriter);
        } catch (error) {
          this.keychainFailure = keychainUnlockFailedError().message;
          recordKeychainUnlockFailure(error, this.auditWriter, true);
        }
      });
    }
  }

  /** Looks at the folder again (unless the store is open: then nothing on disk can change what it is). */
  refresh(): void {
    if (this.opened) return;
    this.folder.read();
  }

  get state(): StoreState {
    if (this.opened) return 'unlocked';
    return this.folder.setUp ? 'locked' : 'uninitialised';
  }

  get protector(): ProtectorChoice | null {
    return protectorInUse(this.folder.marker, this.folder.disk, this.state === 'uninitialised');
  }

  /** A keychain store that also opens with a passphrase (store-passphrases.ts). */
  get alsoPassphrase(): boolean {
    if (this.opened) return opensAlsoWithPassphrase(this.opened.store);
    const disk = this.folder.disk;
    return disk.kind === 'store' && disk.alsoPassphrase;
  }

  /** Why a keychain store is still locked, if it is. */
  get lockedReason(): string | null {
    return this.keychainFailure;
  }

  /** Set when a store was created here but its file is gone or holds no key. */
  get missing(): MissingStore | null {
    return this.opened ? null : this.folder.missing;
  }

  /** When the next passphrase may be tried (epoch ms), while wrong ones have made it wait. */
  get unlockRetryAt(): number | null {
    return this.opened ? null : this.folder.unlockRetryAt(this.options.clock.now());
  }

  /** The open store, or a clear LOCKED error (also while a lock is waiting for running work). */
  require(): OpenStore {
    if (!this.opened || this.gate.lockPending) throw lockedError();
    return this.opened;
  }

  get current(): OpenStore | null {
    return this.opened;
  }

  /** Why the store was locked in this run; null when unlocked or locked since start. */
  get lockedBy(): LockReason | null {
    return this.opened ? null : this.lockReason;
  }

  /**
   * Runs store work (a token action) so that a lock waits for it to finish. Work that starts while a lock
   * is waiting fails at its first `require()` with LOCKED.
   */
  track<T>(work: () => Promise<T>): Promise<T> {
    return this.gate.track(work);
  }

  /**
   * Locks the open store: refuses new store work at once, waits for running work (`track`), writes the
   * audit row, runs `release` (the core drops what it built on this store: services, timers), then closes
   * the store, which empties its row cache and zeroes the data key and its subkeys. Returns false when the
   * store was not open. Serial with unlock, set-up and passphrase change.
   */
  lock(reason: LockReason, release: () => Promise<void> = async () => {}): Promise<boolean> {
    return this.gate.lock(async (drain) => {
      const open = this.opened;
      if (!open) return false;
      await drain();
      const warning = this.auditWriter.tryRecord({
        action: 'lock',
        outcome: 'success',
        detail: lockAuditDetail(reason),
      });
      if (warning) log.warn('lock: audit row not written', { problem: warning });
      await release().catch((error: unknown) =>
        log.warn('lock: releasing the store services failed', { errorCode: errorCodeOf(error) }),
      );
      open.store.close();
      this.opened = null;
      this.lockReason = reason;
      return true;
    });
  }

  /**
   * Opens a keychain-protected store again, when the person asks. Locking never unlocks by itself: only
   * this (the unlock screen's button) or a new start of the app opens it with the keychain.
   */
  unlockWithKeychain(): Promise<StoreChangeOutcome> {
    return this.serial(async () => {
      this.refresh();
      const state = this.state;
      if (state === 'unlocked') return { warning: null };
      const keychain = keychainForUnlock(
        { state, protector: this.protector, missing: this.missing },
        this.options.keychain,
      );
      try {
        this.opened = await this.open(keychain.protector());
      } catch (error) {
        recordKeychainUnlockFailure(error, this.auditWriter, false);
        throw keychainUnlockFailedError();
      }
      this.keychainFailure = null;
      this.lockReason = null;
      return { warning: recordKeychainUnlock(this.auditWriter) };
    });
  }

  setup(request: SetupRequest): Promise<StoreChangeOutcome> {
    return this.serial(async () => {
      this.refresh();
      const replacing = this.missing;
      refuseSetup(this.state === 'uninitialised', replacing, request);
      const { makeProtector, warnings } = await createStore(
        { ...this.options, folder: this.folder, opener: this.opener },
        request,
      );
      this.refresh();
      this.opened = await this.open(makeProtector());
      const audited = this.auditWriter.tryRecord({
        action: 'unlock',
        outcome: 'success',
        detail: setupAuditDetail(request, replacing),
      });
      if (audited) warnings.push(audited);
      return { warning: joinWarnings(warnings) };
    });
  }

  unlock(passphrase: string): Promise<StoreChangeOutcome> {
    return this.serial(async () => {
      this.refresh();
      const state = this.state;
      if (state === 'unlocked') return { warning: null };
      refusePassphraseUnlock({
        state,
        missing: this.missing,
        // A keychain store with a second passphrase takes it here as a passphrase store would.
        protector: this.alsoPassphrase ? 'passphrase' : this.protector,
        unlockRetryAt: this.unlockRetryAt,
        now: this.options.clock.now(),
      });
      try {
        this.opened = await this.open(this.options.passphraseProtector(passphrase));
      } catch (error) {
        throw passphraseUnlockFailure(error, this.folder, this.auditWriter, this.options.clock.now());
      }
      this.lockReason = null;
      return { warning: joinWarnings(recordPassphraseUnlock(this.folder, this.auditWriter)) };
    });
  }

  changePassphrase(current: string, next: string): Promise<StoreChangeOutcome> {
    return this.serial(async () => ({
      warning: await changeStorePassphrase(this.passphraseDeps(), current, next),
    }));
  }

  /** A keychain store also opens with `passphrase` (for the tokendesk command); store-passphrases.ts. */
  addPassphrase(passphrase: string): Promise<StoreChangeOutcome> {
    return this.serial(async () => ({
      warning: await addKeychainPassphrase(this.passphraseDeps(), passphrase),
    }));
  }

  /** The keychain store's second passphrase goes, under a new data key. */
  removePassphrase(): Promise<StoreChangeOutcome> {
    return this.serial(async () => ({ warning: await removeKeychainPassphrase(this.passphraseDeps()) }));
  }

  private passphraseDeps(): StorePassphraseDeps {
    return {
      store: this.require().store,
      protector: this.protector,
      keychain: this.options.keychain,
      passphraseProtector: this.options.passphraseProtector,
      auditWriter: this.auditWriter,
      openCheck: (protector) => this.opener.openAt(this.dbPath, protector),
    };
  }

  /**
   * Writes an audit row now: into the open store, or (locked) through a short-lived connection. Throws
   * when the row cannot be written; `tryAudit` is the variant for rows beside a main operation.
   */
  audit(entry: AuditRecord): void {
    this.auditWriter.record(entry);
  }

  /**
   * Closes the store. An unlock still running when this is called closes what it opened and fails, so
   * no connection outlives the app.
   */
  close(): void {
    this.opener.close();
    this.opened?.store.close();
    this.opened = null;
  }

  /** Runs `task` after every earlier set-up, unlock, passphrase change or lock has finished. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    return this.gate.serial(task);
  }

  // --- Backup restore hook (src/main/backup/store-backups.ts); nothing else uses these two. ---

  /** The database file: what a backup snapshots and a restore replaces. */
  get databasePath(): string {
    return this.dbPath;
  }

  /**
   * For a restore: closes the open store, runs `replace` while this app holds no connection to the file,
   * then opens the store again with a protector from `protector` (the restored key's). If `replace`
   * throws, the file is as it was and the same reopen is tried (it works when the restore's protector also
   * opens the current store); if the reopen fails, the store is left locked, to be unlocked as usual.
   */
  replaceStore(replace: (dbPath: string) => Promise<void>, protector: () => KeyProtector): Promise<void> {
    // Serial with unlock and passphrase change; the store is closed (not the lifecycle, which stays usable).
    return this.serial(async () => {
      this.opened?.store.close();
      this.opened = null;
      try {
        await replace(this.dbPath);
      } finally {
        try {
          this.opened = await this.open(protector());
        } catch (error) {
          log.warn('store left locked after a restore', { errorCode: errorCodeOf(error) });
        }
      }
    });
  }

  private open(protector: KeyProtector): Promise<OpenStore> {
    return this.opener.open(protector);
  }
}

function joinWarnings(warnings: readonly string[]): string | null {
  return warnings.length > 0 ? warnings.join(' ') : null;
}
