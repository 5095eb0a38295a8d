import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call } from '../../api/client';
import { Badge } from '../../components/Badge';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { formatTimestamp } from '../../lib/format';
import { useDebounced } from '../../lib/use-debounced';
import { teamKeys, useTeamState } from './team-queries';

/**
 * The team store's own audit log, shared by every member and server, each row naming who did it. Shown
 * on the Audit page while a team store is open; members may only append to it.
 */
export function TeamAudit() {
  const state = useTeamState();
  const [text, setText] = useState('');
  const search = useDebounced(text, 250);
  const open = state.data?.team?.access != null;
  const audit = useQuery({
    queryKey: teamKeys.audit(search),
    queryFn: () => call('listTeamAudit', search ? { text: search, limit: 500 } : { limit: 500 }),
    enabled: open,
  });
  if (!open) return null;
  return (
    <section className="card stacked" aria-labelledby="team-audit-title" data-testid="team-audit">
      <div className="toolbar">
        <h2 className="card__title" id="team-audit-title">
          Team audit log · {state.data?.team?.displayName}
        </h2>
        <span className="toolbar__spacer" />
        <label className="field field--inline">
          <span className="field__label">Search the team log</span>
          <input className="input" type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      </div>
      {audit.isPending && <Spinner label="Reading the team audit log…" />}
      {audit.isError && <InlineError error={audit.error} title="The team audit log could not be read" />}
      {audit.data?.length === 0 && <p className="muted">Nothing recorded yet.</p>}
      {audit.data && audit.data.length > 0 && (
        <div className="team-scroll">
          <table className="simple-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Member</th>
                <th scope="col">Action</th>
                <th scope="col">User</th>
                <th scope="col">Outcome</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.map((e) => (
                <tr key={e.id} data-testid="team-audit-row">
                  <td>{formatTimestamp(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>{e.action}</td>
                  <td>{e.userName ?? '—'}</td>
                  <td>
                    <Badge tone={e.outcome === 'success' ? 'ok' : 'danger'}>
                      {e.outcome === 'success' ? '✓ Succeeded' : '✕ Failed'}
                    </Badge>
                  </td>
                  <td>{e.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
