import type { DataCenterId, ZohoEnvironment } from '../src/shared/datacenters';

/**
 * Client types as Zoho's API console names them. Only "self-client" changes behaviour: it has no redirect
 * URIs and gets its grant codes from the console (`issueSelfClientGrantCode`), not from a consent page.
 */
export type SimClientType = 'server-based' | 'client-based' | 'mobile' | 'self-client';

export interface SimClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
  readonly type: SimClientType;
  /** Compared exactly (Zoho: "redirect_uri must match a URI registered for the client exactly"). */
  readonly redirectUris: readonly string[];
  /**
   * Data centers where the client is enabled (Zoho's "multi-DC" setting). Default: every DC the simulator
   * runs. At any other DC the token endpoint answers `invalid_client` (docs/zoho.md: "the client belongs to
   * another DC").
   */
  readonly dataCenters?: readonly DataCenterId[];
}

export interface SimUser {
  readonly email: string;
  readonly fullName: string;
  readonly zuid: string;
  /** The user's home DC: consent given at any DC issues the code here, as Zoho's multi-DC login does. */
  readonly dataCenter: DataCenterId;
  readonly orgName: string;
}

/**
 * What a running DC exposes. Accounts and the production CRM API share one port; the sandbox and developer
 * CRM APIs have a port each, so every environment has its own origin, as Zoho's API domains do.
 */
export interface SimDataCenter {
  readonly id: DataCenterId;
  /** The `location` value on the OAuth callback (`us`, `eu`, `uk`, ...). */
  readonly location: string;
  /** e.g. `http://127.0.0.1:18080` (origin, no trailing slash). */
  readonly accountsUrl: string;
  /** The production API domain: the `api_domain` of every token answer (Zoho names production). */
  readonly apiDomain: string;
  /** One API origin per environment; `production` is `apiDomain`. */
  readonly apiDomains: Readonly<Record<ZohoEnvironment, string>>;
  /** The accounts (and production API) port. */
  readonly port: number;
}

/** Token endpoint grant types, used as keys of `stats.tokenRequests`. */
export type SimGrantType = 'authorization_code' | 'refresh_token' | 'other';

export type FaultKind = 'auth' | 'token' | 'code-exchange' | 'refresh' | 'revoke' | 'crm' | 'any';
export type FaultType = 'drop' | '5xx' | 'slow' | 'hold' | 'invalid_client';

export interface FaultSpec {
  /** Match by exact URL path (e.g. `/oauth/v2/token`) ... */
  readonly path?: string;
  /** ... or by kind of request. If neither is given, `any`. */
  readonly kind?: FaultKind;
  /** Only at this DC (default: every DC). */
  readonly dataCenter?: DataCenterId;
  readonly fault: FaultType;
  /** How many matching requests get the fault (default 1). */
  readonly times?: number;
  /**
   * For `slow`: wall-clock delay before the normal answer (default 10,000 ms). A test that needs a request
   * to be still pending at a given moment uses `hold` instead, which waits for `releaseHeld`, not a clock.
   */
  readonly delayMs?: number;
  /** For `5xx`: the status (default 500). */
  readonly status?: number;
}

export interface SimStats {
  /** Token endpoint requests by grant type, counted before any validation. */
  readonly tokenRequests: Record<SimGrantType, number>;
  /** Successful refreshes per refresh token. */
  readonly refreshesByToken: ReadonlyMap<string, number>;
  /** Revoke requests received, and how many actually revoked something. */
  readonly revokeRequests: number;
  readonly revokes: number;
  readonly grantCodesIssued: number;
  readonly crmRequests: number;
  /** CRM calls refused because the token belongs to another environment's API domain. */
  readonly crmWrongEnvironment: number;
}
