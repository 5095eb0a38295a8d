import { z } from 'zod';
import { BackupResultSchema, BackupStatusSchema, RestoreResultSchema } from '../views';
import { emptyRequest } from './request-fields';

const backupPath = z.string().trim().min(1).max(4096);

/** Encrypted backups of the local store (docs/storage.md). */
export const backupChannels = {
  getBackupStatus: { channel: 'backup.status', request: emptyRequest, response: BackupStatusSchema },
  /** Without `path`, main asks where with a save dialog (Electron); the harness types the path. */
  createBackup: {
    channel: 'backup.create',
    request: z.object({ path: backupPath.optional() }).strict(),
    response: BackupResultSchema,
  },
  /** Checks the whole file before anything is replaced; `passphrase` is the one the backup was made under. */
  restoreBackup: {
    channel: 'backup.restore',
    request: z.object({ path: backupPath.optional(), passphrase: z.string().max(1024).optional() }).strict(),
    response: RestoreResultSchema,
  },
} as const;
