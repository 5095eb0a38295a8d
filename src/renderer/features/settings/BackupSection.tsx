import { useState } from 'react';
import type { AppStatus, BackupProgress, BackupStatus } from '../../../shared/ipc/views';
import { useBackupProgress, useBackupStatus, useIpcMutation } from '../../api/hooks';
import { Field } from '../../components/Field';
import { InlineError } from '../../components/InlineError';
import { PassphraseField } from '../../components/PassphraseField';
import { SafeText } from '../../components/SafeText';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toasts';
import { formatTimestamp } from '../../lib/format';
import { backupAge, progressLabel } from './backup-words';

/**
 * Backup and restore (Settings). A backup is the whole store, encrypted with the store's own key
 * protection; a restore checks the whole file before it replaces anything. In Electron the paths come from
 * the system's file dialogs; elsewhere (the test harness) they are typed.
 */
export function BackupSection({ status }: { status: AppStatus }) {
  const backup = useBackupStatus();
  return (
    <section className="card" aria-labelledby="backup-title" data-testid="backup-section">
      <h2 id="backup-title" className="card__title">
        Backup and restore
      </h2>
      {backup.data ? (
        <>
          <BackupStatusLine backup={backup.data} />
          <CreateBackup backup={backup.data} />
          <RestoreBackup backup={backup.data} needsPassphrase={status.protector === 'passphrase'} />
        </>
      ) : backup.isError ? (
        <InlineError error={backup.error} title="The backup status could not be read" />
      ) : (
        <Spinner label="Loading…" />
      )}
    </section>
  );
}

function BackupStatusLine({ backup }: { backup: BackupStatus }) {
  return (
    <p className={backup.reminderDue ? 'warn-text' : 'muted'} data-testid="backup-last" role="status">
      {backup.lastBackupAt === null
        ? 'No backup yet. A backup plus your passphrase brings every token back if this computer or its disk fails.'
        : `Last backup ${formatTimestamp(backup.lastBackupAt)} (${backupAge(backup.lastBackupAt, Date.now())}).`}
      {backup.reminderDue &&
        backup.lastBackupAt !== null &&
        ` It is more than ${backup.remindAfterDays} days old: make a new one.`}
    </p>
  );
}

function ProgressLine({ progress, operation }: { progress: BackupProgress | null; operation: string }) {
  if (!progress || progress.operation !== operation || progress.stage === 'done') return null;
  return (
    <div className="row" data-testid={`${operation}-progress`}>
      <progress max={100} value={progress.percent} aria-label={progressLabel(progress)} />
      <span className="muted small">{progressLabel(progress)}</span>
    </div>
  );
}

function CreateBackup({ backup }: { backup: BackupStatus }) {
  const toast = useToast();
  const create = useIpcMutation('createBackup');
  const progress = useBackupProgress();
  const [path, setPath] = useState('');
  const [pathError, setPathError] = useState<string | null>(null);
  const [written, setWritten] = useState<string | null>(null);

  const submit = () => {
    if (!backup.fileDialogs && path.trim() === '') {
      setPathError(`Type the full path of the file to write, for example /home/me/${backup.suggestedName}`);
      return;
    }
    setPathError(null);
    create.mutate(backup.fileDialogs ? {} : { path: path.trim() }, {
      onSuccess: (result) => {
        if (result.outcome === 'cancelled') return;
        setWritten(result.path);
        toast({
          tone: 'success',
          title: 'Backup written',
          description: `${result.tokens} token${result.tokens === 1 ? '' : 's'}, encrypted.`,
        });
      },
    });
  };

  return (
    <form
      className="stack"
      noValidate
      data-testid="backup-create"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3 className="card__subtitle">Back up</h3>
      <p className="muted small">
        Everything in the store (tokens, the audit log, notes) in one file, encrypted: it opens only with this
        store’s passphrase or keychain. Keep it on another disk.
      </p>
      {!backup.fileDialogs && (
        <Field
          label="Backup file (full path)"
          value={path}
          placeholder={`/home/me/${backup.suggestedName}`}
          onChange={(e) => setPath(e.target.value)}
          error={pathError ?? undefined}
          data-testid="backup-path"
        />
      )}
      <ProgressLine progress={create.isPending ? progress : null} operation="backup" />
      <InlineError error={create.error} title="The backup was not written" testId="backup-error" />
      {written && !create.error && (
        <p className="ok-text" role="status" data-testid="backup-written">
          Written to <SafeText value={written} max={200} />.
        </p>
      )}
      <div className="dialog__actions">
        <button
          type="submit"
          className="btn btn--primary"
          disabled={create.isPending}
          data-testid="backup-now"
        >
          {create.isPending ? (
            <Spinner label="Backing up…" />
          ) : backup.fileDialogs ? (
            'Back up now…'
          ) : (
            'Back up now'
          )}
        </button>
      </div>
    </form>
  );
}

