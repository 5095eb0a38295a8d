import { useBackupStatus } from '../api/hooks';

/** A quiet line above the console's pages when no backup exists or the last one is old (Settings has the rest). */
export function BackupReminder({ onOpenSettings }: { onOpenSettings: () => void }) {
  const backup = useBackupStatus();
  if (!backup.data?.reminderDue) return null;
  return (
    <div className="db-notice" role="status" data-testid="backup-reminder">
      <strong className="db-notice__title">
        {backup.data.lastBackupAt === null
          ? 'No backup of your tokens yet.'
          : `No backup in the last ${backup.data.remindAfterDays} days.`}
      </strong>{' '}
      <button type="button" className="safe-text__toggle" onClick={onOpenSettings}>
        Back up in Settings
      </button>
    </div>
  );
}
