import { type QueryObserverResult, useQueries } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { TokenView } from '../../../shared/ipc/views';
import { sourceTokensQuery, useSources, useTokens } from '../../api/hooks';
import type { ListedToken } from '../../api/listed-token';
import { TEAM_READ_ONLY_REASON, useTeamState } from '../team/team-queries';
import { LOCAL_SOURCE_ID, LOCAL_SOURCE_NAME } from './token-sources';

/** How one external source's list is doing, for the line above the table. */
export interface SourceLoad {
  readonly id: string;
  readonly name: string;
  readonly state: 'loading' | 'ready' | 'failed';
  readonly count: number;
  readonly error: Error | null;
  readonly retry: () => void;
  /** Why this member may not change the source (a read-only team member); null: may. */
  readonly readOnlyReason: string | null;
}

/** A source whose tokens the table lists beside this computer's. */
interface ListedSource {
  readonly id: string;
  readonly displayName: string;
  readonly readOnlyReason: string | null;
}

interface SourceResult {
  readonly data: TokenView[] | undefined;
  readonly isPending: boolean;
  readonly error: Error | null;
  readonly refetch: () => void;
}

const EMPTY: readonly TokenView[] = [];
const NO_SOURCES: readonly ListedSource[] = [];

// Module level, so TanStack keeps the combined array while no source's result changed.
function combine(results: QueryObserverResult<TokenView[], Error>[]): SourceResult[] {
  return results.map((r) => ({
    data: r.data,
    isPending: r.isPending,
    error: r.error,
    refetch: () => void r.refetch(),
  }));
}

/**
 * The tokens of every source for the main table (docs/sources.md "In the token table"): the local store's
 * list as before (its own query, never waiting for another source), and each configured source's list
 * fetched beside it. A source that is slow or unreachable only adds its rows later or says why it failed;
 * it never holds back the local rows.
 */
export function useAllTokens() {
  const local = useTokens(true);
  const sources = useSources(local.isSuccess);
  // The team store, once this computer is set up with one, is one more source (docs/team-store.md). One
  // that could not be opened stays listed: its list fails with the reason, shown above the table with Retry.
  const team = useTeamState(local.isSuccess).data?.team ?? null;
  const teamId = team?.sourceId ?? null;
  const teamName = team?.displayName ?? '';
  const teamReadOnly = team?.access === 'read-only';
  const configured = useMemo((): readonly ListedSource[] => {
    const own = (sources.data ?? NO_SOURCES).map((s) => ({ ...s, readOnlyReason: null }));
    if (teamId === null) return own.length === 0 ? NO_SOURCES : own;
    const readOnlyReason = teamReadOnly ? TEAM_READ_ONLY_REASON : null;
    return [...own, { id: teamId, displayName: teamName, readOnlyReason }];
  }, [sources.data, teamId, teamName, teamReadOnly]);
  const lists = useQueries({
    queries: configured.map((s) => sourceTokensQuery(s.id)),
    combine,
  });

  const tokens = useMemo(() => {
    const own = local.data ?? EMPTY;
    if (lists.every((l) => l.data === undefined || l.data.length === 0)) return own;
    return [
      ...own,
      ...lists.flatMap((l, i) => {
        const readOnlyReason = configured[i]?.readOnlyReason ?? null;
        // A read-only member's rows carry the reason, so each action they may not take says why it is off.
        return readOnlyReason === null
          ? (l.data ?? [])
          : (l.data ?? []).map((t): ListedToken => ({ ...t, readOnlyReason }));
      }),
    ];
  }, [local.data, lists, configured]);

  const loads: SourceLoad[] = useMemo(
    () =>
      configured.map((s, i) => {
        const l = lists[i];
        return {
          id: s.id,
          name: s.displayName,
          state: l?.error ? 'failed' : l?.isPending !== false ? 'loading' : 'ready',
          count: l?.data?.length ?? 0,
          error: l?.error ?? null,
          retry: () => l?.refetch(),
          readOnlyReason: s.readOnlyReason,
        };
      }),
    [configured, lists],
  );

  const names = useMemo(() => new Map(configured.map((s) => [s.id, s.displayName])), [configured]);
  const sourceName = useCallback(
    (id: string) => (id === LOCAL_SOURCE_ID ? LOCAL_SOURCE_NAME : (names.get(id) ?? id)),
    [names],
  );

  return {
    /** The local list's query: its loading and error states decide the page's own. */
    local,
    tokens,
    loads,
    /** The configured sources could not be listed (their rows are then missing, and the page says so). */
    sourcesError: sources.error,
    retrySources: () => void sources.refetch(),
    /** Null while only the local store is configured: the Source column and filter stay out of the way. */
    sourceName: configured.length > 0 ? sourceName : undefined,
  };
}
