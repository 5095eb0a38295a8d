import { randomUUID } from 'node:crypto';
import { type SourceSettings, SourceSettingsSchema } from '../../shared/ipc/sources';
import { createLogger } from '../log';
import { type AsideSealing, SealedAsideTable } from '../store/sealed-aside-table';

const log = createLogger('sources.vault');

/** One configured source as kept: its settings (password and paths included). */
export interface StoredSource {
  readonly id: string;
  readonly settings: SourceSettings;
}

/**
 * The console's configured sources, in the local store's own file (table `source_settings`), each sealed
 * with the store's row envelope (SealedAsideTable): a password or a file path is as protected as a token,
 * and nothing is in electron-store or a log. A row that no longer opens is left out, not fatal, and stays
 * as it is through a passphrase change.
 */
export class SourceSettingsVault {
  private readonly table: SealedAsideTable;

  constructor(store: AsideSealing) {
    this.table = new SealedAsideTable(store, {
      table: 'source_settings',
      bindingPrefix: 'source-settings',
      onUnmovable: (id) => log.warn('A saved token source could not be moved to the new key', { id }),
    });
  }

  list(): StoredSource[] {
    const out: StoredSource[] = [];
    for (const row of this.table.all()) {
      const settings = row.text === null ? null : parseSettings(row.text);
      if (settings !== null) out.push({ id: row.id, settings });
      // A row that does not open (tampered, or moved from another row) is left out, not fatal.
      else log.warn('A saved token source could not be read and is left out', { id: row.id });
    }
    return out;
  }

  add(settings: SourceSettings): StoredSource {
    const id = `src-${randomUUID()}`;
    this.table.write(id, JSON.stringify(settings));
    return { id, settings };
  }

  update(id: string, settings: SourceSettings): void {
    this.table.write(id, JSON.stringify(settings));
  }

  remove(id: string): void {
    this.table.remove(id);
  }
}

function parseSettings(text: string): SourceSettings | null {
  try {
    return SourceSettingsSchema.parse(JSON.parse(text));
  } catch {
    return null;
  }
}
