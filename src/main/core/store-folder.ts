import { join } from 'node:path';
import { errorCodeOf } from '../errors';
import { createLogger } from '../log';
import { inspectStoreFile, type StoreOnDisk } from './store-files';
import { describeFsError } from './store-lifecycle-errors';
import { type MarkerRead, markerFor, readMarker, type StoreMarker, writeMarker } from './store-marker';
import { unlockRetryAt } from './unlock-backoff';

const log = createLogger('app.store');

export const DB_FILE = 'tokendesk.db';
export const CONFIG_FILE = 'store.json';

/** A store that was set up here but is no longer there to open. */
export interface MissingStore {
  readonly reason: 'missing' | 'empty';
  /** Plain words for the unlock screen. */
  readonly message: string;
}

/**
 * The data folder as last looked at: the database file (store-files.ts) and the note beside it
 * (store-marker.ts), which says a store was created here, its protector, and the wrong passphrases in a
 * row. Only the store lifecycle writes the note, through this class.
 */
export class StoreFolder {
  private markerRead: MarkerRead = { kind: 'absent' };
  private diskRead: StoreOnDisk = { kind: 'absent' };

  constructor(private readonly dataDir: string) {}

  get dbPath(): string {
    return join(this.dataDir, DB_FILE);
  }

  get configPath(): string {
    return join(this.dataDir, CONFIG_FILE);
  }

  get marker(): MarkerRead {
    return this.markerRead;
  }

  get disk(): StoreOnDisk {
    return this.diskRead;
  }

  /** Looks at the folder again. */
  read(): void {
    this.markerRead = readMarker(this.configPath);
    this.diskRead = inspectStoreFile(this.dbPath);
  }

  /** Whether a store was ever set up here (a note, or a store file): 'uninitialised' only when neither. */
  get setUp(): boolean {
    if (this.markerRead.kind !== 'absent') return true;
    return this.diskRead.kind === 'store' || this.diskRead.kind === 'unreadable';
  }

  /** Set when a store was created here (there is a note) but its file is gone or holds no key. */
  get missing(): MissingStore | null {
    if (this.markerRead.kind === 'absent') return null;
    if (this.diskRead.kind === 'absent') {
      return {
        reason: 'missing',
        message:
          `The token store that was set up here is gone: its file (${DB_FILE}) is no longer in TokenDesk's ` +
          'data folder. No passphrase can open it, and TokenDesk has not made a new one.',
      };
    }
    if (this.diskRead.kind === 'husk') {
      return {
        reason: 'empty',
        message: `The token store that was set up here is empty: its file (${DB_FILE}) ${
          this.diskRead.bytes === 0 ? 'has 0 bytes' : 'holds no encryption key'
        }. No passphrase can open it, and TokenDesk has not made a new one.`,
      };
    }
    return null;
  }

  /** When the next passphrase may be tried (epoch ms), while wrong ones have made it wait. */
  unlockRetryAt(now: number): number | null {
    if (this.markerRead.kind !== 'present') return null;
    return unlockRetryAt(this.markerRead.marker.unlockFailures, now);
  }

  /** Wrong passphrases in a row, as the note counts them. */
  get unlockFailures(): number {
    return this.current()?.unlockFailures?.count ?? 0;
  }

  /** Writes the note; returns a warning (plain words) instead of throwing when it cannot. */
  note(marker: StoreMarker): string | null {
    try {
      writeMarker(this.configPath, marker);
      this.markerRead = { kind: 'present', marker };
      return null;
    } catch (error) {
      log.warn('could not write store.json', { errorCode: errorCodeOf(error) });
      return `TokenDesk could not update its note beside the store (${CONFIG_FILE}): ${describeFsError(error)}.`;
    }
  }

  /** Counts one more wrong passphrase in the note (so the back-off survives a restart); returns the count. */
  noteWrongPassphrase(now: number): number {
    const before = this.current();
    const count = (before?.unlockFailures?.count ?? 0) + 1;
    const saved = this.note({
      ...(before ?? markerFor('passphrase')),
      unlockFailures: { count, lastAt: now },
    });
    if (saved) log.warn('could not record a wrong passphrase for the back-off', { problem: saved });
    return count;
  }

  /** After a right passphrase: the count starts again. Returns a warning when the note cannot be written. */
  noteUnlocked(): string | null {
    const { unlockFailures: _dropped, ...rest } = this.current() ?? markerFor('passphrase');
    return this.note(rest);
  }

  private current(): StoreMarker | null {
    return this.markerRead.kind === 'present' ? this.markerRead.marker : null;
  }
}
