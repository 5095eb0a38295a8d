import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { MemberKeyView } from '../../../shared/ipc/team';
import { useIpcMutation } from '../../api/hooks';
import { Badge } from '../../components/Badge';
import { CopyButton } from '../../components/CopyButton';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { TeamConnectForm } from './TeamConnectForm';
import { TeamMembers } from './TeamMembers';
import { TeamTokens } from './TeamTokens';
import { TEAM_READ_ONLY_REASON, teamKeys, useTeamState } from './team-queries';
import './team.css';

/**
 * The team store (docs/team-store.md "In the console"): your member key to share, then the store's
 * tokens and members once you are in one.
 */
export function TeamPage() {
  const state = useTeamState();
  if (state.isPending) return <Spinner label="Opening the team store…" />;
  if (state.isError) return <InlineError error={state.error} title="The team store could not be read" />;
  const { memberKey, team } = state.data;
  return (
    <div className="stacked" data-testid="team-page">
      <div className="toolbar">
        <h1 className="card__title">Team store</h1>
        <span className="toolbar__spacer" />
        {team && <ForgetButton />}
      </div>
      <p className="muted">
        Share tokens with your team and with the servers that run the Zoho SDK, in an encrypted store on your
        PostgreSQL server. Nobody shares a password: each member has a key of their own.
      </p>
      <MemberKeyCard memberKey={memberKey} />
      {team === null ? (
        <TeamConnectForm memberName={memberKey.name} />
      ) : (
        <>
          <section className="card stacked" aria-labelledby="team-store-title">
            <h2 className="card__title" id="team-store-title">
              {team.displayName}
            </h2>
            {team.access === 'manage' && (
              <p>
                <Badge tone="ok">You can manage this team store</Badge>
              </p>
            )}
            {team.access === 'read-only' && (
              <p data-testid="team-read-only">
                <Badge tone="muted">Read-only</Badge> {TEAM_READ_ONLY_REASON}
              </p>
            )}
            {team.problem && (
              <p className="danger-text" data-testid="team-problem">
                {team.problem}
              </p>
            )}
          </section>
          {team.access !== null && (
            <>
              <TeamTokens
                sourceId={team.sourceId}
                displayName={team.displayName}
                canManage={team.access === 'manage'}
              />
              <TeamMembers sourceId={team.sourceId} canManage={team.access === 'manage'} />
            </>
          )}
        </>
      )}
    </div>
  );
}

function MemberKeyCard({ memberKey }: { memberKey: MemberKeyView }) {
  return (
    <section className="card stacked" aria-labelledby="member-key-title" data-testid="member-key">
      <h2 className="card__title" id="member-key-title">
        Your member key
      </h2>
      <p className="muted">
        To be added to a team store, send your public key to one of its members. When they add it, their
        TokenDesk shows a fingerprint: read it to each other; it must be the one below.
      </p>
      <dl className="team-key">
        <dt>Name</dt>
        <dd>{memberKey.name}</dd>
        <dt>Public key</dt>
        <dd className="row">
          <code data-testid="member-public-key">{memberKey.publicKey}</code>
          <CopyButton text={memberKey.publicKey} label="Copy your public key" testId="copy-public-key" />
        </dd>
        <dt>Fingerprint</dt>
        <dd>
          <strong className="mono" data-testid="member-fingerprint">
            {memberKey.fingerprint}
          </strong>
        </dd>
      </dl>
    </section>
  );
}

function ForgetButton() {
  const [confirming, setConfirming] = useState(false);
  const forget = useIpcMutation('forgetTeamStore');
  const client = useQueryClient();
  if (!confirming) {
    return (
      <button type="button" className="btn" onClick={() => setConfirming(true)}>
        Forget this team store…
      </button>
    );
  }
  return (
    <fieldset className="row team-fieldset">
      <legend className="sr-only">Forget the team store</legend>
      <span className="warn-text">This computer stops using it; the team's tokens and members stay.</span>
      <button
        type="button"
        className="btn btn--danger"
        disabled={forget.isPending}
        onClick={() =>
          forget.mutate({}, { onSuccess: (state) => client.setQueryData(teamKeys.state, state) })
        }
      >
        Forget
      </button>
      <button type="button" className="btn" onClick={() => setConfirming(false)}>
        Keep
      </button>
      {forget.error && <InlineError error={forget.error} />}
    </fieldset>
  );
}
