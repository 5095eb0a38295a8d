import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { BackupProgress, BackupStatus } from '../../shared/ipc/views';
import type { AuditRecord } from '../audit/audit-log';
import type { Clock } from '../common/clock';
import { AppError, errorCodeOf } from '../errors';
import type { KeyProtector } from '../store/key-protector';
import type { SqliteTokenStore } from '../store/sqlite-token-store';
import { SqlitePendingRevokeStore } from '../tokens/pending-revoke-store';
import { BackupError } from './backup-errors';
import { type BackupHeader, parseBackup, sealBackup } from './backup-file';
import { checkBackupDestination, checkBackupSource } from './backup-paths';
import { removeQuietly, restrictToOwner, writeFileAtomically } from './file-io';
import { checkRestoreCandidate, decryptBackup, describeKind, keepLive } from './restore-checks';
import { carryAuditOver, replaceContents, singleFileSnapshot } from './sqlite-snapshot';

/** After this many days without a backup the console reminds the person (Settings and a notice). */
export const BACKUP_REMINDER_DAYS = 30;
const DAY_MS = 86_400_000;
/** The name the save dialog suggests: `.tdbackup` tells it apart from the live database. */
export const BACKUP_EXTENSION = '.tdbackup';

/** Native file dialogs (Electron's dialog.showSaveDialog / showOpenDialog at the edge); null: cancelled. */
export interface BackupFileDialogs {
  chooseBackupDestination(suggestedName: string): Promise<string | null>;
  chooseBackupToRestore(): Promise<string | null>;
}

export interface BackupStoreAccess {
  readonly store: SqliteTokenStore;
}

export interface StoreBackupsDeps {
  /** The app's data folder (owner-only): temporary snapshots and the pre-restore copy live here. */
  readonly dataDir: string;
  readonly clock: Clock;
  /** The open store, or a LOCKED error. */
  readonly current: () => BackupStoreAccess;
  /** The database file (StoreLifecycle.databasePath). */
  readonly databasePath: () => string;
  /** StoreLifecycle.replaceStore: close, replace, reopen. */
  readonly replaceStore: (
    replace: (dbPath: string) => Promise<void>,
    protector: () => KeyProtector,
  ) => Promise<void>;
  /** A protector of `kind` (`passphrase` needs the passphrase; `safeStorage` is the keychain). */
  readonly protectorFor: (kind: string, passphrase: string | null) => KeyProtector;
  readonly audit: (entry: AuditRecord) => void;
  readonly onProgress?: (progress: BackupProgress) => void;
  /** Native file dialogs exist (Electron), so a request may come without a path. */
  readonly fileDialogs: boolean;
}

export interface BackupWritten {
  readonly path: string;
  readonly bytes: number;
  readonly tokens: number;
  readonly at: number;
}

export interface BackupRestored {
  readonly path: string;
  readonly tokens: number;
  /** Tokens of the replaced store the backup lacked (added or re-authorised since): kept, live at Zoho. */
  readonly keptTokens: number;
  readonly backupMadeAt: number;
  /** File name, in the data folder, of the store as it was just before the restore. */
  readonly previousStoreKeptAs: string;
}

/**
 * Encrypted backup and restore of the whole store (backup-file.ts for the format; docs/storage.md
 * "Backup and restore"). A backup is SQLite's online backup of the open database (consistent while the app
 * keeps working), encrypted under the store's own key protection. A restore checks everything before it
 * replaces anything: the file's format and authentication, the passphrase, SQLite's integrity check and
 * every token row's envelope; then it keeps a copy of the current store, and replaces the database's
 * contents in one transaction (SQLite's backup API into the live file), so other programs sharing the file
 * see the old store or the new one, never a mix.
 */
export class StoreBackups {
  private running: 'backup' | 'restore' | null = null;

  constructor(private readonly deps: StoreBackupsDeps) {}

  status(): BackupStatus {
    const { store } = this.deps.current();
    const lastBackupAt = store.lastBackupAt();
    const now = this.deps.clock.now();
    return {
      lastBackupAt,
      remindAfterDays: BACKUP_REMINDER_DAYS,
      reminderDue: lastBackupAt === null || now - lastBackupAt > BACKUP_REMINDER_DAYS * DAY_MS,
      suggestedName: `tokendesk-${new Date(now).toISOString().slice(0, 10)}${BACKUP_EXTENSION}`,
      fileDialogs: this.deps.fileDialogs,
    };
  }

