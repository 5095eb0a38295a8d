import { AppError, type AppErrorOptions } from '../errors';

/** What can go wrong with a backup or a restore; every message is plain words and names no secret. */
export type BackupErrorCode =
  | 'BACKUP_PATH_INVALID'
  | 'BACKUP_EXISTS'
  | 'BACKUP_NOT_FOUND'
  | 'NOT_A_BACKUP'
  | 'BACKUP_DAMAGED'
  | 'BACKUP_WRONG_PASSPHRASE'
  | 'BACKUP_PROTECTOR_MISMATCH'
  | 'BACKUP_ROWS_UNREADABLE'
  | 'BACKUP_IO'
  | 'BACKUP_IN_PROGRESS'
  | 'BACKUP_NO_PATH';

export class BackupError extends AppError {
  declare readonly code: BackupErrorCode;

  constructor(code: BackupErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'BackupError';
  }
}
