import {
  DATA_CENTER_IDS,
  DATA_CENTERS,
  type DataCenterId,
  ENVIRONMENTS,
  type ZohoEnvironment,
} from '../../shared/datacenters';
import { bareOrigin, type LocalDataCenter, type ZohoEndpoints } from '../zoho/endpoints';

/** Where a token was issued, as far as its API domain tells. */
export interface DerivedAccount {
  readonly dataCenter: DataCenterId;
  readonly environment: ZohoEnvironment;
}

/**
 * The SDK's stores keep no data center or environment: only `api_domain`. Every API domain Zoho hands out
 * names exactly one data center and environment (production `www.`, `sandbox.`, `developer.` per DC), so
 * they are derived from it; an unknown domain (or none) derives nothing and the token shows "unknown".
 */
export type AccountResolver = (apiDomain: string | null) => DerivedAccount | null;

function zohoDomains(): Map<string, DerivedAccount> {
  const map = new Map<string, DerivedAccount>();
  for (const dataCenter of DATA_CENTER_IDS) {
    for (const environment of ENVIRONMENTS) {
      map.set(DATA_CENTERS[dataCenter].apiDomains[environment], { dataCenter, environment });
    }
  }
  return map;
}

const ZOHO_DOMAINS = zohoDomains();

/**
 * Zoho's own API domains, plus those of a local simulator (demo and test mode), which serves every
 * environment of a data center at one origin: its tokens count as production.
 */
export function accountResolver(local: readonly LocalDataCenter[] = []): AccountResolver {
  const domains = new Map(ZOHO_DOMAINS);
  for (const dc of local) {
    const origin = bareOrigin(dc.apiDomain);
    if (origin) domains.set(origin, { dataCenter: dc.id, environment: 'production' });
  }
  // Thousands of rows share a handful of domains: parse each distinct value once. Rows of one list mostly
  // repeat the row before's domain: a comparison with it spares hashing each row's own copy of the text.
  const seen = new Map<string, DerivedAccount | null>();
  let lastDomain: string | null = null;
  let lastAccount: DerivedAccount | null = null;
  return (apiDomain) => {
    if (!apiDomain) return null;
    if (apiDomain === lastDomain) return lastAccount;
    let account = seen.get(apiDomain);
    if (account === undefined) {
      const origin = bareOrigin(apiDomain.trim());
      account = origin ? (domains.get(origin) ?? null) : null;
      if (seen.size < 1_000) seen.set(apiDomain, account);
    }
    lastDomain = apiDomain;
    lastAccount = account;
    return account;
  };
}

/**
 * The API domain to write for a token that knows its data center and environment but not its domain (so a
 * row written to an SDK store keeps where it belongs). A simulator token always has its domain.
 */
export function apiDomainOf(
  dataCenter: DataCenterId | null,
  environment: ZohoEnvironment | null,
): string | null {
  return dataCenter && environment ? DATA_CENTERS[dataCenter].apiDomains[environment] : null;
}

/**
 * The resolver for the endpoints a process talks to (Zoho's, and a running simulator's): each data
 * center's API domain per environment. Where one origin serves every environment (the simulator), its
 * tokens count as production.
 */
export function accountResolverFor(endpoints: readonly ZohoEndpoints[]): AccountResolver {
  const local: LocalDataCenter[] = [];
  for (const e of endpoints) {
    for (const dc of e.dataCenters) {
      const resolved = e.resolve(dc, 'production');
      if (resolved && !ZOHO_DOMAINS.has(resolved.apiDomain)) {
        local.push({
          id: dc,
          location: dc.toLowerCase(),
          accountsUrl: resolved.accountsServer,
          apiDomain: resolved.apiDomain,
        });
      }
    }
  }
  return accountResolver(local);
}
