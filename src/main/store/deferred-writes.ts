import type Database from 'better-sqlite3';
import { createLogger } from '../log';
import { BusyMonitor, type DatabaseState, isBusyError } from './database-busy';

const log = createLogger('store.deferred');

interface Waiting {
  readonly write: () => void;
  readonly what: string;
  readonly onWritten: (() => void) | undefined;
}

/** Pauses between tries while the database stays busy: quick at first, then once a second. */
const FIRST_DELAY_MS = 10;
const MAX_DELAY_MS = 1_000;

/**
 * Side-writes (audit rows, token notes) that must not fail, nor wait on the main thread, because another
 * program holds the write lock: a write that meets SQLITE_BUSY is kept, in order after any already
 * waiting, and made by an asynchronous retry as soon as the lock is free. The operation that caused it
 * has already happened (at Zoho, in the token table); its record follows. While anything waits, the
 * app's status says how many (DatabaseState.pendingWrites). Errors other than busy are the caller's.
 */
export class DeferredWrites {
  private readonly queue: Waiting[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private delay = FIRST_DELAY_MS;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly monitor: BusyMonitor) {}

  get pending(): number {
    return this.queue.length;
  }

  /**
   * Makes `write` now, or keeps it for later when the database is busy. `onWritten` runs once a kept write
   * has been made (not for one made at once). Never waits.
   */
  run(write: () => void, what: string, onWritten?: () => void): 'written' | 'deferred' {
    if (this.queue.length === 0) {
      try {
        write();
        this.monitor.succeeded();
        return 'written';
      } catch (error) {
        if (!isBusyError(error)) throw error;
        this.monitor.busy();
      }
    }
    this.queue.push({ write, what, onWritten });
    log.info('write kept until the database is free', { what, waiting: this.queue.length });
    this.changed();
    this.schedule();
    return 'deferred';
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Writes what it can now without waiting (the connection is about to close); what is still blocked is
   * dropped, and the log says how many of what.
   */
  flushNow(): void {
    this.cancelTimer();
    this.drain();
    if (this.queue.length > 0) {
      log.error('writes lost: the database was still held by another program when TokenDesk closed it', {
        lost: this.queue.length,
        what: [...new Set(this.queue.map((w) => w.what))],
      });
      this.queue.length = 0;
      this.changed();
    }
  }

  /** Makes waiting writes in order until one is still busy; true when the queue is empty. */
  private drain(): boolean {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      try {
        head.write();
      } catch (error) {
        if (isBusyError(error)) {
          this.monitor.busy();
          return false;
        }
        // Not a busy database (a full disk, a closed connection): retrying will not help this write.
        log.error('a kept write failed and was dropped', {
          what: head.what,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      this.queue.shift();
      this.monitor.succeeded();
      try {
        head.onWritten?.();
      } catch (error) {
        log.warn('a kept write callback failed', { what: head.what, error: String(error) });
      }
      this.changed();
    }
    return true;
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const pause = this.delay * (0.5 + Math.random());
    this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.drain()) this.delay = FIRST_DELAY_MS;
      else this.schedule();
    }, pause);
    // A pending retry alone does not keep a process (a CLI, a test) alive.
    this.timer.unref?.();
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The busy bookkeeping of one connection, shared by every module that writes through it. */
export interface ConnectionBusyState {
  readonly monitor: BusyMonitor;
  readonly deferred: DeferredWrites;
  state(): DatabaseState;
  /** The connection is closing: writes still waiting get one last try, the free-again check stops. */
  close(): void;
}

/** While the database is busy, how often SQLite is asked (without waiting) whether it is free again. */
const FREE_AGAIN_CHECK_MS = 1_000;

const byConnection = new WeakMap<Database.Database, ConnectionBusyState>();

/**
 * The connection's busy state (created on first use). The token store, the audit log and the notes
 * share one connection, so they share one monitor and one queue: writes stay in the order they were made.
 */
export function busyStateOf(db: Database.Database): ConnectionBusyState {
  let state = byConnection.get(db);
  if (!state) {
    const monitor = new BusyMonitor();
    const deferred = new DeferredWrites(monitor);
    // Busy is cleared by the next write that gets the lock; with none coming, this check notices the other
    // program has let go, so the app stops saying "busy" when it is not.
    let check: ReturnType<typeof setInterval> | null = null;
    const stopChecking = () => {
      if (check !== null) clearInterval(check);
      check = null;
    };
    const offChange = monitor.onChange((busy) => {
      if (!busy) return stopChecking();
      if (check !== null) return;
      check = setInterval(() => monitor.probe(db), FREE_AGAIN_CHECK_MS);
      check.unref?.();
    });
    state = {
      monitor,
      deferred,
      state: () => ({ busy: monitor.probe(db), pendingWrites: deferred.pending }),
      close: () => {
        deferred.flushNow();
        stopChecking();
        offChange();
      },
    };
    byConnection.set(db, state);
  }
  return state;
}
