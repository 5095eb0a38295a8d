import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import type { LockReason } from '../../shared/ipc/views';
import type { AuditRecord } from '../audit/audit-log';
import { recordOnOwnConnection, SqliteAuditLog } from '../audit/sqlite-audit-log';
import type { Clock } from '../common/clock';
import { AppError, type AppErrorOptions, errorCodeOf } from '../errors';
import { createLogger } from '../log';
import { type KeyProtector, KeyProtectorError } from '../store/key-protector';
import { PassphraseKeyProtector } from '../store/passphrase-key-protector';
import { SqliteTokenStore } from '../store/sqlite-token-store';
import { lockedError, ServiceError } from '../tokens/errors';
import { SqliteTokenNotes } from '../tokens/token-notes';
import {
  inspectStoreFile,
  type ProtectorChoice,
  removeDatabaseFiles,
  removeStaleSetupFiles,
  type StoreOnDisk,
  setAsideDatabaseFiles,
  setupFileName,
} from './store-files';
import { type MarkerRead, markerFor, readMarker, type StoreMarker, writeMarker } from './store-marker';
import { auditsFailure, unlockDelayMs, unlockRetryAt } from './unlock-backoff';

const log = createLogger('app.store');

export type { ProtectorChoice } from './store-files';
export type StoreState = 'uninitialised' | 'locked' | 'unlocked';

export interface KeychainAccess {
  availability(): Promise<{ available: boolean; reason: string | null }>;
  protector(): KeyProtector;
}

export interface OpenStore {
  readonly store: SqliteTokenStore;
  readonly audit: SqliteAuditLog;
  readonly notes: SqliteTokenNotes;
}

export interface StoreLifecycleOptions {
  readonly dataDir: string;
  readonly keychain: KeychainAccess | null;
  readonly clock: Clock;
  readonly passphraseProtector: (passphrase: string) => KeyProtector;
}

/** A store that was set up here but is no longer there to open. */
export interface MissingStore {
  readonly reason: 'missing' | 'empty';
  /** Plain words for the unlock screen. */
  readonly message: string;
}

/** What a set-up, unlock or passphrase change did besides its main work, when that went wrong. */
export interface StoreChangeOutcome {
  /** e.g. the audit row could not be written: the main operation still happened. */
  readonly warning: string | null;
}

export type SetupRequest =
  | { readonly protector: 'keychain'; readonly startOver?: true | undefined }
  | { readonly protector: 'passphrase'; readonly passphrase: string; readonly startOver?: true | undefined };

/** Errors only the lifecycle raises; AppErrors, so their words reach the window as they are. */
export type StoreLifecycleErrorCode = 'STORE_MISSING' | 'KEY_CORRUPT' | 'UNLOCK_BACKOFF' | 'CLOSED';

export class StoreLifecycleError extends AppError {
  declare readonly code: StoreLifecycleErrorCode;

  constructor(code: StoreLifecycleErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'StoreLifecycleError';
  }
}

