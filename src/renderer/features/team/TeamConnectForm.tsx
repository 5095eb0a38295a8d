import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TeamConnectionCheck, TeamState } from '../../../shared/ipc/team';
import { useIpcMutation } from '../../api/hooks';
import { Field } from '../../components/Field';
import { InlineError } from '../../components/InlineError';
import { ServerConnectionFields } from '../sources/ServerConnectionFields';
import { draftToTeamSettings, EMPTY_TEAM_DRAFT, type TeamDraft } from './team-form';
import { teamKeys } from './team-queries';

/**
 * Where the team store is: PostgreSQL connection settings, "Test connection" in plain words, then
 * "Create a team store" (you become its first member) or "Join" (a member has added your key).
 * The password goes to main once and is kept sealed in this computer's encrypted store.
 */
export function TeamConnectForm({ memberName }: { memberName: string }) {
  const [draft, setDraft] = useState<TeamDraft>(EMPTY_TEAM_DRAFT);
  const [name, setName] = useState(memberName);
  const [checked, setChecked] = useState<TeamConnectionCheck | null>(null);
  const test = useIpcMutation('testTeamConnection');
  const create = useIpcMutation('createTeamStore');
  const join = useIpcMutation('joinTeamStore');
  const client = useQueryClient();
  const opened = { onSuccess: (state: TeamState) => client.setQueryData(teamKeys.state, state) };
  const set = (patch: Partial<TeamDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setChecked(null);
  };
  const settings = () => draftToTeamSettings(draft);
  const busy = test.isPending || create.isPending || join.isPending;
  const error = create.error ?? join.error ?? test.error;

  return (
    <form
      className="card stacked"
      aria-label="Team store connection"
      onSubmit={(e) => {
        e.preventDefault();
        join.mutate({ settings: settings(), memberName: name }, opened);
      }}
    >
      <h2 className="card__title">Connect to a team store</h2>
      <p className="muted">
        The PostgreSQL database your team keeps its shared tokens in. Members connect as the database role
        your administrator made for TokenDesk (usually <code>tokendesk_app</code>); creating a new team store
        needs the owner role (<code>tokendesk_owner</code>).
      </p>
      <div className="form-grid">
        <ServerConnectionFields
          draft={draft}
          onChange={set}
          passwordDescription="Kept encrypted in this computer's store, like your tokens."
        />
        <Field
          label="Schema"
          value={draft.schema}
          onChange={(e) => set({ schema: e.target.value })}
          description="Where the team store's tables are; tokendesk unless your administrator chose another."
        />
      </div>
      <Field
        label="Your name in the team"
        value={name}
        maxLength={200}
        onChange={(e) => setName(e.target.value)}
        description="Other members see it beside your key's fingerprint, and in the team's audit log."
      />
      <div role="status" data-testid="team-test-result">
        {checked && <p className={checked.ok ? 'ok-text' : 'danger-text'}>{checked.message}</p>}
      </div>
      {error && <InlineError error={error} />}
      <div className="dialog__actions">
        <button
          type="button"
          className="btn"
          disabled={busy}
          onClick={() => test.mutate({ settings: settings() }, { onSuccess: setChecked })}
        >
          {test.isPending ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {join.isPending ? 'Joining…' : 'Join team store'}
        </button>
      </div>
      <fieldset className="stacked team-create">
        <legend className="field__label">Or start a new team store here</legend>
        <p className="muted">
          Makes the team store's tables in this database (the user needs the owner role) and makes you its
          first member, able to add the others.
        </p>
        <div className="dialog__actions">
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => create.mutate({ settings: settings(), memberName: name }, opened)}
          >
            {create.isPending ? 'Creating…' : 'Create team store'}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
