import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { BackupError } from './backup-errors';

/** Far above any real store (100,000 tokens are about 100 MB); a larger file is not read into memory. */
const MAX_BACKUP_BYTES = 2 * 1024 ** 3;

/**
 * The paths a backup request names, checked before anything is read or written (docs/storage.md "Backup
 * and restore"): full paths only, never over the live database, never over an existing file unless a
 * dialog already asked.
 */
export function checkBackupDestination(
  destination: string,
  overwrite: boolean,
  databasePath: string,
): string {
  const path = checkFullPath(destination);
  const live = resolve(databasePath);
  if ([live, `${live}-wal`, `${live}-shm`].includes(path)) {
    throw new BackupError(
      'BACKUP_PATH_INVALID',
      'A backup cannot be written over the token database itself.',
      { hint: 'Choose another file, ideally on another disk.' },
    );
  }
  if (!existsSync(dirname(path)) || !statSync(dirname(path)).isDirectory()) {
    throw new BackupError('BACKUP_PATH_INVALID', `The folder ${dirname(path)} does not exist.`);
  }
  if (existsSync(path) && !overwrite) {
    throw new BackupError(
      'BACKUP_EXISTS',
      `A file named ${basename(path)} already exists there; it was left as it is.`,
      { hint: 'Choose another name.' },
    );
  }
  return path;
}

export function checkBackupSource(source: string): string {
  const path = checkFullPath(source);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new BackupError('BACKUP_NOT_FOUND', `There is no file at ${path}.`);
  }
  if (statSync(path).size > MAX_BACKUP_BYTES) {
    throw new BackupError('NOT_A_BACKUP', 'This file is far larger than any TokenDesk backup.');
  }
  return path;
}

function checkFullPath(path: string): string {
  if (!isAbsolute(path)) {
    throw new BackupError(
      'BACKUP_PATH_INVALID',
      'Type the full path of the backup file (for example /home/me/tokendesk.tdbackup).',
    );
  }
  return resolve(path);
}
