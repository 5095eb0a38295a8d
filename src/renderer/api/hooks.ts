import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { IpcEventPayload, IpcMethod, IpcRequest, IpcResponse } from '../../shared/ipc/contract';
import type { AuditFilter, SignInProgress } from '../../shared/ipc/views';
import { call, listTokens, subscribe } from './client';

export const queryKeys = {
  status: ['status'] as const,
  settings: ['settings'] as const,
  tokens: ['tokens'] as const,
  audit: (filter: AuditFilter) => ['audit', filter] as const,
  auditAll: ['audit'] as const,
};

export function useStatus() {
  return useQuery({ queryKey: queryKeys.status, queryFn: () => call('getStatus', {}) });
}

export function useSettings(enabled = true) {
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => call('getSettings', {}), enabled });
}

/**
 * Main pushes `tokens.changed` after every change (including ones made in another window or by a
 * background refresh), so lists refetch on that push instead of polling. Mounted once by the console so
 * the audit log stays current too.
 */
export function useLiveUpdates(): void {
  const client = useQueryClient();
  useEffect(
    () =>
      subscribe('tokens.changed', () => {
        void client.invalidateQueries({ queryKey: queryKeys.tokens });
        void client.invalidateQueries({ queryKey: queryKeys.auditAll });
      }),
    [client],
  );
}

export function useTokens(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.tokens,
    queryFn: listTokens,
    enabled,
    // Status is computed in main at list time; a slow poll moves "valid" to "expiring" to "expired" even
    // when nothing else changes (countdowns tick locally every second regardless).
    refetchInterval: 30_000,
  });
}

export function useAudit(filter: AuditFilter) {
  return useQuery({
    queryKey: queryKeys.audit(filter),
    queryFn: () => call('listAudit', filter),
    placeholderData: (previous) => previous,
  });
}

/** What to refetch after a mutation succeeds (main also pushes `tokens.changed`; this is for snappiness). */
const INVALIDATES: Partial<Record<IpcMethod, ReadonlyArray<readonly string[]>>> = {
  setupStore: [queryKeys.status],
  unlockStore: [queryKeys.status, queryKeys.tokens],
  startDemo: [queryKeys.status, queryKeys.settings],
  updateSettings: [queryKeys.settings, queryKeys.status],
  refreshToken: [queryKeys.tokens],
  testToken: [queryKeys.tokens],
  deleteToken: [queryKeys.tokens],
  clearAllTokens: [queryKeys.tokens],
  reauthorise: [queryKeys.tokens],
  signInWithBrowser: [queryKeys.tokens],
  signInWithGrantCode: [queryKeys.tokens],
  importRefreshToken: [queryKeys.tokens],
};

function invalidateAfter(client: QueryClient, method: IpcMethod): void {
  for (const key of INVALIDATES[method] ?? []) void client.invalidateQueries({ queryKey: key });
  void client.invalidateQueries({ queryKey: queryKeys.auditAll });
}

/** A mutation for one IPC method; errors arrive as `IpcCallError`. */
export function useIpcMutation<M extends IpcMethod>(method: M) {
  const client = useQueryClient();
  return useMutation<IpcResponse<M>, Error, IpcRequest<M>>({
    mutationFn: (request) => call(method, request),
    onSuccess: (value) => {
      if (method === 'setupStore' || method === 'unlockStore' || method === 'startDemo') {
        client.setQueryData(queryKeys.status, value);
      }
      if (method === 'updateSettings') client.setQueryData(queryKeys.settings, value);
      invalidateAfter(client, method);
    },
  });
}

/**
 * The latest `signin.progress` for the flow started with `begin(flowId)`. The subscription exists before
 * the flow starts and `begin` switches flows synchronously, so an early event (the one carrying the
 * consent URL) cannot slip past between starting the call and the next render.
 */
export function useSignInProgress(): { progress: SignInProgress | null; begin: (flowId: string) => void } {
  const flow = useRef<string | null>(null);
  const [progress, setProgress] = useState<SignInProgress | null>(null);
  useEffect(
    () =>
      subscribe('signin.progress', (p) => {
        if (p.flowId === flow.current) setProgress(p);
      }),
    [],
  );
  const begin = useCallback((flowId: string) => {
    flow.current = flowId;
    setProgress(null);
  }, []);
  return { progress, begin };
}

/**
 * Progress of "Clear all", subscribed for as long as the dialog is mounted (so the first event is not
 * missed), reported only while `active`.
 */
export function useClearProgress(active: boolean): IpcEventPayload<'tokens.clearProgress'> | null {
  const [progress, setProgress] = useState<IpcEventPayload<'tokens.clearProgress'> | null>(null);
  useEffect(() => subscribe('tokens.clearProgress', setProgress), []);
  return active ? progress : null;
}
