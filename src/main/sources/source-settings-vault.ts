import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { type SourceSettings, SourceSettingsSchema } from '../../shared/ipc/sources';
import { createLogger } from '../log';
import type { RowBinding } from '../store/row-crypto';
import type { SqliteTokenStore } from '../store/sqlite-token-store';

const log = createLogger('sources.vault');

/** One configured source as kept: its settings (password and paths included). */
export interface StoredSource {
  readonly id: string;
  readonly settings: SourceSettings;
}

/** What the vault needs of the local store: its file, and its envelope sealing for tables beside `tokens`. */
export type AsideSealing = Pick<SqliteTokenStore, 'database' | 'sealAside' | 'openAside' | 'onRekey'>;

/** The envelope is bound to the row id alone (never decimal, so it cannot pass for a token row). */
function bindingOf(id: string): RowBinding {
  return {
    id: `source-settings:${id}`,
    userName: null,
    clientId: null,
    dataCenter: null,
    environment: null,
    expiryTime: null,
    redirectUrl: null,
    apiDomain: null,
  };
}

/**
 * The console's configured sources, in the local store's own file, each sealed with the store's row
 * envelope (so a password or a file path is as protected as a token, and nothing is in electron-store or
 * a log). A passphrase change moves them to the new key inside the same transaction as the token rows.
 */
export class SourceSettingsVault {
  private readonly db: Database.Database;

  constructor(private readonly store: AsideSealing) {
    this.db = store.database;
    this.db.exec('CREATE TABLE IF NOT EXISTS source_settings (id TEXT PRIMARY KEY, sealed BLOB NOT NULL)');
    store.onRekey((move) => {
      const rows = this.db.prepare('SELECT id, sealed FROM source_settings').all() as {
        id: string;
        sealed: Buffer;
      }[];
      const update = this.db.prepare('UPDATE source_settings SET sealed = ? WHERE id = ?');
      for (const row of rows) {
        try {
          update.run(move(bindingOf(row.id), row.sealed), row.id);
        } catch {
          // A row that no longer opens stays as it is (and stays left out of the list).
          log.warn('A saved token source could not be moved to the new key', { id: row.id });
        }
      }
    });
  }

  list(): StoredSource[] {
    const rows = this.db.prepare('SELECT id, sealed FROM source_settings ORDER BY rowid').all() as {
      id: string;
      sealed: Buffer;
    }[];
    const out: StoredSource[] = [];
    for (const row of rows) {
      try {
        out.push({ id: row.id, settings: this.open(row.id, row.sealed) });
      } catch {
        // A row that does not open (tampered, or moved from another row) is left out, not fatal.
        log.warn('A saved token source could not be read and is left out', { id: row.id });
      }
    }
    return out;
  }

  add(settings: SourceSettings): StoredSource {
    const id = `src-${randomUUID()}`;
    this.db
      .prepare('INSERT INTO source_settings (id, sealed) VALUES (?, ?)')
      .run(id, this.seal(id, settings));
    return { id, settings };
  }

  update(id: string, settings: SourceSettings): void {
    this.db.prepare('UPDATE source_settings SET sealed = ? WHERE id = ?').run(this.seal(id, settings), id);
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM source_settings WHERE id = ?').run(id);
  }

  private seal(id: string, settings: SourceSettings): Buffer {
    // The envelope seals four named secret slots; the settings travel whole in the first.
    return this.store.sealAside(bindingOf(id), {
      clientSecret: JSON.stringify(settings),
      refreshToken: null,
      accessToken: null,
      grantToken: null,
    });
  }

  private open(id: string, sealed: Buffer): SourceSettings {
    const secrets = this.store.openAside(bindingOf(id), sealed);
    return SourceSettingsSchema.parse(JSON.parse(secrets.clientSecret ?? 'null'));
  }
}