export const DB_FILE = 'tokendesk.db';
const CONFIG_FILE = 'store.json';

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
  private marker: MarkerRead = { kind: 'absent' };
  private disk: StoreOnDisk = { kind: 'absent' };
  private keychainFailure: string | null = null;
  private closed = false;
  /** Locks asked for and not finished: new store work is refused with LOCKED from the moment one is asked. */
  private locksPending = 0;
  /** Why the store was last locked in this run (cleared by an unlock). */
  private lockReason: LockReason | null = null;
  /** Store work running now (token actions); a lock waits for it (docs/store-lifecycle.md "Lock"). */
  private readonly running = new Set<Promise<unknown>>();
  /** The tail of the one-at-a-time queue. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: StoreLifecycleOptions) {}

  private get dbPath(): string {
    return join(this.options.dataDir, DB_FILE);
  }

  private get configPath(): string {
    return join(this.options.dataDir, CONFIG_FILE);
  }

  /** Looks at the folder; a keychain-protected store is unlocked right away when the keychain works. */
  async start(): Promise<void> {
    removeStaleSetupFiles(this.dbPath);
    this.refresh();
    // A store without its note (the app stopped between creating one and writing the note): write it now,
    // from the store's own record of its protector, so a later loss of the file is noticed.
    if (this.marker.kind === 'absent' && this.disk.kind === 'store') {
      this.tryWriteMarker(markerFor(this.disk.protector ?? 'passphrase'));
    }
    if (this.state === 'locked' && this.protector === 'keychain' && this.options.keychain && !this.missing) {
      const keychain = this.options.keychain;
      await this.serial(async () => {
        try {
          this.opened = await this.open(keychain.protector());
          this.tryAudit({
            action: 'unlock',
            outcome: 'success',
            detail: 'Unlocked with the system keychain.',
          });
        } catch (error) {
          this.keychainFailure = 'The system keychain could not unlock the token store.';
          const code = errorCodeOf(error) ?? 'UNEXPECTED';
          log.warn('keychain unlock failed', { errorCode: code });
          this.auditWhileLocked({
            action: 'unlock_failed',
            outcome: 'failure',
            detail: `Unlock with the system keychain failed at start (${code}); the token store stays locked.`,
          });
        }
      });
    }
  }

  /** Looks at the folder again (unless the store is open: then nothing on disk can change what it is). */
  refresh(): void {
    if (this.opened) return;
    this.marker = readMarker(this.configPath);
    this.disk = inspectStoreFile(this.dbPath);
  }

  get state(): StoreState {
    if (this.opened) return 'unlocked';
    if (this.marker.kind !== 'absent') return 'locked';
    return this.disk.kind === 'store' || this.disk.kind === 'unreadable' ? 'locked' : 'uninitialised';
  }

  get protector(): ProtectorChoice | null {
    if (this.marker.kind === 'present') return this.marker.marker.protector;
    // No readable note: the store's own meta row says which protector wraps its key.
    if (this.disk.kind === 'store') return this.disk.protector ?? 'passphrase';
    // An unreadable note, or a database without one: the passphrase is the safe guess.
    return this.state === 'uninitialised' ? null : 'passphrase';
  }

  /** Why a keychain store is still locked, if it is. */
  get lockedReason(): string | null {
    return this.keychainFailure;
  }

  /** Set when a store was created here but its file is gone or holds no key. */
  get missing(): MissingStore | null {
    if (this.opened || this.marker.kind === 'absent') return null;
    if (this.disk.kind === 'absent') {
      return {
        reason: 'missing',
        message:
          `The token store that was set up here is gone: its file (${DB_FILE}) is no longer in TokenDesk's ` +
          'data folder. No passphrase can open it, and TokenDesk has not made a new one.',
      };
    }
    if (this.disk.kind === 'husk') {
      return {
        reason: 'empty',
        message: `The token store that was set up here is empty: its file (${DB_FILE}) ${
          this.disk.bytes === 0 ? 'has 0 bytes' : 'holds no encryption key'
        }. No passphrase can open it, and TokenDesk has not made a new one.`,
      };
    }
    return null;
  }

  /** When the next passphrase may be tried (epoch ms), while wrong ones have made it wait. */
  get unlockRetryAt(): number | null {
    if (this.opened || this.marker.kind !== 'present') return null;
    return unlockRetryAt(this.marker.marker.unlockFailures, this.options.clock.now());
  }

  /** The open store, or a clear LOCKED error (also while a lock is waiting for running work). */
  require(): OpenStore {
    if (!this.opened || this.locksPending > 0) throw lockedError();
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
  async track<T>(work: () => Promise<T>): Promise<T> {
    const run = work();
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  /**
   * Locks the open store: refuses new store work at once, waits for running work (`track`), writes the
   * audit row, runs `release` (the core drops what it built on this store: services, timers), then closes
   * the store, which empties its row cache and zeroes the data key and its subkeys. Returns false when the
   * store was not open. Serial with unlock, set-up and passphrase change.
   */
  lock(reason: LockReason, release: () => Promise<void> = async () => {}): Promise<boolean> {
    // Counted before the lock's turn comes, so work that starts from now on is refused at once.
    this.locksPending += 1;
    return this.serial(async () => {
      try {
        const open = this.opened;
        if (!open) return false;
        await Promise.allSettled([...this.running]);
        const warning = this.tryAudit({ action: 'lock', outcome: 'success', detail: LOCK_DETAIL[reason] });
        if (warning) log.warn('lock: audit row not written', { problem: warning });
        await release().catch((error: unknown) =>
          log.warn('lock: releasing the store services failed', { errorCode: errorCodeOf(error) }),
        );
        open.store.close();
        this.opened = null;
        this.lockReason = reason;
        return true;
      } finally {
        this.locksPending -= 1;
      }
    });
  }

  /**
   * Opens a keychain-protected store again, when the person asks. Locking never unlocks by itself: only
   * this (the unlock screen's button) or a new start of the app opens it with the keychain.
   */
  unlockWithKeychain(): Promise<StoreChangeOutcome> {
    return this.serial(async () => {
      this.refresh();
      if (this.state === 'unlocked') return { warning: null };
      const keychain = this.options.keychain;
      if (this.state !== 'locked' || this.protector !== 'keychain' || !keychain || this.missing) {
        throw new ServiceError(
          'KEYCHAIN_UNAVAILABLE',
          'This token store cannot be unlocked with the system keychain.',
          { hint: this.protector === 'passphrase' ? 'Unlock it with the master passphrase.' : undefined },
        );
      }
      try {
        this.opened = await this.open(keychain.protector());
      } catch (error) {
        log.warn('keychain unlock failed', { errorCode: errorCodeOf(error) ?? 'UNEXPECTED' });
        this.auditWhileLocked({
          action: 'unlock_failed',
          outcome: 'failure',
          detail: `Unlock with the system keychain failed (${errorCodeOf(error) ?? 'UNEXPECTED'}).`,
        });
        throw new ServiceError(
          'KEYCHAIN_UNAVAILABLE',
          'The system keychain could not unlock the token store.',
          { hint: 'Make sure the system keyring is unlocked, then try again.' },
        );
      }
      this.keychainFailure = null;
      this.lockReason = null;
      return {
        warning: this.tryAudit({
          action: 'unlock',
          outcome: 'success',
          detail: 'Unlocked with the system keychain.',
        }),
      };
    });
  }

  setup(request: SetupRequest): Promise<StoreChangeOutcome> {
    return this.serial(async () => {
      this.refresh();
      const replacing = this.missing;
      const allowed = this.state === 'uninitialised' || (request.startOver === true && replacing !== null);
      if (!allowed) {
        throw new ServiceError(
          'ALREADY_SET_UP',
          replacing ? replacing.message : 'The token store is already set up.',
          {
            hint: replacing
              ? 'Put the file back (from a backup) and unlock, or choose to start a new, empty store.'
              : 'Unlock it instead; to start over, remove the data folder.',
          },
        );
      }
      const makeProtector = await this.protectorFor(request);
      // Whatever sits at the store's name (a 0-byte file, a failed set-up's tables, a stray WAL) goes
      // aside first: it is not a store, and a new one must not inherit its pages.
      const setAside = setAsideDatabaseFiles(this.dbPath, this.options.clock.now());
      if (setAside) log.warn('moved a file that was not a token store aside', { file: setAside });
      await this.createStoreFile(makeProtector);
      const warnings: string[] = [];
      // The note goes last: a note with no store would read as "your store is gone" at the next start.
      const noted = this.tryWriteMarker(markerFor(request.protector));
      if (noted) warnings.push(noted);
      this.refresh();
      this.opened = await this.open(makeProtector());
      const kind = request.protector === 'keychain' ? 'the system keychain' : 'a master passphrase';
      const replaced = replacing
        ? ` It replaces the store that was ${replacing.reason}, at the user's request.`
        : '';
      const audited = this.tryAudit({
        action: 'unlock',
        outcome: 'success',
        detail: `Token store created, protected by ${kind}.${replaced}`,
      });
      if (audited) warnings.push(audited);
      return { warning: joinWarnings(warnings) };
    });
  }

  unlock(passphrase: string): Promise<StoreChangeOutcome> {
    return this.serial(async () => {
      this.refresh();
      if (this.state === 'unlocked') return { warning: null };
      if (this.state === 'uninitialised') {
        throw new ServiceError('NOT_SET_UP', 'The token store is not set up yet.', {
          hint: 'Set it up first.',
        });
      }
      const missing = this.missing;
      if (missing) {
        throw new StoreLifecycleError('STORE_MISSING', missing.message, {
          hint: 'Put the file back (from a backup) and try again, or choose to start a new, empty store.',
        });
      }
      if (this.protector !== 'passphrase') {
        throw new ServiceError(
          'KEYCHAIN_UNAVAILABLE',
          'This token store is protected by the system keychain, not a passphrase, and the keychain could not open it.',
          { hint: 'Make sure the system keyring is unlocked, then restart TokenDesk.' },
        );
      }
      const waitUntil = this.unlockRetryAt;
      if (waitUntil !== null) throw backoffError(waitUntil - this.options.clock.now());

      try {
        this.opened = await this.open(this.options.passphraseProtector(passphrase));
      } catch (error) {
        if (errorCodeOf(error) === 'WRONG_PASSPHRASE') throw this.wrongPassphrase();
        if (isCorruptKey(error)) {
          this.auditWhileLocked({
            action: 'unlock_failed',
            outcome: 'failure',
            detail: 'Unlock failed: the stored key is damaged, so no passphrase can open the store.',
          });
          throw new StoreLifecycleError(
            'KEY_CORRUPT',
            'The token store’s encryption key is damaged, so no passphrase can open it. Your passphrase was not the problem.',
            { hint: `Restore ${DB_FILE} from a backup.` },
          );
        }
        throw error;
      }
      this.lockReason = null;
      const failures = this.currentMarker()?.unlockFailures?.count ?? 0;
      const warnings: string[] = [];
      if (failures > 0) {
        const reset = this.tryWriteMarker(this.markerWithoutFailures());
        if (reset) warnings.push(reset);
      }
      const audited = this.tryAudit({
        action: 'unlock',
        outcome: 'success',
        detail:
          failures > 0
            ? `Unlocked with the master passphrase, after ${failures} wrong passphrase${failures === 1 ? '' : 's'} in a row.`
            : 'Unlocked with the master passphrase.',
      });
      if (audited) warnings.push(audited);
      return { warning: joinWarnings(warnings) };
    });
  }

  changePassphrase(current: string, next: string): Promise<StoreChangeOutcome> {
    return this.serial(async () => {
      const { store } = this.require();
      if (this.protector !== 'passphrase') {
        throw new ServiceError(
          'NOT_SUPPORTED',
          'This token store is protected by the system keychain, so it has no passphrase to change.',
        );
      }
      // Verify `current` by unwrapping the stored key with it on a second connection.
      try {
        (await this.openStore(this.options.passphraseProtector(current))).close();
      } catch (error) {
        if (errorCodeOf(error) === 'WRONG_PASSPHRASE') {
          this.tryAudit({
            action: 'passphrase_changed',
            outcome: 'failure',
            detail: 'Passphrase not changed: the current passphrase was wrong.',
          });
          throw new ServiceError('WRONG_PASSPHRASE', 'The current passphrase is not correct.', {
            hint: 'Nothing was changed.',
          });
        }
        throw error;
      }
      await store.changeProtector(this.options.passphraseProtector(next));
      const audited = this.tryAudit({
        action: 'passphrase_changed',
        outcome: 'success',
        detail: 'Master passphrase changed.',
      });
      return { warning: audited };
    });
  }

  /**
   * Writes an audit row now: into the open store, or (locked) through a short-lived connection. Throws
   * when the row cannot be written; `tryAudit` is the variant for rows beside a main operation.
   */
  audit(entry: AuditRecord): void {
    if (this.opened) this.opened.audit.record(entry);
    else this.auditWhileLocked(entry);
  }

  /**
   * Closes the store. An unlock still running when this is called closes what it opened and fails, so
   * no connection outlives the app.
   */
  close(): void {
    this.closed = true;
    this.opened?.store.close();
    this.opened = null;
  }

  /** Runs `task` after every earlier set-up, unlock or passphrase change has finished. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async protectorFor(request: SetupRequest): Promise<() => KeyProtector> {
    if (request.protector === 'passphrase') {
      const passphrase = request.passphrase;
      return () => this.options.passphraseProtector(passphrase);
    }
    const keychain = this.options.keychain;
    const availability = keychain ? await keychain.availability() : null;
    if (!keychain || !availability?.available) {
      throw new ServiceError(
        'KEYCHAIN_UNAVAILABLE',
        availability?.reason ?? 'The system keychain is not available here.',
        { hint: 'Protect the store with a master passphrase instead.' },
      );
    }
    return () => keychain.protector();
  }

  /**
   * Creates the store under a temporary name, checkpoints it into its main file and renames it into place:
   * the store's name only ever holds a complete store. On any failure the temporary files are removed.
   */
  private async createStoreFile(makeProtector: () => KeyProtector): Promise<void> {
    const temp = setupFileName(this.dbPath, randomBytes(6).toString('hex'));
    try {
      const created = await this.openStoreAt(temp, makeProtector());
      try {
        created.database.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        created.close();
      }
      renameSync(temp, this.dbPath);
    } catch (error) {
      removeDatabaseFiles(temp);
      throw error;
    }
    // The checkpoint emptied the WAL; drop whatever companion files the temporary name still has.
    removeDatabaseFiles(temp);
  }

  private wrongPassphrase(): ServiceError {
    const before = this.currentMarker();
    const count = (before?.unlockFailures?.count ?? 0) + 1;
    const now = this.options.clock.now();
    const saved = this.tryWriteMarker({
      ...(before ?? markerFor('passphrase')),
      unlockFailures: { count, lastAt: now },
    });
    if (saved) log.warn('could not record a wrong passphrase for the back-off', { problem: saved });
    if (auditsFailure(count)) {
      this.auditWhileLocked({
        action: 'unlock_failed',
        outcome: 'failure',
        detail:
          count === 1
            ? 'Unlock failed: wrong passphrase.'
            : `Unlock failed: wrong passphrase, ${count} times in a row (a row is written at the 1st, 2nd, 4th, 8th… wrong passphrase).`,
      });
    }
    const delay = unlockDelayMs(count);
    return new ServiceError('WRONG_PASSPHRASE', 'That passphrase is not correct.', {
      hint:
        delay > 0
          ? `Check Caps Lock. After ${count} wrong passphrases in a row, the next try waits ${formatWait(delay)}.`
          : 'Check Caps Lock and try again.',
    });
  }

  private currentMarker(): StoreMarker | null {
    return this.marker.kind === 'present' ? this.marker.marker : null;
  }

  private markerWithoutFailures(): StoreMarker {
    const { unlockFailures: _dropped, ...rest } = this.currentMarker() ?? markerFor('passphrase');
    return rest;
  }

  /** Writes the note; returns a warning (plain words) instead of throwing when it cannot. */
  private tryWriteMarker(marker: StoreMarker): string | null {
    try {
      writeMarker(this.configPath, marker);
      this.marker = { kind: 'present', marker };
      return null;
    } catch (error) {
      log.warn('could not write store.json', { errorCode: errorCodeOf(error) });
      return `TokenDesk could not update its note beside the store (${CONFIG_FILE}): ${describeFsError(error)}.`;
    }
  }

  /** An audit row beside a main operation: its failure is reported, never turned into the operation's. */
  private tryAudit(entry: AuditRecord): string | null {
    try {
      this.audit(entry);
      return null;
    } catch (error) {
      log.warn('could not write an audit row', { action: entry.action, errorCode: errorCodeOf(error) });
      return `The audit entry could not be written: ${describeFsError(error)}.`;
    }
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

  private openStore(protector: KeyProtector): Promise<SqliteTokenStore> {
    return this.openStoreAt(this.dbPath, protector);
  }

  private async openStoreAt(path: string, protector: KeyProtector): Promise<SqliteTokenStore> {
    const store = await SqliteTokenStore.open({ path, protector });
    if (this.closed) {
      store.close();
      throw new StoreLifecycleError('CLOSED', 'TokenDesk is closing.');
    }
    return store;
  }

  private async open(protector: KeyProtector): Promise<OpenStore> {
    const store = await this.openStore(protector);
    return {
      store,
      audit: new SqliteAuditLog(store.database, this.options.clock),
      notes: new SqliteTokenNotes(store.database),
    };
  }

  /**
   * Never throws: a failed audit write (e.g. an unreadable file) must not hide the error being audited.
   * Writes only into a real store: a husk or a missing file gets no table, so it never starts to look
   * like a store.
   */
  private auditWhileLocked(entry: AuditRecord): void {
    if (inspectStoreFile(this.dbPath).kind !== 'store') return;
    try {
      // Never waits on the main thread for another program's lock (docs/storage.md).
      recordOnOwnConnection(this.dbPath, this.options.clock, entry);
    } catch (error) {
      log.warn('could not write an audit row while locked', {
        action: entry.action,
        errorCode: errorCodeOf(error),
      });
    }
  }
}

const LOCK_DETAIL: Record<LockReason, string> = {
  manual: 'Locked by the user.',
  idle: 'Locked after no activity for the auto-lock time.',
  system: 'Locked because the computer went to sleep or its screen was locked.',
};

function isCorruptKey(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return (
    (error instanceof KeyProtectorError && error.code === 'CORRUPT') ||
    (cause instanceof KeyProtectorError && cause.code === 'CORRUPT')
  );
}

function backoffError(waitMs: number): StoreLifecycleError {
  return new StoreLifecycleError(
    'UNLOCK_BACKOFF',
    `Too many wrong passphrases in a row. Wait ${formatWait(waitMs)} before the next try.`,
    { hint: 'The wait doubles with each wrong passphrase and is kept when TokenDesk restarts.' },
  );
}

function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** A file-system or SQLite failure in plain words (its code), never a path or a value. */
function describeFsError(error: unknown): string {
  const code = errorCodeOf(error);
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') return 'the disk is full';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return 'the database is busy (held by another program)';
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_READONLY') return 'no permission to write';
  return code ? `error ${code}` : 'an unexpected error';
}

function joinWarnings(warnings: readonly string[]): string | null {
  return warnings.length > 0 ? warnings.join(' ') : null;
}

export function defaultPassphraseProtector(passphrase: string): KeyProtector {
  return new PassphraseKeyProtector(passphrase);
}