  async backup(destination: string, options: { readonly overwrite?: boolean } = {}): Promise<BackupWritten> {
    return this.exclusive('backup', async () => {
      const path = checkBackupDestination(destination, options.overwrite === true, this.deps.databasePath());
      try {
        const written = await this.writeBackup(path);
        this.deps.audit({
          action: 'backup',
          outcome: 'success',
          detail: `Backup of ${written.tokens} token${written.tokens === 1 ? '' : 's'} (and the audit log) written to ${basename(path)}, ${formatBytes(written.bytes)}, encrypted with the store's key.`,
        });
        return written;
      } catch (error) {
        this.deps.audit({
          action: 'backup',
          outcome: 'failure',
          detail: `Backup not written: ${plain(error)}`,
        });
        throw error;
      }
    });
  }

  async restore(source: string, passphrase: string | null): Promise<BackupRestored> {
    return this.exclusive('restore', async () => {
      try {
        return await this.restoreFrom(checkBackupSource(source), passphrase);
      } catch (error) {
        // Recorded in whichever store is open now (the current one: a failed restore replaced nothing).
        this.deps.audit({
          action: 'restore',
          outcome: 'failure',
          detail: `Restore from ${basename(source)} failed, nothing was replaced: ${plain(error)}`,
        });
        throw error;
      }
    });
  }

  private async writeBackup(path: string): Promise<BackupWritten> {
    const { store } = this.deps.current();
    const entries = await store.listEntries();
    const unreadable = entries.filter((e) => !e.ok).map((e) => (e.ok ? '' : e.id));
    if (unreadable.length > 0) {
      throw new BackupError(
        'BACKUP_ROWS_UNREADABLE',
        `Token row${unreadable.length === 1 ? '' : 's'} ${unreadable.join(', ')} cannot be read, so a backup could never be restored.`,
        { hint: 'Delete the unreadable rows (they are marked in the list), then back up.' },
      );
    }
    const snapshotPath = this.tempPath('backup');
    const at = this.deps.clock.now();
    let fileKey: Buffer | null = null;
    try {
      this.progress('backup', 'copying', 0);
      await store.database.backup(snapshotPath, {
        progress: ({ totalPages, remainingPages }) => {
          this.progress('backup', 'copying', totalPages === 0 ? 50 : 50 * (1 - remainingPages / totalPages));
          return 256;
        },
      });
      const snapshot = singleFileSnapshot(snapshotPath);
      this.progress('backup', 'encrypting', 60);
      const { wrapped, kind } = store.wrappedDataKey();
      const header: BackupHeader = {
        format: 'tokendesk-backup',
        createdAt: at,
        protectorKind: kind,
        wrappedKey: wrapped,
        tokens: entries.length,
      };
      fileKey = store.deriveKey('backup-file');
      const sealed = sealBackup(header, snapshot, fileKey);
      this.progress('backup', 'writing', 75);
      await writeFileAtomically(path, sealed);
      // Read back and open what was written: a backup that cannot be opened is worse than none.
      this.progress('backup', 'checking', 90);
      const reread = parseBackup(await readFile(path)).open(fileKey);
      if (!sha256(reread).equals(sha256(snapshot))) {
        throw new BackupError('BACKUP_IO', 'The backup written to disk does not read back the same.');
      }
      await store.recordBackup(at);
      this.progress('backup', 'done', 100);
      return { path, bytes: sealed.length, tokens: entries.length, at };
    } finally {
      fileKey?.fill(0);
      removeQuietly(snapshotPath);
    }
  }

