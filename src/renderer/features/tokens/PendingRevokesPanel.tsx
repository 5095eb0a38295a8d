import { useQuery } from '@tanstack/react-query';
import type { PendingRevokeView } from '../../../shared/ipc/views';
import { call } from '../../api/client';
import { queryKeys, useIpcMutation } from '../../api/hooks';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toasts';
import { revokeReason } from './revoke-outcome';

function pendingSummary(p: PendingRevokeView): string {
  const where = [p.dataCenter, p.environment].filter(Boolean).join(' ');
  const attempts =
    p.attempts === 0 ? 'not tried yet' : `${p.attempts} ${p.attempts === 1 ? 'attempt' : 'attempts'}`;
  const next = p.nextAttemptAt
    ? `; next automatic try ${new Date(p.nextAttemptAt).toLocaleTimeString()}`
    : '';
  return `${where ? `${where}, ` : ''}${p.reason}; ${attempts}${next}.`;
}

/**
 * Refresh tokens TokenDesk no longer lists as tokens (replaced by a sign-in, or deleted while their
 * revoke failed) that may still work at Zoho. Shown until Zoho confirms each one dead; main retries on
 * its own with a growing delay, and "Retry now" asks Zoho at once and says what it answered.
 */
export function PendingRevokesPanel() {
  const toast = useToast();
  const pending = useQuery({
    queryKey: queryKeys.pendingRevokes,
    queryFn: () => call('listPendingRevokes', {}),
    refetchInterval: 30_000,
  });
  const retry = useIpcMutation('retryPendingRevoke');
  const items = pending.data ?? [];
  if (items.length === 0) return null;

  const run = async (item: PendingRevokeView) => {
    try {
      const result = await retry.mutateAsync({ id: item.id });
      const who = item.userName ?? 'a token';
      if (result.revoke.state === 'failed' && result.resolved) {
        toast({
          tone: 'info',
          title: `No longer pending: ${who}`,
          description: `${revokeReason(result.revoke)}.`,
        });
      } else if (result.revoke.state === 'failed') {
        toast({
          tone: 'error',
          title: `Still not revoked: ${who}`,
          description: `${revokeReason(result.revoke)}.`,
        });
      } else {
        toast({
          tone: 'success',
          title:
            result.revoke.state === 'already-dead'
              ? `Access already cut at Zoho: ${who}`
              : `Revoked at Zoho: ${who}`,
          description: 'Zoho confirmed it; TokenDesk no longer keeps it.',
        });
      }
    } catch {
      // Shown inline from `retry.error`.
    }
  };

  return (
    <section
      className="pending-revokes"
      aria-labelledby="pending-revokes-title"
      data-testid="pending-revokes"
    >
      <h2 id="pending-revokes-title" className="danger-text small">
        Pending revokes: {items.length} refresh {items.length === 1 ? 'token' : 'tokens'} may still work at
        Zoho
      </h2>
      <p className="small">
        TokenDesk no longer uses {items.length === 1 ? 'it' : 'them'}, but Zoho has not confirmed the revoke.
        Each is kept encrypted
        {items.some((p) => !p.onDisk) ? ' (some only in memory: the database refused them)' : ''} and retried
        until Zoho confirms it dead.
      </p>
      <ul className="pending-revokes__list">
        {items.map((item) => (
          <li key={item.id} className="pending-revokes__item" data-testid="pending-revoke">
            <strong>{item.userName ?? item.refreshTokenPreview ?? 'unknown user'}</strong>
            <span className="mono small">{item.refreshTokenPreview}</span>
            <span className="small">{pendingSummary(item)}</span>
            {item.lastError && <span className="small muted">Last answer: {item.lastError}</span>}
            {!item.onDisk && (
              <span className="small warn-text">Kept in memory only: lost if TokenDesk closes.</span>
            )}
            <button
              type="button"
              className="btn"
              disabled={retry.isPending}
              onClick={() => void run(item)}
              data-testid="pending-revoke-retry"
            >
              {retry.isPending && retry.variables?.id === item.id ? (
                <Spinner label="Revoking…" />
              ) : (
                'Retry now'
              )}
            </button>
          </li>
        ))}
      </ul>
      <InlineError error={retry.error} title="The retry did not run" />
    </section>
  );
}
