import { BackupError } from '../../backup/backup-errors';
import type { BackupFileDialogs } from '../../backup/store-backups';
import type { AreaHandlers } from './area-handlers';
import type { CoreContext } from './core-context';

/** Encrypted backups of the store and restoring one (docs/storage.md). */
export function backupHandlers(
  ctx: CoreContext,
): AreaHandlers<'getBackupStatus' | 'createBackup' | 'restoreBackup'> {
  const { deps, lifecycle, backups } = ctx;

  /** The path a backup request gave, or the one the person picks in a native dialog (null: cancelled). */
  async function backupPath(
    given: string | undefined,
    ask: (d: BackupFileDialogs) => Promise<string | null>,
  ) {
    if (given !== undefined) return given;
    if (!deps.backupDialogs) {
      throw new BackupError('BACKUP_NO_PATH', 'Type the full path of the backup file.');
    }
    return ask(deps.backupDialogs);
  }

  return {
    getBackupStatus: async () => backups.status(),
    async createBackup(req) {
      lifecycle.require();
      const suggested = backups.status().suggestedName;
      const path = await backupPath(req.path, (d) => d.chooseBackupDestination(suggested));
      if (path === null) return { outcome: 'cancelled' as const };
      // A dialog has already asked before replacing an existing file; a typed path never replaces one.
      const written = await backups.backup(path, { overwrite: req.path === undefined });
      return { outcome: 'written' as const, ...written };
    },
    async restoreBackup(req) {
      lifecycle.require();
      const path = await backupPath(req.path, (d) => d.chooseBackupToRestore());
      if (path === null) return { outcome: 'cancelled' as const };
      const restored = await backups.restore(path, req.passphrase ?? null);
      ctx.changed('restore');
      return { outcome: 'restored' as const, ...restored };
    },
  };
}
