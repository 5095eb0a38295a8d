import { useQuery } from '@tanstack/react-query';
import type { DataCenterId, ZohoEnvironment } from '../../../shared/datacenters';
import { call } from '../../api/client';

interface Props {
  readonly clientId: string;
  readonly dataCenter: DataCenterId;
  readonly environment: ZohoEnvironment;
}

/**
 * Said before a sign-in: who is already connected with this client, data center and environment, and
 * what happens to their stored token if the sign-in is as one of them (replaced, and the old refresh
 * token revoked at Zoho). The user is only known once Zoho answers, so every such user is named.
 */
export function ConnectedAccountsNotice({ clientId, dataCenter, environment }: Props) {
  const trimmed = clientId.trim();
  const connected = useQuery({
    queryKey: ['connectedAccounts', trimmed, dataCenter, environment],
    queryFn: () => call('connectedAccounts', { clientId: trimmed, dataCenter, environment }),
    enabled: trimmed !== '',
  });
  const names = connected.data?.userNames ?? [];
  if (names.length === 0) return null;
  const list =
    names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return (
    <div className="notice" role="note" data-testid="already-connected">
      <strong>
        Already connected with this client ({dataCenter} {environment}):
      </strong>{' '}
      {list}. If you sign in as {names.length === 1 ? 'this user' : 'one of them'}, the new token replaces the
      stored one, and the stored refresh token is revoked at Zoho (replaced by a new sign-in). If Zoho does
      not confirm the revoke, TokenDesk keeps the old token as a pending revoke and retries.
    </div>
  );
}