  private async restoreFrom(path: string, passphrase: string | null): Promise<BackupRestored> {
    const { store } = this.deps.current();
    this.progress('restore', 'reading', 0);
    const file = await readFile(path).catch((error: unknown) => {
      throw new BackupError('BACKUP_IO', `The backup file could not be read (${ioCode(error)}).`, {
        cause: error,
      });
    });
    const parsed = parseBackup(file);
    const { header } = parsed;
    const currentKind = store.wrappedDataKey().kind;
    if (header.protectorKind !== currentKind) {
      throw new BackupError(
        'BACKUP_PROTECTOR_MISMATCH',
        `This backup is protected by ${describeKind(header.protectorKind)}, but this store by ${describeKind(currentKind)}.`,
        { hint: 'Restore it where it was made, or set this store up the same way first.' },
      );
    }
    if (header.protectorKind === 'passphrase' && (passphrase === null || passphrase === '')) {
      throw new BackupError(
        'BACKUP_WRONG_PASSPHRASE',
        'This backup needs the passphrase the store had when the backup was made.',
        { hint: 'Type it in the passphrase field.' },
      );
    }

    this.progress('restore', 'checking', 20);
    const snapshot = await decryptBackup(parsed, this.deps.protectorFor(header.protectorKind, passphrase));
    const candidate = this.tempPath('restore');
    try {
      await writeFileAtomically(candidate, snapshot);
      const tokens = await checkRestoreCandidate(
        candidate,
        header,
        this.deps.protectorFor(header.protectorKind, passphrase),
      );

      const carried = carryAuditOver(store.database, candidate);
      // What may still work at Zoho is never dropped by a restore (docs/storage.md): the current store's
      // tokens and pending revokes, read now, are put into the restored store below if it lacks them.
      const liveTokens = (await store.listEntries()).flatMap((e) => (e.ok ? [e.token] : []));
      const livePending = new SqlitePendingRevokeStore(store).list();
      this.progress('restore', 'replacing', 70);
      // The store as it is now, kept beside it: a restore never loses what was there.
      const keptAs = `tokendesk.before-restore-${stamp(this.deps.clock.now())}.db`;
      const keptPath = join(this.deps.dataDir, keptAs);
      await store.database.backup(keptPath);
      restrictToOwner(keptPath);

      await this.deps.replaceStore(
        (dbPath) => replaceContents(candidate, dbPath),
        () => this.deps.protectorFor(header.protectorKind, passphrase),
      );
      const restored = this.deps.current().store;
      await restored.recordBackup(Math.max(restored.lastBackupAt() ?? 0, header.createdAt));
      const keptLive = await keepLive(restored, liveTokens, livePending);
      this.deps.audit({
        action: 'restore',
        outcome: 'success',
        detail: `Restored ${tokens} token${tokens === 1 ? '' : 's'} from ${basename(path)} (backup made ${new Date(header.createdAt).toISOString()}); kept ${keptLive.tokens} token${keptLive.tokens === 1 ? '' : 's'} added or re-authorised since, ${keptLive.pending} pending revoke${keptLive.pending === 1 ? '' : 's'} and ${carried} newer audit entr${carried === 1 ? 'y' : 'ies'}; the store as it was before is kept as ${keptAs} in the data folder.`,
      });
      this.progress('restore', 'done', 100);
      return {
        path,
        tokens,
        keptTokens: keptLive.tokens,
        backupMadeAt: header.createdAt,
        previousStoreKeptAs: keptAs,
      };
    } finally {
      snapshot.fill(0);
      removeQuietly(candidate);
    }
  }

  private tempPath(purpose: string): string {
    return join(this.deps.dataDir, `.${purpose}-${randomBytes(6).toString('hex')}.tmp`);
  }

  private progress(operation: BackupProgress['operation'], stage: BackupProgress['stage'], percent: number) {
    this.deps.onProgress?.({ operation, stage, percent: Math.max(0, Math.min(100, Math.round(percent))) });
  }

  private async exclusive<T>(what: 'backup' | 'restore', run: () => Promise<T>): Promise<T> {
    if (this.running !== null) {
      throw new BackupError('BACKUP_IN_PROGRESS', `A ${this.running} is already running.`, {
        hint: 'Wait for it to finish, then try again.',
      });
    }
    this.running = what;
    try {
      return await run();
    } finally {
      this.running = null;
    }
  }
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[:.]/g, '-');
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function ioCode(error: unknown): string {
  return errorCodeOf(error) ?? 'unknown error';
}

/** A failure's message for an audit row (AppErrors are written to be shown; anything else gets its code). */
function plain(error: unknown): string {
  return error instanceof AppError ? error.message : 'an unexpected error (see the app log)';
}
