import type { DataCenterId } from '../src/shared/datacenters';
import type { ZohoState } from './state';
import type { SimDataCenter, SimGrantType } from './types';

/** How `expires_in` is written: seconds (today's Zoho) or the older ms form with `expires_in_sec`. */
export type ExpiresInStyle = 'seconds' | 'legacy-ms';

export interface MutableStats {
  tokenRequests: Record<SimGrantType, number>;
  refreshesByToken: Map<string, number>;
  revokeRequests: number;
  revokes: number;
  grantCodesIssued: number;
  crmRequests: number;
  crmWrongEnvironment: number;
}

export function emptyStats(): MutableStats {
  return {
    tokenRequests: { authorization_code: 0, refresh_token: 0, other: 0 },
    refreshesByToken: new Map(),
    revokeRequests: 0,
    revokes: 0,
    grantCodesIssued: 0,
    crmRequests: 0,
    crmWrongEnvironment: 0,
  };
}

/** What every route handler needs: the shared state and the DCs this simulator runs. */
export interface SimContext {
  readonly state: ZohoState;
  readonly dataCenters: ReadonlyMap<DataCenterId, SimDataCenter>;
  stats: MutableStats;
  expiresInStyle: ExpiresInStyle;
}
