import { randomBytes } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import { open as openFile, rename, rm } from 'node:fs/promises';
import { errorCodeOf } from '../errors';
import { createLogger } from '../log';
import { BackupError } from './backup-errors';

const log = createLogger('backup.files');

/** Writes to a temporary file beside `path` (0600), flushes it to disk, then renames it into place. */
export async function writeFileAtomically(path: string, data: Buffer): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.partial`;
  try {
    const handle = await openFile(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError('BACKUP_IO', `The file could not be written (${ioCode(error)}).`, {
      hint: 'Check that the disk has room and the folder can be written to.',
      cause: error,
    });
  }
}

export function restrictToOwner(path: string): void {
  if (process.platform !== 'win32') chmodSync(path, 0o600);
}

export function removeQuietly(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      rmSync(file, { force: true });
    } catch (error) {
      log.warn('could not remove a temporary file', { error: String(error) });
    }
  }
}

function ioCode(error: unknown): string {
  return errorCodeOf(error) ?? 'unknown error';
}
