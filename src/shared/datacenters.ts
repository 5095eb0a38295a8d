import { z } from 'zod';

/**
 * Zoho's data centers and their hosts (docs/zoho.md "Data centers"). A token belongs to exactly one data
 * center and one environment; it must be refreshed and revoked at its own accounts server and used at its
 * own API domain.
 */
export const DATA_CENTER_IDS = ['US', 'EU', 'IN', 'CN', 'JP', 'AU', 'CA', 'SA', 'UK'] as const;
export const DataCenterIdSchema = z.enum(DATA_CENTER_IDS);
export type DataCenterId = z.infer<typeof DataCenterIdSchema>;

export const ENVIRONMENTS = ['production', 'sandbox', 'developer'] as const;
export const EnvironmentSchema = z.enum(ENVIRONMENTS);
export type ZohoEnvironment = z.infer<typeof EnvironmentSchema>;

export interface DataCenter {
  readonly id: DataCenterId;
  /** Human label shown in the console. */
  readonly label: string;
  /** The `location` value Zoho puts on the OAuth callback (lower case), as `/oauth/serverinfo` keys it. */
  readonly location: string;
  readonly accountsServer: string;
  readonly apiDomains: Readonly<Record<ZohoEnvironment, string>>;
}

function dc(id: DataCenterId, label: string, accounts: string, apiTld: string): DataCenter {
  return {
    id,
    label,
    location: id.toLowerCase(),
    accountsServer: accounts,
    apiDomains: {
      production: `https://www.zohoapis.${apiTld}`,
      sandbox: `https://sandbox.zohoapis.${apiTld}`,
      developer: `https://developer.zohoapis.${apiTld}`,
    },
  };
}

export const DATA_CENTERS: Readonly<Record<DataCenterId, DataCenter>> = {
  US: dc('US', 'United States', 'https://accounts.zoho.com', 'com'),
  EU: dc('EU', 'Europe', 'https://accounts.zoho.eu', 'eu'),
  IN: dc('IN', 'India', 'https://accounts.zoho.in', 'in'),
  CN: dc('CN', 'China', 'https://accounts.zoho.com.cn', 'com.cn'),
  JP: dc('JP', 'Japan', 'https://accounts.zoho.jp', 'jp'),
  AU: dc('AU', 'Australia', 'https://accounts.zoho.com.au', 'com.au'),
  CA: dc('CA', 'Canada', 'https://accounts.zohocloud.ca', 'ca'),
  SA: dc('SA', 'Saudi Arabia', 'https://accounts.zoho.sa', 'sa'),
  UK: dc('UK', 'United Kingdom', 'https://accounts.zoho.uk', 'uk'),
};

/** Finds the data center for a callback `location` value such as `us` or `eu`. */
export function dataCenterByLocation(location: string): DataCenter | undefined {
  return Object.values(DATA_CENTERS).find((d) => d.location === location.toLowerCase());
}

/** Where a token lives, as told by its API domain. */
export interface ApiDomainPlace {
  readonly dataCenter: DataCenterId;
  readonly environment: ZohoEnvironment;
}

/**
 * The data center and environment whose API domain `apiDomain` is (Zoho's real hosts), or undefined for
 * any other URL. An SDK token has no DC or environment field, only its `api_domain`; this is how the rest
 * of TokenDesk labels such a token. Only a bare origin (an optional trailing `/`) matches: a path, query,
 * credentials or another scheme never do. For the simulator's hosts use `ZohoEndpoints.placeOfApiDomain`.
 */
export function dataCenterAndEnvironmentOfApiDomain(apiDomain: string): ApiDomainPlace | undefined {
  const origin = apiDomain.trim().replace(/\/$/, '').toLowerCase();
  for (const d of Object.values(DATA_CENTERS)) {
    for (const environment of ENVIRONMENTS) {
      if (d.apiDomains[environment] === origin) return { dataCenter: d.id, environment };
    }
  }
  return undefined;
}
