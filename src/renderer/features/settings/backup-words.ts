import type { BackupProgress } from '../../../shared/ipc/views';

const DAY_MS = 86_400_000;

/** "today", "yesterday", "12 days ago": how old a backup is, in the words a reminder needs. */
export function backupAge(at: number, now: number): string {
  const days = Math.floor((now - at) / DAY_MS);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

const STAGES: Readonly<Record<BackupProgress['stage'], string>> = {
  copying: 'Copying the store',
  encrypting: 'Encrypting',
  writing: 'Writing the file',
  checking: 'Checking',
  reading: 'Reading the backup',
  replacing: 'Replacing the store',
  done: 'Done',
};

export function progressLabel(progress: BackupProgress): string {
  return `${STAGES[progress.stage]}… ${progress.percent}%`;
}
