import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { TeamState } from '../../../shared/ipc/team';
import { call, subscribe } from '../../api/client';

/** Everything read from the team store sits under ['team'], so one invalidation refreshes all of it. */
export const teamKeys = {
  all: ['team'] as const,
  state: ['team', 'state'] as const,
  members: ['team', 'members'] as const,
  audit: (text: string) => ['team', 'audit', text] as const,
};

/** What a read-only member is told wherever an action they may not take is turned off. */
export const TEAM_READ_ONLY_REASON =
  'Your membership of this team store is read-only: you can list, test and refresh its tokens, not copy them (to the clipboard or into another store), add, revoke, delete or re-authorise them, nor change members.';

export function useTeamState(enabled = true) {
  return useQuery({ queryKey: teamKeys.state, queryFn: () => call('getTeam', {}), enabled });
}

/**
 * While the console is shown: a change any member commits (pushed by main from LISTEN/NOTIFY as
 * `team.changed`) refreshes every team query at once, and `team.status` sets or clears the
 * "team store unreachable, retrying" banner without a round trip.
 */
export function useTeamLiveUpdates(): void {
  const client = useQueryClient();
  useEffect(() => {
    const offChanged = subscribe('team.changed', () => {
      void client.invalidateQueries({ queryKey: teamKeys.all });
    });
    const offStatus = subscribe('team.status', ({ message }) => {
      client.setQueryData<TeamState>(teamKeys.state, (state) =>
        state?.team ? { ...state, team: { ...state.team, statusMessage: message } } : state,
      );
      // Back online: notifications sent while the feed was down are lost, so read everything again.
      if (message === null) void client.invalidateQueries({ queryKey: teamKeys.all });
    });
    return () => {
      offChanged();
      offStatus();
    };
  }, [client]);
}
