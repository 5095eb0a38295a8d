import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { IpcEventPayload, IpcMethod, IpcRequest, IpcResponse } from '../../shared/ipc/contract';
import type { AppStatus, AuditFilter, SignInProgress, TokenView } from '../../shared/ipc/views';
import { call, listSourceTokens, listTokens, subscribe } from './client';
import { TokenListSync } from './token-list-sync';

export const queryKeys = {
  status: ['status'] as const,
  settings: ['settings'] as const,
  tokens: ['tokens'] as const,
  audit: (filter: AuditFilter) => ['audit', filter] as const,
  auditAll: ['audit'] as const,
  pendingRevokes: ['pendingRevokes'] as const,
  backup: ['backup'] as const,
  /** The configured token sources with their health (docs/sources.md). */
  sources: ['sources'] as const,
  /** Their names only (under `sources`, so invalidating the sources refreshes both). */
  sourceNames: ['sources', 'names'] as const,
  sourceTokensAll: ['source-tokens'] as const,
  sourceTokens: (sourceId: string) => ['source-tokens', sourceId] as const,
};

/** One TokenListSync per QueryClient (the app has one; tests make their own). */
const syncs = new WeakMap<QueryClient, TokenListSync>();

export function tokenListSync(client: QueryClient): TokenListSync {
  let sync = syncs.get(client);
  if (!sync) {
    sync = new TokenListSync(listTokens, () => {
      // Nothing is in flight here (TokenListSync checked), so there is nothing to cancel.
      void client.invalidateQueries({ queryKey: queryKeys.tokens }, { cancelRefetch: false });
    });
    syncs.set(client, sync);
  }
  return sync;
}

function tokensQueryFn(client: QueryClient): () => Promise<TokenView[]> {
  return () => tokenListSync(client).fetch();
}

/**
 * Starts fetching the list when nothing has it yet and the store is (or may be) unlocked. The list does
 * not depend on the status, so at start it is asked for together with the status instead of after it:
 * the first rows then wait for the slower of the two calls, not for both in turn. If the store turns out
 * to be locked, that call fails with LOCKED and is forgotten; the list is fetched again after the unlock.
 */
function prefetchTokens(client: QueryClient): void {
  const known = client.getQueryData<AppStatus>(queryKeys.status);
  if (known !== undefined && known.store !== 'unlocked') return;
  if (client.getQueryData(queryKeys.tokens) !== undefined) return;
  // A microtask: the status and settings requests (started in the same render) go out first, so main
  // answers those two small ones before it builds the list.
  queueMicrotask(() => {
    if (client.getQueryData(queryKeys.tokens) !== undefined) return;
    void client.prefetchQuery({ queryKey: queryKeys.tokens, queryFn: tokensQueryFn(client) });
  });
}

export function useStatus() {
  const client = useQueryClient();
  return useQuery({
    queryKey: queryKeys.status,
    queryFn: () => {
      const status = call('getStatus', {});
      prefetchTokens(client);
      return status;
    },
  });
}

export function useSettings(enabled = true) {
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => call('getSettings', {}), enabled });
}

/**
 * Main pushes `tokens.changed` after every change (including ones made in another window or by a
 * background refresh), so lists refetch on that push instead of polling. Mounted once by the console so
 * the audit log stays current too. A burst of pushes costs one list fetch (TokenListSync) and one audit
 * refetch.
 */
export function useLiveUpdates(): void {
  const client = useQueryClient();
  useEffect(() => {
    let auditTimer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribe('tokens.changed', ({ reason }) => {
      tokenListSync(client).changed();
      // A source's rows change with its own actions and when its integration writes (a FileStore is
      // watched); only the sources shown are fetched again.
      void client.invalidateQueries({ queryKey: queryKeys.sourceTokensAll });
      if (reason === 'sources') void client.invalidateQueries({ queryKey: queryKeys.sources });
      if (auditTimer !== undefined) return;
      auditTimer = setTimeout(() => {
        auditTimer = undefined;
        void client.invalidateQueries({ queryKey: queryKeys.auditAll });
        void client.invalidateQueries({ queryKey: queryKeys.pendingRevokes });
      }, 0);
    });
    // Busy or free, and writes waiting: kept in the status the console already holds.
    const unsubscribeDatabase = subscribe('database.state', (database) => {
      client.setQueryData<AppStatus>(queryKeys.status, (status) =>
        status ? { ...status, database } : status,
      );
    });
    return () => {
      unsubscribe();
      unsubscribeDatabase();
      clearTimeout(auditTimer);
    };
  }, [client]);
}

export function useTokens(enabled: boolean) {
  const client = useQueryClient();
  return useQuery({
    queryKey: queryKeys.tokens,
    queryFn: tokensQueryFn(client),
    enabled,
    // Status is computed in main at list time; a slow poll moves "valid" to "expiring" to "expired" even
    // when nothing else changes (countdowns tick locally every second regardless).
    refetchInterval: 30_000,
  });
}

/**
 * The configured token sources by name, without their health: main opens and reads none of them (the
 * token table reads each source's list itself, so a refresh reads each source once; the Sources page
 * asks for the health).
 */
export function useSources(enabled = true) {
  return useQuery({
    queryKey: queryKeys.sourceNames,
    queryFn: () => call('listSources', { health: false }),
    enabled,
  });
}

