import { useEffect, useState } from 'react';
import type { DataCenterId, ZohoEnvironment } from '../../../shared/datacenters';
import { ipcContract } from '../../../shared/ipc/contract';
import type { AppStatus, Settings } from '../../../shared/ipc/views';
import { useIpcMutation } from '../../api/hooks';
import { Field } from '../../components/Field';
import { InlineError } from '../../components/InlineError';
import { LabelledCheckbox } from '../../components/LabelledCheckbox';
import { Select } from '../../components/Select';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toasts';
import { DATA_CENTER_OPTIONS, ENVIRONMENT_OPTIONS, redirectUri } from '../add-account/account-form';
import { autoLockOptions } from './auto-lock-options';
import { BackupSection } from './BackupSection';
import { ChangePassphraseForm } from './ChangePassphraseForm';
import { KeychainPassphraseSection } from './KeychainPassphraseSection';
import { LogFolderSection } from './LogFolderSection';

type Theme = Settings['theme'];
const THEMES: ReadonlyArray<{ value: Theme; label: string }> = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Off by default (docs/health.md "Schedule"). */
const HEALTH_CHECK_OPTIONS: ReadonlyArray<{ value: string; label: string }> = [
  { value: '0', label: 'Never (only when I click Check all)' },
  { value: '6', label: 'Every 6 hours' },
  { value: '12', label: 'Every 12 hours' },
  { value: '24', label: 'Every 24 hours' },
];

export function SettingsPage({ settings, status }: { settings: Settings; status: AppStatus }) {
  const toast = useToast();
  const update = useIpcMutation('updateSettings');
  const [draft, setDraft] = useState({ ...settings, redirectPort: String(settings.redirectPort) });
  const [errors, setErrors] = useState<Partial<Record<'redirectPort' | 'redirectPath', string>>>({});
  useEffect(() => setDraft({ ...settings, redirectPort: String(settings.redirectPort) }), [settings]);

  const save = () => {
    const request = { ...draft, redirectPort: Number(draft.redirectPort) };
    const parsed = ipcContract.updateSettings.request.safeParse(request);
    if (!parsed.success) {
      const next: typeof errors = {};
      for (const issue of parsed.error.issues) {
        if (issue.path[0] === 'redirectPort') next.redirectPort = 'Use a whole number from 1024 to 65535.';
        if (issue.path[0] === 'redirectPath')
          next.redirectPath = 'Start with / and use letters, digits, / _ - only.';
      }
      setErrors(next);
      return;
    }
    setErrors({});
    update.mutate(parsed.data, { onSuccess: () => toast({ tone: 'success', title: 'Settings saved' }) });
  };

  const portChanged =
    draft.redirectPort !== String(settings.redirectPort) || draft.redirectPath !== settings.redirectPath;

  return (
    <div className="page page--narrow" data-testid="settings-page">
      <h1 className="page__title">Settings</h1>
      <form
        className="card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <h2 className="card__title">New accounts</h2>
        <div className="form-grid">
          <Select<DataCenterId>
            label="Default data center"
            value={draft.defaultDataCenter}
            options={DATA_CENTER_OPTIONS}
            onChange={(defaultDataCenter) => setDraft((d) => ({ ...d, defaultDataCenter }))}
            testId="settings-dc"
          />
          <Select<ZohoEnvironment>
            label="Default environment"
            value={draft.defaultEnvironment}
            options={ENVIRONMENT_OPTIONS}
            onChange={(defaultEnvironment) => setDraft((d) => ({ ...d, defaultEnvironment }))}
            testId="settings-env"
          />
          <Field
            label="Redirect port"
            inputMode="numeric"
            value={draft.redirectPort}
            onChange={(e) => setDraft((d) => ({ ...d, redirectPort: e.target.value }))}
            error={errors.redirectPort}
            data-testid="settings-port"
          />
          <Field
            label="Redirect path"
            value={draft.redirectPath}
            onChange={(e) => setDraft((d) => ({ ...d, redirectPath: e.target.value }))}
            error={errors.redirectPath}
            data-testid="settings-path"
          />
        </div>
        <p className="field__desc">
          Redirect URI: <code>{redirectUri(Number(draft.redirectPort) || 0, draft.redirectPath)}</code>
          {portChanged && (
            <strong className="warn-text">
              {' '}
              Register the new URI for each client at Zoho, or browser sign-in will fail.
            </strong>
          )}
        </p>
        <h2 className="card__title">Appearance and demo</h2>
        <div className="form-grid">
          <Select<Theme>
            label="Theme"
            value={draft.theme}
            options={THEMES}
            onChange={(theme) => setDraft((d) => ({ ...d, theme }))}
            testId="settings-theme"
          />
          <LabelledCheckbox
            id="settings-demo"
            label="Demo mode (use the built-in Zoho simulator)"
            checked={draft.demoMode}
            onCheckedChange={(demoMode) => setDraft((d) => ({ ...d, demoMode }))}
            testId="settings-demo"
            className="check--field"
          />
        </div>
        <h2 className="card__title">Lock</h2>
        <div className="form-grid">
          <Select<string>
            label="Lock when not used"
            value={String(draft.autoLockSeconds)}
            options={autoLockOptions(draft.autoLockSeconds)}
            onChange={(value) => setDraft((d) => ({ ...d, autoLockSeconds: Number(value) }))}
            testId="settings-auto-lock"
          />
        </div>
        <p className="field__desc">
          The store also locks when the computer sleeps or its screen locks, and with <kbd>Ctrl</kbd>+
          <kbd>L</kbd> (<kbd>⌘</kbd>+<kbd>L</kbd> on a Mac).
        </p>
        <h2 className="card__title">Health checks</h2>
        <div className="form-grid">
          <Select<string>
            label="Check every token"
            value={String(draft.healthCheckHours)}
            options={HEALTH_CHECK_OPTIONS}
            onChange={(value) =>
              setDraft((d) => ({ ...d, healthCheckHours: Number(value) as Settings['healthCheckHours'] }))
            }
            testId="settings-health-check"
          />
        </div>
        <p className="field__desc">
          While TokenDesk is open and unlocked, it tests each token with a CRM call at this interval, a few at
          a time, and tells you (notification and badge) when one needs re-authorisation.
        </p>
        <InlineError error={update.error} title="Settings were not saved" />
        <div className="dialog__actions">
          <button
            type="submit"
            className="btn btn--primary"
            disabled={update.isPending}
            data-testid="settings-save"
          >
            {update.isPending ? <Spinner label="Saving…" /> : 'Save settings'}
          </button>
        </div>
      </form>
      <section className="card" aria-labelledby="security-title">
        <h2 id="security-title" className="card__title">
          Security
        </h2>
        {status.protector === 'passphrase' ? (
          <ChangePassphraseForm />
        ) : (
          <KeychainPassphraseSection alsoPassphrase={status.alsoPassphrase} />
        )}
      </section>
      <LogFolderSection />
      <BackupSection status={status} />
      <p className="muted small">TokenDesk {status.version}</p>
    </div>
  );
}
