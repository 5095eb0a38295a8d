import { useTeamState } from './team-queries';

/** Above every page while the team store's connection is down (the app keeps retrying by itself). */
export function TeamBanner() {
  const state = useTeamState();
  const message = state.data?.team?.statusMessage;
  if (!message) return null;
  return (
    <div className="db-notice" role="status" data-testid="team-unreachable">
      <strong className="db-notice__title">Team store unreachable, retrying</strong>
      <p className="db-notice__detail">
        {state.data?.team?.displayName} does not answer. TokenDesk reconnects by itself and reloads the team’s
        tokens when it is back; a change you make meanwhile is either saved or reported as not saved.
      </p>
    </div>
  );
}
