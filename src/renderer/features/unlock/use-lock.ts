import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppStatus } from '../../../shared/ipc/views';
import { call, subscribe, toUserError } from '../../api/client';
import { queryKeys } from '../../api/hooks';
import { useToast } from '../../components/Toasts';

/** How often at most the window tells main that the person is active (the auto-lock is minutes long). */
export const ACTIVITY_PING_MS = 30_000;

/**
 * Locked: the window forgets everything it read from the store (token rows, audit, pending revokes,
 * sources, backups), keeping only the status and the settings, which are readable while locked.
 */
function forgetStoreData(client: QueryClient): void {
  client.removeQueries({
    predicate: (query) =>
      query.queryKey[0] !== queryKeys.status[0] && query.queryKey[0] !== queryKeys.settings[0],
  });
}

/** "Lock now" for the status chip and Ctrl/Cmd+L. */
export function useLockNow(): { lock: () => void; locking: boolean } {
  const client = useQueryClient();
  const toast = useToast();
  const [locking, setLocking] = useState(false);
  const busy = useRef(false);
  const lock = useCallback(() => {
    if (busy.current) return;
    busy.current = true;
    setLocking(true);
    call('lockStore', {}).then(
      (status: AppStatus) => {
        forgetStoreData(client);
        client.setQueryData(queryKeys.status, status);
      },
      (failure: unknown) => {
        busy.current = false;
        setLocking(false);
        const error = toUserError(failure);
        toast({
          tone: 'error',
          title: 'TokenDesk could not lock',
          description: `${error.message} ${error.hint ?? ''}`,
        });
      },
    );
  }, [client, toast]);
  return { lock, locking };
}

/**
 * While the console is shown: a lock made elsewhere (idle time, sleep, another window) switches to the
 * unlock screen, and the person's keys, clicks and scrolling restart main's auto-lock countdown.
 */
export function useLockWatch(): void {
  const client = useQueryClient();
  useEffect(() => {
    const unsubscribe = subscribe('store.locked', () => {
      forgetStoreData(client);
      void client.invalidateQueries({ queryKey: queryKeys.status });
    });
    let lastPing = 0;
    const onActivity = () => {
      const now = Date.now();
      if (now - lastPing < ACTIVITY_PING_MS) return;
      lastPing = now;
      call('noteActivity', {}).catch(() => {});
    };
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const event of events)
      document.addEventListener(event, onActivity, { capture: true, passive: true });
    return () => {
      unsubscribe();
      for (const event of events) document.removeEventListener(event, onActivity, { capture: true });
    };
  }, [client]);
}