/** One source's tokens, marked with the source (listSourceTokens); polled like the local list. */
export function sourceTokensQuery(sourceId: string) {
  return {
    queryKey: queryKeys.sourceTokens(sourceId),
    queryFn: () => listSourceTokens(sourceId),
    refetchInterval: 30_000,
  };
}

export function useAudit(filter: AuditFilter) {
  return useQuery({
    queryKey: queryKeys.audit(filter),
    queryFn: () => call('listAudit', filter),
    placeholderData: (previous) => previous,
  });
}

/** When the last backup was made and whether to remind (Settings, and the console's reminder). */
export function useBackupStatus() {
  return useQuery({ queryKey: queryKeys.backup, queryFn: () => call('getBackupStatus', {}) });
}

/** The latest `backup.progress` of a backup or restore, subscribed while the component is mounted. */
export function useBackupProgress(): IpcEventPayload<'backup.progress'> | null {
  const [progress, setProgress] = useState<IpcEventPayload<'backup.progress'> | null>(null);
  useEffect(() => subscribe('backup.progress', setProgress), []);
  return progress;
}

/** What to refetch after a mutation succeeds (the token list is handled apart: TOKEN_CHANGES). */
const INVALIDATES: Partial<Record<IpcMethod, ReadonlyArray<readonly string[]>>> = {
  // setupStore, unlockStore and startDemo answer the new status itself (set below, not refetched).
  startDemo: [queryKeys.settings],
  updateSettings: [queryKeys.settings, queryKeys.status],
  createBackup: [queryKeys.backup],
  restoreBackup: [queryKeys.backup, queryKeys.status, queryKeys.pendingRevokes],
  addStorePassphrase: [queryKeys.status],
  removeStorePassphrase: [queryKeys.status],
};

/**
 * Mutations that change the token list. For all but `testToken`, main pushes `tokens.changed` before it
 * answers, so when a push arrived while the call ran, that push's refetch covers it; otherwise (no
 * console subscribed yet, or a transport that reorders) the mutation asks for one itself. A test call
 * writes the last test result without a push.
 */
const TOKEN_CHANGES: Partial<Record<IpcMethod, 'pushes' | 'silent'>> = {
  setupStore: 'pushes',
  unlockStore: 'pushes',
  startDemo: 'pushes',
  refreshToken: 'pushes',
  testToken: 'silent',
  deleteToken: 'pushes',
  clearAllTokens: 'pushes',
  checkAllTokens: 'pushes',
  runTokenJob: 'pushes',
  reauthorise: 'pushes',
  signInWithBrowser: 'pushes',
  signInWithGrantCode: 'pushes',
  importRefreshToken: 'pushes',
  retryPendingRevoke: 'pushes',
  restoreBackup: 'pushes',
};

const SETS_STATUS: ReadonlySet<IpcMethod> = new Set([
  'setupStore',
  'unlockStore',
  'unlockWithKeychain',
  'startDemo',
]);

function invalidateAfter(
  client: QueryClient,
  method: IpcMethod,
  changesAtSend: number,
  sourceId: string | undefined,
): void {
  for (const key of INVALIDATES[method] ?? []) void client.invalidateQueries({ queryKey: key });
  // An action on a source's token (a test call writes its result without a push) shows in its list.
  if (sourceId !== undefined) void client.invalidateQueries({ queryKey: queryKeys.sourceTokens(sourceId) });
  void client.invalidateQueries({ queryKey: queryKeys.auditAll });
  // Deletes, clears, sign-ins and retries can each add or settle a pending revoke.
  void client.invalidateQueries({ queryKey: queryKeys.pendingRevokes });
  const tokens = TOKEN_CHANGES[method];
  const sync = tokenListSync(client);
  if (tokens === 'silent' || (tokens === 'pushes' && sync.changeCount === changesAtSend)) sync.changed();
}

function sourceIdOf(request: unknown): string | undefined {
  const sourceId = (request as { sourceId?: unknown } | null)?.sourceId;
  return typeof sourceId === 'string' ? sourceId : undefined;
}

/**
 * A mutation for one IPC method; errors arrive as `IpcCallError`. A mutation's variables are what the
 * person typed (passphrases, a client secret, a pasted refresh token), so the cache drops a mutation as
 * soon as its component is gone (`gcTime: 0`) instead of keeping it, variables and all, for 5 minutes.
 */
export function useIpcMutation<M extends IpcMethod>(method: M) {
  const client = useQueryClient();
  return useMutation<IpcResponse<M>, Error, IpcRequest<M>, { changesAtSend: number }>({
    gcTime: 0,
    onMutate: () => ({ changesAtSend: tokenListSync(client).changeCount }),
    mutationFn: (request) => call(method, request),
    onSuccess: (value, request, context) => {
      if (SETS_STATUS.has(method)) {
        client.setQueryData(queryKeys.status, value);
        // Unlocked now: the list starts loading before the console has even rendered.
        prefetchTokens(client);
      }
      if (method === 'updateSettings') client.setQueryData(queryKeys.settings, value);
      invalidateAfter(client, method, context?.changesAtSend ?? -1, sourceIdOf(request));
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

/**
 * The latest `tokens.jobProgress` (Check all, scheduled or not, and the bulk actions; one job runs at a
 * time), subscribed while the component is mounted.
 */
export function useTokenJobProgress(): IpcEventPayload<'tokens.jobProgress'> | null {
  const [progress, setProgress] = useState<IpcEventPayload<'tokens.jobProgress'> | null>(null);
  useEffect(() => subscribe('tokens.jobProgress', setProgress), []);
  return progress;
}
