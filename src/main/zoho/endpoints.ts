import {
  type ApiDomainPlace,
  DATA_CENTER_IDS,
  DATA_CENTERS,
  type DataCenterId,
  ENVIRONMENTS,
  type ZohoEnvironment,
} from '../../shared/datacenters';

export interface ResolvedEndpoints {
  readonly dataCenter: DataCenterId;
  readonly environment: ZohoEnvironment;
  /** Origin of Zoho Accounts for this DC, e.g. `https://accounts.zoho.eu`. */
  readonly accountsServer: string;
  /** Origin of the CRM API for this DC and environment, e.g. `https://www.zohoapis.eu`. */
  readonly apiDomain: string;
}

/**
 * Where to send OAuth and CRM requests, and which hosts may receive secrets. The OAuth callback's
 * `accounts-server` comes from the browser's address bar, so it is untrusted input: a client secret is sent
 * only to a server this says is trusted (docs/zoho.md "Callback"; RFC 6749 §10.6 on redirect tampering).
 */
export interface ZohoEndpoints {
  readonly dataCenters: readonly DataCenterId[];
  /** undefined when this DC is not available (e.g. not run by the simulator). */
  resolve(dataCenter: DataCenterId, environment: ZohoEnvironment): ResolvedEndpoints | undefined;
  isTrustedAccountsServer(url: string): boolean;
  /** The DC whose accounts server is `url`, if trusted. */
  dataCenterOfAccountsServer(url: string): DataCenterId | undefined;
  /** The DC for a callback `location` value (`us`, `eu`, ...). */
  dataCenterOfLocation(location: string): DataCenterId | undefined;
  /** An access token may be sent only to a trusted API domain. */
  isTrustedApiDomain(url: string): boolean;
  /** The DC and environment whose API domain `url` is (a bare origin), or undefined for any other URL. */
  placeOfApiDomain(url: string): ApiDomainPlace | undefined;
}

/**
 * The API domain a token of `environment` uses, given the `api_domain` of a token endpoint answer. Zoho's
 * token endpoint names the data center's production API domain whatever the environment (docs/zoho.md
 * "API domain"), so a sandbox or developer token would be sent to production if the answer were copied;
 * the answer only tells which data center. undefined when the answer names no known API domain.
 */
export function apiDomainForEnvironment(
  endpoints: ZohoEndpoints,
  answerApiDomain: string,
  environment: ZohoEnvironment,
): string | undefined {
  const place = endpoints.placeOfApiDomain(answerApiDomain);
  return place ? endpoints.resolve(place.dataCenter, environment)?.apiDomain : undefined;
}

interface DcHosts {
  readonly id: DataCenterId;
  readonly location: string;
  readonly accountsServer: string;
  readonly apiDomains: Readonly<Record<ZohoEnvironment, string>>;
}

/**
 * The origin of `url` if it is a bare origin (optionally with a trailing `/`): no credentials, path, query or
 * fragment. Anything else is refused rather than normalised, so `https://accounts.zoho.com@evil` and
 * `https://accounts.zoho.com.evil.example` never pass.
 */
export function bareOrigin(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) return undefined;
  if (parsed.pathname !== '/' && parsed.pathname !== '') return undefined;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.origin;
}

function fromHosts(hosts: readonly DcHosts[]): ZohoEndpoints {
  const byId = new Map(hosts.map((h) => [h.id, h]));
  const apiDomains = new Set(hosts.flatMap((h) => Object.values(h.apiDomains)));
  const byAccounts = (url: string) => {
    const origin = bareOrigin(url);
    return origin ? hosts.find((h) => h.accountsServer === origin) : undefined;
  };
  return {
    dataCenters: hosts.map((h) => h.id),
    resolve(dataCenter, environment) {
      const h = byId.get(dataCenter);
      return h
        ? { dataCenter, environment, accountsServer: h.accountsServer, apiDomain: h.apiDomains[environment] }
        : undefined;
    },
    isTrustedAccountsServer: (url) => byAccounts(url) !== undefined,
    dataCenterOfAccountsServer: (url) => byAccounts(url)?.id,
    dataCenterOfLocation: (location) => hosts.find((h) => h.location === location.toLowerCase())?.id,
    isTrustedApiDomain(url) {
      const origin = bareOrigin(url);
      return origin !== undefined && apiDomains.has(origin);
    },
    placeOfApiDomain(url) {
      const origin = bareOrigin(url);
      if (origin === undefined) return undefined;
      for (const h of hosts) {
        const environment = ENVIRONMENTS.find((env) => h.apiDomains[env] === origin);
        if (environment) return { dataCenter: h.id, environment };
      }
      return undefined;
    },
  };
}

/** Zoho's real hosts (src/shared/datacenters.ts): https only. */
export const zohoEndpoints: ZohoEndpoints = fromHosts(
  DATA_CENTER_IDS.map((id) => {
    const dc = DATA_CENTERS[id];
    return { id, location: dc.location, accountsServer: dc.accountsServer, apiDomains: dc.apiDomains };
  }),
);

/** One DC of a local stand-in for Zoho (the simulator); structurally matches the simulator's `SimDataCenter`. */
export interface LocalDataCenter {
  readonly id: DataCenterId;
  readonly location: string;
  readonly accountsUrl: string;
  /** The production API domain. */
  readonly apiDomain: string;
  /**
   * One API domain per environment, as Zoho has (the simulator serves each on its own port). Absent: every
   * environment at `apiDomain` (a stand-in that serves them all at one origin).
   */
  readonly apiDomains?: Readonly<Record<ZohoEnvironment, string>>;
}

/**
 * Endpoints of a running simulator (demo mode and tests): one API domain per DC and environment, like
 * Zoho's hosts. DCs it does not run are absent, so `resolve` returns undefined for them.
 */
export function localEndpoints(dataCenters: readonly LocalDataCenter[]): ZohoEndpoints {
  return fromHosts(
    dataCenters.map((dc) => {
      const origin = bareOrigin(dc.accountsUrl);
      const apiDomains = Object.fromEntries(
        ENVIRONMENTS.map((env) => [env, bareOrigin(dc.apiDomains?.[env] ?? dc.apiDomain)]),
      ) as Record<ZohoEnvironment, string | undefined>;
      if (!origin || ENVIRONMENTS.some((env) => apiDomains[env] === undefined)) {
        throw new Error(`Invalid simulator URL for ${dc.id}`);
      }
      return {
        id: dc.id,
        location: dc.location,
        accountsServer: origin,
        apiDomains: apiDomains as Record<ZohoEnvironment, string>,
      };
    }),
  );
}
