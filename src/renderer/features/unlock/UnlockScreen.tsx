import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { AppStatus } from '../../../shared/ipc/views';
import { toUserError } from '../../api/client';
import { queryKeys, useIpcMutation } from '../../api/hooks';
import { PassphraseField } from '../../components/PassphraseField';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toasts';
import { FirstRunScreen } from './FirstRunScreen';
import { secondsUntil } from './wait';

/**
 * Locked store: ask for the passphrase. A wrong one says so and keeps focus (and the text selected) in the
 * field. After several wrong ones main makes the next try wait; the screen counts it down. A store that
 * was set up here but is gone or empty is said so in plain words, and a new one is made only if asked.
 */
export function UnlockScreen({ status }: { status: AppStatus }) {
  const [startingOver, setStartingOver] = useState(false);
  // A keychain store that also opens with a passphrase offers it when the keychain will not do.
  const [withPassphrase, setWithPassphrase] = useState(false);
  if (status.missingStore) {
    return startingOver ? (
      <FirstRunScreen
        status={status}
        replacing={status.missingStore}
        onCancel={() => setStartingOver(false)}
      />
    ) : (
      <MissingStore message={status.missingStore.message} onStartOver={() => setStartingOver(true)} />
    );
  }
  if (status.protector === 'keychain' && !(status.alsoPassphrase && withPassphrase)) {
    return <KeychainUnlock status={status} onUsePassphrase={() => setWithPassphrase(true)} />;
  }
  return <PassphraseUnlock retryAt={status.unlockRetryAt} lockedBy={status.lockedBy ?? null} />;
}

/** Why the store is locked, when it was locked in this run (shown above the unlock form). */
function LockedBy({ reason }: { reason: AppStatus['lockedBy'] }) {
  if (!reason) return null;
  const words = {
    manual: 'You locked TokenDesk.',
    idle: 'TokenDesk locked itself after a while without use.',
    system: 'TokenDesk locked itself when the computer went to sleep or its screen was locked.',
  }[reason];
  return (
    <p className="muted" data-testid="locked-by">
      {words}
    </p>
  );
}

/**
 * A keychain-protected store after a lock: it opens only when the person asks, never by itself, or the
 * lock would mean nothing to someone at an unattended computer.
 */
function KeychainUnlock({ status, onUsePassphrase }: { status: AppStatus; onUsePassphrase: () => void }) {
  const unlock = useIpcMutation('unlockWithKeychain');
  const error = unlock.error ? toUserError(unlock.error) : null;
  return (
    <main className="gate" data-testid="unlock">
      <div className="gate__card">
        <h1 className="gate__title">TokenDesk is locked</h1>
        <LockedBy reason={status.lockedBy} />
        <p>The stored tokens are protected by the OS keychain.</p>
        {status.keychain.reason && !status.lockedBy && <p className="muted">{status.keychain.reason}</p>}
        {error && (
          <p className="field__error" role="alert" data-testid="unlock-error">
            {error.message} {error.hint}
          </p>
        )}
        <button
          type="button"
          className="btn btn--primary btn--block"
          // biome-ignore lint/a11y/noAutofocus: the only thing to do on this screen is to unlock.
          autoFocus
          disabled={unlock.isPending}
          onClick={() => unlock.mutate({})}
          data-testid="unlock-keychain"
        >
          {unlock.isPending ? <Spinner label="Unlocking…" /> : 'Unlock with the keychain'}
        </button>
        {status.alsoPassphrase && (
          <button
            type="button"
            className="btn btn--block"
            onClick={onUsePassphrase}
            data-testid="unlock-use-passphrase"
          >
            Use the passphrase instead
          </button>
        )}
      </div>
    </main>
  );
}

