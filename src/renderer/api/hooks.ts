import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { IpcEventPayload, IpcMethod, IpcRequest, IpcResponse } from '../../shared/ipc/contract';
import type { AuditFilter, SignInProgress } from '../../shared/ipc/views';
import { call, subscribe } from './client';

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
 * The token list. Main pushes `tokens.changed` after every change (including ones made in another window),
 * so the list refetches on that push instead of polling.
 */
export function useTokens(enabled: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    return subscribe('tokens.changed', () => {
      void client.invalidateQueries({ queryKey: queryKeys.tokens });
      void client.invalidateQueries({ queryKey: queryKeys.auditAll });
    });
  }, [client, enabled]);
  return useQuery({
    queryKey: queryKeys.tokens,
    queryFn: () => call('listTokens', {}),
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

/** The latest `signin.progress` for one flow (the browser flow and re-authorise share it). */
export function useSignInProgress(flowId: string | null): SignInProgress | null {
  const [progress, setProgress] = useState<SignInProgress | null>(null);
  useEffect(() => {
    setProgress(null);
    if (!flowId) return;
    return subscribe('signin.progress', (p) => {
      if (p.flowId === flowId) setProgress(p);
    });
  }, [flowId]);
  return progress;
}

/** Progress of a running "Clear all", or null when none has been reported. */
export function useClearProgress(active: boolean): IpcEventPayload<'tokens.clearProgress'> | null {
  const [progress, setProgress] = useState<IpcEventPayload<'tokens.clearProgress'> | null>(null);
  useEffect(() => {
    if (!active) {
      setProgress(null);
      return;
    }
    return subscribe('tokens.clearProgress', setProgress);
  }, [active]);
  return progress;
}
