import type Database from 'better-sqlite3';
import type { RowBinding } from './row-crypto';
import type { SqliteTokenStore } from './sqlite-token-store';

/** What a table beside `tokens` needs of the local store: its file, and its envelope sealing. */
export type AsideSealing = Pick<SqliteTokenStore, 'database' | 'sealAside' | 'openAside' | 'onRekey'>;

export interface SealedAsideTableOptions {
  /** The table's name: a fixed identifier of the code, never input. */
  readonly table: string;
  /** Prefixes each row's envelope binding (`source-settings`, `team-local`), so rows of two tables never open as each other. */
  readonly bindingPrefix: string;
  /**
   * Called for a row that does not open during a re-key; it keeps its old envelope (and stays unreadable).
   * Absent: such a row makes the re-key fail and roll back, for a row whose loss would lock a person out.
   */
  readonly onUnmovable?: (id: string) => void;
}

/**
 * One text per row id, in a table of the local store's own file, each sealed with the store's row envelope
 * (docs/storage.md): a password or a private key kept here is as protected as a token, never in
 * electron-store or a log, and a passphrase change moves every row to the new key inside the same
 * transaction as the token rows. The envelope is bound to the prefixed row id alone, never decimal, so it
 * cannot pass for a token row.
 */
export class SealedAsideTable {
  private readonly db: Database.Database;
  private readonly table: string;

  constructor(
    private readonly store: AsideSealing,
    private readonly options: SealedAsideTableOptions,
  ) {
    this.db = store.database;
    this.table = options.table;
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${this.table} (id TEXT PRIMARY KEY, sealed BLOB NOT NULL)`);
    store.onRekey((move) => {
      const rows = this.db.prepare(`SELECT id, sealed FROM ${this.table}`).all() as SealedRow[];
      const update = this.db.prepare(`UPDATE ${this.table} SET sealed = ? WHERE id = ?`);
      for (const row of rows) {
        let moved: Buffer;
        try {
          moved = move(this.bindingOf(row.id), row.sealed);
        } catch (error) {
          if (!options.onUnmovable) throw error;
          options.onUnmovable(row.id);
          continue;
        }
        update.run(moved, row.id);
      }
    });
  }

  /** Every row in the order written; `text` is null for a row that does not open (tampered, or moved). */
  all(): { readonly id: string; readonly text: string | null }[] {
    const rows = this.db.prepare(`SELECT id, sealed FROM ${this.table} ORDER BY rowid`).all() as SealedRow[];
    return rows.map((row) => {
      try {
        return { id: row.id, text: this.open(row) };
      } catch {
        return { id: row.id, text: null };
      }
    });
  }

  /** The row's text, or null when there is none; throws when the row does not open. */
  read(id: string): string | null {
    const found = this.db.prepare(`SELECT id, sealed FROM ${this.table} WHERE id = ?`).get(id) as
      | SealedRow
      | undefined;
    return found ? this.open(found) : null;
  }

  /** Adds or replaces the row (a replaced row keeps its place in `all`). */
  write(id: string, text: string): void {
    // The envelope seals four named secret slots; the text travels whole in the first.
    const sealed = this.store.sealAside(this.bindingOf(id), {
      clientSecret: text,
      refreshToken: null,
      accessToken: null,
      grantToken: null,
    });
    this.db
      .prepare(
        `INSERT INTO ${this.table} (id, sealed) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET sealed = excluded.sealed`,
      )
      .run(id, sealed);
  }

  remove(id: string): void {
    this.db.prepare(`DELETE FROM ${this.table} WHERE id = ?`).run(id);
  }

  private open(row: SealedRow): string | null {
    return this.store.openAside(this.bindingOf(row.id), row.sealed).clientSecret;
  }

  private bindingOf(id: string): RowBinding {
    return {
      id: `${this.options.bindingPrefix}:${id}`,
      userName: null,
      clientId: null,
      dataCenter: null,
      environment: null,
      expiryTime: null,
      redirectUrl: null,
      apiDomain: null,
    };
  }
}

interface SealedRow {
  readonly id: string;
  readonly sealed: Buffer;
}