function MissingStore({ message, onStartOver }: { message: string; onStartOver: () => void }) {
  const client = useQueryClient();
  const [checking, setChecking] = useState(false);
  return (
    <main className="gate" data-testid="store-missing">
      <div className="gate__card">
        <h1 className="gate__title">Your token store is missing</h1>
        <p role="alert" data-testid="store-missing-message">
          {message}
        </p>
        <p>
          If you have a copy of the store (a backup of TokenDesk’s data folder), put it back and choose{' '}
          <strong>Check again</strong>. Otherwise you can start a new, empty store: the tokens of the missing
          one are not in it.
        </p>
        <button
          type="button"
          className="btn btn--primary btn--block"
          disabled={checking}
          onClick={() => {
            setChecking(true);
            void client.invalidateQueries({ queryKey: queryKeys.status }).finally(() => setChecking(false));
          }}
        >
          {checking ? <Spinner label="Checking…" /> : 'Check again'}
        </button>
        <button type="button" className="btn btn--block" onClick={onStartOver} data-testid="start-over">
          Start a new, empty store…
        </button>
      </div>
    </main>
  );
}

function PassphraseUnlock({
  retryAt,
  lockedBy,
}: {
  retryAt: number | null;
  lockedBy: AppStatus['lockedBy'];
}) {
  const unlock = useIpcMutation('unlockStore');
  const client = useQueryClient();
  const toast = useToast();
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const waitSeconds = useCountdown(retryAt);
  const error = unlock.error ? toUserError(unlock.error) : null;

  // Keyed on the mutation's own error object, which changes once per failed attempt. `error` above is
  // rebuilt every render, so keying on it re-selected the text after each keystroke and the next key
  // replaced what had just been typed.
  useEffect(() => {
    if (unlock.error) {
      input.current?.focus();
      input.current?.select();
      // A wrong passphrase may have started a wait: the status says until when.
      void client.invalidateQueries({ queryKey: queryKeys.status });
    }
  }, [unlock.error, client]);

  const submit = () => {
    if (value === '' || waitSeconds > 0) return;
    // The console replaces this screen as soon as the store is open; the toast outlives it.
    unlock.mutateAsync({ passphrase: value }).then(
      (result) => {
        if (result.warning) {
          toast({ title: 'Unlocked, with a problem', description: result.warning, tone: 'error' });
        }
      },
      () => {},
    );
  };

  return (
    <main className="gate" data-testid="unlock">
      <form
        className="gate__card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h1 className="gate__title">TokenDesk is locked</h1>
        <LockedBy reason={lockedBy} />
        <p>Enter your master passphrase to decrypt the stored tokens.</p>
        <PassphraseField
          label="Passphrase"
          purpose="current"
          ref={input}
          // The only thing to do on this screen is type the passphrase.
          autoFocus
          value={value}
          onChange={setValue}
          error={error ? `${error.message} ${error.hint ?? ''}`.trim() : undefined}
          announceError
          errorTestId="unlock-error"
          disabled={unlock.isPending}
          testId="unlock-passphrase"
        />
        {waitSeconds > 0 && (
          <p className="field__desc" aria-live="polite" data-testid="unlock-wait">
            Too many wrong passphrases. You can try again in {waitSeconds} s.
          </p>
        )}
        <button
          type="submit"
          className="btn btn--primary btn--block"
          disabled={unlock.isPending || value === '' || waitSeconds > 0}
        >
          {unlock.isPending ? <Spinner label="Unlocking…" /> : 'Unlock'}
        </button>
      </form>
    </main>
  );
}

/** Whole seconds left until `until` (epoch ms), ticking down once a second; 0 when there is no wait. */
function useCountdown(until: number | null): number {
  const [seconds, setSeconds] = useState(() => secondsUntil(until, Date.now()));
  useEffect(() => {
    setSeconds(secondsUntil(until, Date.now()));
    if (until === null) return;
    const timer = window.setInterval(() => {
      const left = secondsUntil(until, Date.now());
      setSeconds(left);
      if (left === 0) window.clearInterval(timer);
    }, 250);
    return () => window.clearInterval(timer);
  }, [until]);
  return seconds;
}