function RestoreBackup({ backup, needsPassphrase }: { backup: BackupStatus; needsPassphrase: boolean }) {
  const toast = useToast();
  const restore = useIpcMutation('restoreBackup');
  const progress = useBackupProgress();
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const start = () => {
    if (!backup.fileDialogs && path.trim() === '')
      return setProblem('Type the full path of the backup file.');
    if (needsPassphrase && passphrase === '')
      return setProblem('Type the passphrase the backup was made under.');
    setProblem(null);
    setConfirming(true);
  };
  const run = () => {
    setConfirming(false);
    restore.mutate(
      {
        ...(backup.fileDialogs ? {} : { path: path.trim() }),
        ...(needsPassphrase ? { passphrase } : {}),
      },
      {
        onSuccess: (result) => {
          setPassphrase('');
          if (result.outcome === 'cancelled') return;
          const kept =
            result.keptTokens > 0
              ? ` ${result.keptTokens} token${result.keptTokens === 1 ? '' : 's'} added or re-authorised since the backup ${result.keptTokens === 1 ? 'was' : 'were'} kept (${result.keptTokens === 1 ? 'it works' : 'they work'} at Zoho).`
              : '';
          const words = `${result.tokens} token${result.tokens === 1 ? '' : 's'} restored from the backup made ${formatTimestamp(result.backupMadeAt)}.${kept} The store as it was is kept as ${result.previousStoreKeptAs} in TokenDesk’s data folder.`;
          setDone(words);
          toast({ tone: 'success', title: 'Backup restored', description: words });
        },
      },
    );
  };

  return (
    <form
      className="stack"
      noValidate
      data-testid="backup-restore"
      onSubmit={(e) => {
        e.preventDefault();
        start();
      }}
    >
      <h3 className="card__subtitle">Restore</h3>
      <p className="muted small">
        Brings back every token and note of the backup. The whole file is checked first; if anything is wrong,
        nothing is replaced. Tokens added or re-authorised since the backup, pending revokes and newer audit
        entries are kept: they may still work at Zoho.
      </p>
      {!backup.fileDialogs && (
        <Field
          label="Backup file to restore (full path)"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          data-testid="restore-path"
        />
      )}
      {needsPassphrase && (
        <PassphraseField
          label="Passphrase of the backup"
          purpose="other"
          value={passphrase}
          onChange={setPassphrase}
          description="The passphrase the store had when the backup was made: your current one, unless you changed it since. After the restore, the store opens with it."
          testId="restore-passphrase"
        />
      )}
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
      <ProgressLine progress={restore.isPending ? progress : null} operation="restore" />
      <InlineError error={restore.error} title="Nothing was restored" testId="restore-error" />
      {done && !restore.error && (
        <p className="ok-text" role="status" data-testid="restore-done">
          {done}
        </p>
      )}
      {confirming ? (
        <fieldset className="dialog__actions">
          <legend className="warn-text">Replace the current store with this backup?</legend>
          <button type="button" className="btn" onClick={() => setConfirming(false)}>
            Cancel
          </button>
          <button type="button" className="btn btn--danger" onClick={run} data-testid="restore-confirm">
            Replace with the backup
          </button>
        </fieldset>
      ) : (
        <div className="dialog__actions">
          <button type="submit" className="btn" disabled={restore.isPending} data-testid="restore-start">
            {restore.isPending ? (
              <Spinner label="Checking and restoring…" />
            ) : backup.fileDialogs ? (
              'Restore…'
            ) : (
              'Restore'
            )}
          </button>
        </div>
      )}
    </form>
  );
}
