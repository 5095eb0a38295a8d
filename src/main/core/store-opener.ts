import { SqliteAuditLog } from '../audit/sqlite-audit-log';
import type { Clock } from '../common/clock';
import type { KeyProtector } from '../store/key-protector';
import { SqliteTokenStore } from '../store/sqlite-token-store';
import { SqliteTokenNotes } from '../tokens/token-notes';
import { StoreLifecycleError } from './store-lifecycle-errors';

/** The unlocked store and what the core reads and writes beside its tokens. */
export interface OpenStore {
  readonly store: SqliteTokenStore;
  readonly audit: SqliteAuditLog;
  readonly notes: SqliteTokenNotes;
}

/**
 * Opens the store's database for the lifecycle. Once the app is closing, whatever an unlock still running
 * opens is closed at once and the unlock fails (CLOSED), so no connection outlives the app.
 */
export class StoreOpener {
  private closing = false;

  constructor(
    private readonly dbPath: string,
    private readonly clock: Clock,
  ) {}

  /** From now on every open fails with CLOSED. */
  close(): void {
    this.closing = true;
  }

  /** The store with its audit log and notes. */
  async open(protector: KeyProtector): Promise<OpenStore> {
    const store = await this.openAt(this.dbPath, protector);
    return {
      store,
      audit: new SqliteAuditLog(store.database, this.clock),
      notes: new SqliteTokenNotes(store.database),
    };
  }

  /** The database alone, at `path` (the store's name, or the temporary one of a set-up). */
  async openAt(path: string, protector: KeyProtector): Promise<SqliteTokenStore> {
    const store = await SqliteTokenStore.open({ path, protector });
    if (this.closing) {
      store.close();
      throw new StoreLifecycleError('CLOSED', 'TokenDesk is closing.');
    }
    return store;
  }
}
