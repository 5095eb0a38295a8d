import type Database from 'better-sqlite3';
import { createLogger } from '../log';
import { TokenStoreError } from './token-store';

const log = createLogger('store.busy');

/**
 * A database held by another program (an app using the Zoho SDK on the same file, the sqlite3 shell),
 * without ever blocking the main thread.
 *
 * better-sqlite3 runs every statement synchronously on the calling thread, and SQLite's busy_timeout
 * waits inside that call: with the 5 s it used to be, each write made while another process held the
 * write lock froze the whole main process (IPC, timers, under Electron the window) for 5 s. So every
 * connection runs with busy_timeout 0 (SQLite answers SQLITE_BUSY at once) and a busy statement is
 * tried again after an asynchronous pause that grows, up to a bound; then the caller gets
 * DatabaseBusyError with nothing written. See docs/storage.md "A database held by another program".
 */

export const DATABASE_BUSY_MESSAGE = 'The database is busy (held by another program)';

/** Set on every connection TokenDesk opens: SQLite never waits on the calling thread. */
export const BUSY_TIMEOUT_PRAGMA = 'busy_timeout = 0';

export class DatabaseBusyError extends TokenStoreError {
  constructor(
    /** How long TokenDesk kept trying before it gave up (ms). */
    readonly waitedMs: number,
    options?: ErrorOptions,
  ) {
    super('DATABASE_BUSY', `${DATABASE_BUSY_MESSAGE}. Nothing was written.`, {
      ...options,
      hint: 'Another program is writing to the token database (for example an app using the Zoho SDK with the same file). Try again when it has finished, or close it.',
    });
    this.name = 'DatabaseBusyError';
  }
}

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, _RECOVERY, _TIMEOUT). */
export function isBusyError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    if (e instanceof DatabaseBusyError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export interface BusyRetryPolicy {
  /** Give up (DatabaseBusyError) once this long has passed since the first try. */
  readonly maxWaitMs: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * A few seconds in all: long enough for another program's ordinary transaction to finish, short enough
 * that a person waiting on a button gets an answer.
 */
export const DEFAULT_BUSY_RETRY: BusyRetryPolicy = { maxWaitMs: 3_000, firstDelayMs: 5, maxDelayMs: 250 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` (synchronous SQLite work that either completes or changes nothing, e.g. one
 * transaction) and, while it fails with SQLITE_BUSY, runs it again after a growing, jittered pause
 * (the jitter keeps two waiting processes out of step). The pauses are timers: the event loop runs in
 * between. Other errors pass through untouched.
 */
export async function retryWhileBusy<T>(
  attempt: () => T,
  options: {
    readonly policy?: BusyRetryPolicy | undefined;
    readonly monitor?: BusyMonitor | undefined;
    /** The attempt takes the write lock: its success shows the database is free again. */
    readonly writes?: boolean;
  } = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_BUSY_RETRY;
  // From the first try: time SQLite itself spent waiting (a busy_timeout) counts towards the bound.
  const started = performance.now();
  let delay = policy.firstDelayMs;
  for (;;) {
    try {
      const result = attempt();
      if (options.writes) options.monitor?.succeeded();
      return result;
    } catch (error) {
      if (!isBusyError(error)) throw error;
      options.monitor?.busy();
      const waited = performance.now() - started;
      if (waited >= policy.maxWaitMs) throw new DatabaseBusyError(Math.round(waited), { cause: error });
      await sleep(Math.min(delay * (0.5 + Math.random()), policy.maxWaitMs - waited));
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}

/** What the app shows about its database: held by another program, and writes waiting to be made. */
export interface DatabaseState {
  readonly busy: boolean;
  /** Audit rows and token notes accepted but not yet written (they wait for the lock, in order). */
  readonly pendingWrites: number;
}

/**
 * Busy or not, as last seen by this connection: set when a statement met SQLITE_BUSY, cleared when one
 * that needed the write lock got it (or `probe` found it free). Listeners hear each change.
 */
export class BusyMonitor {
  private busySince: number | null = null;
  private readonly listeners = new Set<(busy: boolean) => void>();

  get isBusy(): boolean {
    return this.busySince !== null;
  }

  busy(): void {
    if (this.busySince !== null) return;
    this.busySince = Date.now();
    log.warn(DATABASE_BUSY_MESSAGE);
    this.emit(true);
  }

  succeeded(): void {
    if (this.busySince === null) return;
    log.info('The database is free again', { busyForMs: Date.now() - this.busySince });
    this.busySince = null;
    this.emit(false);
  }

  onChange(listener: (busy: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Asks SQLite, without waiting, whether the write lock can be had now (BEGIN IMMEDIATE, then ROLLBACK at
   * once), and updates the state. Only when it is believed busy: a status question should not take the
   * lock for nothing, and the moment it holds it is a few microseconds.
   */
  probe(db: Database.Database): boolean {
    if (this.busySince === null || !db.open || db.inTransaction) return this.isBusy;
    try {
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
      this.succeeded();
    } catch (error) {
      if (!isBusyError(error)) throw error;
    }
    return this.isBusy;
  }

  private emit(busy: boolean): void {
    for (const listener of this.listeners) {
      try {
        listener(busy);
      } catch (error) {
        log.warn('a database-state listener failed', { error: String(error) });
      }
    }
  }
}
