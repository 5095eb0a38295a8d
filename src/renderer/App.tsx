import { useEffect, useRef, useState } from 'react';
import type { AppStatus } from '../shared/ipc/views';
import { useLiveUpdates, useSettings, useStatus } from './api/hooks';
import { BackupReminder } from './components/BackupReminder';
import { Badge } from './components/Badge';
import { DatabaseBusyNotice } from './components/DatabaseBusyNotice';
import { InlineError } from './components/InlineError';
import { PageLoadFailed, PageLoading } from './components/PageStatus';
import { Spinner } from './components/Spinner';
import { Tooltip } from './components/Tooltip';
import { AddAccountDialog } from './features/add-account/AddAccountDialog';
import { SettingsPage } from './features/settings/SettingsPage';
import { SourcesPage } from './features/sources/SourcesPage';
import { AuditWithTeam } from './features/team/AuditWithTeam';
import { TeamBanner } from './features/team/TeamBanner';
import { TeamPage } from './features/team/TeamPage';
import { useTeamLiveUpdates } from './features/team/team-queries';
import { TokensPage } from './features/tokens/TokensPage';
import { FirstRunScreen } from './features/unlock/FirstRunScreen';
import { UnlockScreen } from './features/unlock/UnlockScreen';
import { useLockNow, useLockWatch } from './features/unlock/use-lock';
import { isLockShortcut, isShortcutTarget, shortcutFor } from './lib/shortcuts';
import { useAppliedTheme } from './lib/theme';

type Page = 'tokens' | 'sources' | 'team' | 'audit' | 'settings';
const PAGES: ReadonlyArray<{ id: Page; label: string }> = [
  { id: 'tokens', label: 'Tokens' },
  { id: 'sources', label: 'Sources' },
  { id: 'team', label: 'Team' },
  { id: 'audit', label: 'Audit log' },
  { id: 'settings', label: 'Settings' },
];

export function App() {
  const status = useStatus();
  // Settings are readable while locked or before setup, so the chosen theme applies on every screen.
  const settings = useSettings();
  useAppliedTheme(settings.data?.theme);
  if (status.isPending) return <PageLoading label="Starting TokenDesk…" />;
  if (status.isError) {
    return (
      <PageLoadFailed
        error={status.error}
        title="TokenDesk could not start"
        onRetry={() => void status.refetch()}
      />
    );
  }
  if (status.data.store === 'uninitialised') return <FirstRunScreen status={status.data} />;
  if (status.data.store === 'locked') return <UnlockScreen status={status.data} />;
  return <Console status={status.data} />;
}

function Console({ status }: { status: AppStatus }) {
  const settings = useSettings();
  useLiveUpdates();
  useTeamLiveUpdates();
  useLockWatch();
  const { lock, locking } = useLockNow();
  const [page, setPage] = useState<Page>('tokens');
  const [adding, setAdding] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);

  // Global shortcuts: `/` focuses search, `n` opens Add account (ignored while typing or in a dialog);
  // Ctrl/Cmd+L locks from anywhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isLockShortcut(e)) {
        e.preventDefault();
        lock();
        return;
      }
      if (!isShortcutTarget(e.target, document)) return;
      const action = shortcutFor(e);
      if (action === 'search') {
        e.preventDefault();
        setPage('tokens');
        // The search box exists once the tokens page has rendered.
        requestAnimationFrame(() => searchRef.current?.focus());
      } else if (action === 'add') {
        e.preventDefault();
        setAdding(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [lock]);

  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="header">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          <span className="brand__name">TokenDesk</span>
          <span className="brand__sub">Zoho CRM tokens</span>
        </div>
        <nav className="nav" aria-label="Main">
          {PAGES.map((p) => (
            <button
              key={p.id}
              type="button"
              className="nav__link"
              aria-current={page === p.id ? 'page' : undefined}
              onClick={() => setPage(p.id)}
              data-testid={`nav-${p.id}`}
            >
              {p.label}
            </button>
          ))}
        </nav>
        <span className="header__spacer" />
        {/* Shown whenever Settings has demo mode on, so the two never disagree; it says whether it runs.
            After the spacer, so its coming, going or changing width never moves the navigation. */}
        {status.demo && (
          <span data-testid="demo-badge" data-running={status.demo.running}>
            <Badge
              tone={status.demo.running ? 'warn' : 'muted'}
              title={
                status.demo.running
                  ? 'Talking to the built-in Zoho simulator, not real Zoho'
                  : 'Demo mode is on in Settings, but the simulator is not running: sign-ins go to Zoho'
              }
            >
              {status.demo.running ? 'Demo mode' : 'Demo mode · simulator off'}
            </Badge>
          </span>
        )}
        <button
          type="button"
          className="lock"
          data-testid="lock-state"
          onClick={lock}
          disabled={locking}
          aria-keyshortcuts="Control+L Meta+L"
          title="Lock now (Ctrl+L): the decrypted tokens are dropped until you unlock again"
        >
          <span className="lock__dot" aria-hidden="true" />
          <span className="lock__state">
            Unlocked · {status.protector === 'keychain' ? 'OS keychain' : 'passphrase'}
          </span>
          <span className="lock__action">Lock now</span>
        </button>
        <Tooltip
          content={
            <dl className="shortcuts">
              <dt>
                <kbd>/</kbd>
              </dt>
              <dd>Search tokens</dd>
              <dt>
                <kbd>n</kbd>
              </dt>
              <dd>Add account</dd>
              <dt>
                <kbd>↑</kbd> <kbd>↓</kbd>
              </dt>
              <dd>Move between rows</dd>
              <dt>
                <kbd>Enter</kbd>
              </dt>
              <dd>Row actions</dd>
              <dt>
                <kbd>Space</kbd>
              </dt>
              <dd>Row details</dd>
              <dt>
                <kbd>Esc</kbd>
              </dt>
              <dd>Close details</dd>
              <dt>
                <kbd>F8</kbd>
              </dt>
              <dd>Go to notifications</dd>
              <dt>
                <kbd>Ctrl</kbd> <kbd>L</kbd>
              </dt>
              <dd>Lock now (⌘ L on a Mac)</dd>
            </dl>
          }
        >
          <button
            type="button"
            className="btn btn--icon"
            aria-label="Keyboard shortcuts"
            data-testid="shortcuts-help"
          >
            ?
          </button>
        </Tooltip>
      </header>
      <main id="main" className="main">
        <DatabaseBusyNotice state={status.database} />
        <TeamBanner />
        {page !== 'settings' && <BackupReminder onOpenSettings={() => setPage('settings')} />}
        {settings.isError && page !== 'settings' && (
          <InlineError error={settings.error} title="Settings could not be loaded" />
        )}
        {page === 'tokens' && (
          <TokensPage status={status} searchRef={searchRef} onAddAccount={() => setAdding(true)} />
        )}
        {page === 'audit' && <AuditWithTeam />}
        {page === 'team' && <TeamPage />}
        {page === 'sources' && <SourcesPage />}
        {page === 'settings' &&
          (settings.data ? (
            <SettingsPage settings={settings.data} status={status} />
          ) : settings.isError ? (
            <PageLoadFailed
              error={settings.error}
              title="Settings could not be loaded"
              onRetry={() => void settings.refetch()}
            />
          ) : (
            <Spinner label="Loading settings…" />
          ))}
      </main>
      {adding && settings.data && (
        <AddAccountDialog status={status} settings={settings.data} onClose={() => setAdding(false)} />
      )}
    </div>
  );
}
