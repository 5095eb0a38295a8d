import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TeamMemberView, TeamRemoveResult } from '../../../shared/ipc/team';
import { call } from '../../api/client';
import { useIpcMutation } from '../../api/hooks';
import { Badge } from '../../components/Badge';
import { Field } from '../../components/Field';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { teamKeys } from './team-queries';

/** The team's members with their key fingerprints; a managing member adds and removes them. */
export function TeamMembers({ canManage, sourceId }: { canManage: boolean; sourceId: string }) {
  const members = useQuery({ queryKey: teamKeys.members, queryFn: () => call('listTeamMembers', {}) });
  const [removed, setRemoved] = useState<TeamRemoveResult | null>(null);
  return (
    <section className="card stacked" aria-labelledby="team-members-title">
      <h2 className="card__title" id="team-members-title">
        Members
      </h2>
      {members.isPending && <Spinner label="Reading the members…" />}
      {members.isError && <InlineError error={members.error} title="The members could not be listed" />}
      {members.data && (
        <table className="simple-table" data-testid="team-members">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key fingerprint</th>
              <th scope="col">Access</th>
              {canManage && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {members.data.map((m) => (
              <MemberRow key={m.memberId} member={m} canManage={canManage} onRemoved={setRemoved} />
            ))}
          </tbody>
        </table>
      )}
      {removed && <RemovedAdvice result={removed} sourceId={sourceId} onDone={() => setRemoved(null)} />}
      {canManage && <AddMemberForm />}
    </section>
  );
}

function MemberRow({
  member,
  canManage,
  onRemoved,
}: {
  member: TeamMemberView;
  canManage: boolean;
  onRemoved: (result: TeamRemoveResult) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const remove = useIpcMutation('removeTeamMember');
  return (
    <tr data-testid="team-member-row" data-name={member.name}>
      <td>
        {member.name} {member.isYou && <Badge tone="muted">You</Badge>}
      </td>
      <td className="mono">{member.fingerprint}</td>
      <td>{member.access === 'manage' ? 'Manage' : 'Read-only'}</td>
      {canManage && (
        <td>
          {member.isYou ? null : confirming ? (
            <fieldset className="stacked team-fieldset">
              <legend className="sr-only">Remove {member.name}</legend>
              <p className="warn-text">
                Removing {member.name} makes a new team key and re-encrypts every team token in one step.
                Tokens they could already read may still be in their hands: revoke them at Zoho if they should
                lose access.
              </p>
              <div className="row">
                <button
                  type="button"
                  className="btn btn--small btn--danger"
                  disabled={remove.isPending}
                  onClick={() =>
                    remove.mutate(
                      { memberId: member.memberId },
                      {
                        onSuccess: (result) => {
                          setConfirming(false);
                          onRemoved(result);
                        },
                      },
                    )
                  }
                >
                  {remove.isPending ? 'Re-encrypting…' : `Remove ${member.name}`}
                </button>
                <button type="button" className="btn btn--small" onClick={() => setConfirming(false)}>
                  Keep
                </button>
              </div>
              {remove.error && <InlineError error={remove.error} />}
            </fieldset>
          ) : (
            <button type="button" className="btn btn--small btn--danger" onClick={() => setConfirming(true)}>
              Remove
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

/** After a removal: what re-encryption does not undo, and the offer to revoke what they could read. */
function RemovedAdvice({
  result,
  sourceId,
  onDone,
}: {
  result: TeamRemoveResult;
  sourceId: string;
  onDone: () => void;
}) {
  const client = useQueryClient();
  const revokeAll = useIpcMutation('clearAllTokens');
  return (
    <div className="notice stacked" role="status" data-testid="team-removed">
      <p>
        <strong>{result.removedName} was removed.</strong> {result.reencrypted} token(s) re-encrypted under a
        new team key
        {result.unreadableCount > 0 ? `; ${result.unreadableCount} unreadable token(s) stay unreadable` : ''}.
      </p>
      <p className="warn-text">{result.advice}</p>
      {revokeAll.data ? (
        <p>
          Revoked at Zoho and removed: {revokeAll.data.deletedCount} of {result.tokenCount}
          {revokeAll.data.revokeFailedCount > 0
            ? `; ${revokeAll.data.revokeFailedCount} could not be revoked and were kept`
            : ''}
          . Re-authorise the accounts that still need a token.
        </p>
      ) : (
        <div className="row">
          {result.tokenCount > 0 && (
            <button
              type="button"
              className="btn btn--danger"
              disabled={revokeAll.isPending}
              onClick={() =>
                revokeAll.mutate(
                  { sourceId, revoke: true, expectedCount: result.tokenCount, deleteIfRevokeFails: false },
                  { onSuccess: () => void client.invalidateQueries({ queryKey: teamKeys.all }) },
                )
              }
            >
              {revokeAll.isPending ? 'Revoking…' : `Revoke all ${result.tokenCount} team token(s) now`}
            </button>
          )}
          <button type="button" className="btn" onClick={onDone}>
            Not now
          </button>
        </div>
      )}
      {revokeAll.error && <InlineError error={revokeAll.error} />}
    </div>
  );
}

/** Add by public key: the fingerprint is shown first, to compare with what the newcomer's TokenDesk shows. */
function AddMemberForm() {
  const [publicKey, setPublicKey] = useState('');
  const [name, setName] = useState('');
  const [access, setAccess] = useState<'manage' | 'read-only'>('manage');
  const check = useIpcMutation('checkTeamMemberKey');
  const add = useIpcMutation('addTeamMember');
  const client = useQueryClient();
  const fingerprint = check.data?.fingerprint ?? null;
  return (
    <form
      className="stacked"
      aria-label="Add a member"
      onSubmit={(e) => {
        e.preventDefault();
        if (fingerprint === null) check.mutate({ publicKey });
        else
          add.mutate(
            { publicKey, name, access },
            {
              onSuccess: () => {
                setPublicKey('');
                setName('');
                check.reset();
                void client.invalidateQueries({ queryKey: teamKeys.members });
              },
            },
          );
      }}
    >
      <h3 className="card__title">Add a member</h3>
      <div className="form-grid">
        <Field
          label="Their public key"
          value={publicKey}
          spellCheck={false}
          onChange={(e) => {
            setPublicKey(e.target.value);
            check.reset();
            add.reset();
          }}
          description="43 characters, from the Team page of their TokenDesk (or the server's member key)."
        />
        <Field label="Their name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        <label className="field">
          <span className="field__label">Access</span>
          <select
            className="input"
            value={access}
            onChange={(e) => setAccess(e.target.value as 'manage' | 'read-only')}
          >
            <option value="manage">Manage (add and revoke tokens, members)</option>
            <option value="read-only">Read-only (list, test and refresh tokens)</option>
          </select>
        </label>
      </div>
      {fingerprint && (
        <p data-testid="team-add-fingerprint">
          Fingerprint of this key: <strong className="mono">{fingerprint}</strong>. Ask them to read theirs to
          you (their Team page shows it) and add them only if the two are the same.
        </p>
      )}
      {add.data && (
        <p className="ok-text" role="status">
          {add.data.name} ({add.data.fingerprint}) is a member now.
        </p>
      )}
      {(check.error ?? add.error) && <InlineError error={check.error ?? add.error} />}
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={check.isPending || add.isPending}>
          {fingerprint === null ? 'Show fingerprint' : 'Fingerprints match: add member'}
        </button>
      </div>
    </form>
  );
}
