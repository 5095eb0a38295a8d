import { useState } from 'react';
import { AuditPage } from '../audit/AuditPage';
import { TeamAudit } from './TeamAudit';
import { useTeamState } from './team-queries';

/**
 * The Audit page: this computer's log, and, while a team store is open, a switch to the team's own log
 * (every member and server, each row naming who did it).
 */
export function AuditWithTeam() {
  const state = useTeamState();
  const [which, setWhich] = useState<'local' | 'team'>('local');
  const teamOpen = state.data?.team?.access != null;
  if (!teamOpen) return <AuditPage />;
  return (
    <div className="stacked audit-with-team">
      <fieldset className="row team-fieldset">
        <legend className="sr-only">Which audit log</legend>
        <button
          type="button"
          className="btn btn--small"
          aria-pressed={which === 'local'}
          onClick={() => setWhich('local')}
        >
          This computer
        </button>
        <button
          type="button"
          className="btn btn--small"
          aria-pressed={which === 'team'}
          onClick={() => setWhich('team')}
          data-testid="audit-show-team"
        >
          Team store
        </button>
      </fieldset>
      {which === 'local' ? <AuditPage /> : <TeamAudit />}
    </div>
  );
}
