import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import type { CrmResult } from './crm-client';

/** What Zoho's token endpoint gave back, already parsed (docs/zoho.md "Token"). */
export interface ZohoGrant {
  readonly accessToken: string;
  /** Only when Zoho sent one: a code exchange with `access_type=offline`, rarely a refresh. */
  readonly refreshToken: string | null;
  /** The API domain of the token's environment in the data center Zoho's answer named. */
  readonly apiDomain: string | null;
  /** Absolute epoch ms as a decimal string, as the SDK stores it. */
  readonly expiryTime: string;
}

/** The CRM user an access token belongs to (`/users?type=CurrentUser`). */
export interface ZohoUser {
  readonly email: string;
  readonly fullName: string | null;
}

/** The CRM org of an access token (`/org`). */
export interface ZohoOrg {
  readonly id: string;
  readonly name: string | null;
  /** The org's group id, which the SDK puts in a user name (`<email>:<zgid>`); null when Zoho sent none. */
  readonly zgid: string | null;
}

export interface CrmCall {
  readonly apiDomain: string;
  readonly accessToken: string;
  readonly signal?: AbortSignal;
}

/**
 * Every Zoho call the sign-in flows and the token use cases make, in one small interface so both read (and
 * are tested) without HTTP details. `zohoPort` (zoho-port-adapter.ts) builds it over the accounts and CRM
 * clients. A failure is thrown as a ZohoError, whose code and words come from the shared error catalogue
 * (docs/architecture.md "Errors").
 */
export interface ZohoPort {
  /**
   * The accounts server origin for a data center and environment (e.g. `https://accounts.zoho.eu`).
   * Throws ZohoError UNKNOWN_DATA_CENTER for a data center these endpoints do not serve.
   */
  accountsServer(dataCenter: DataCenterId, environment: ZohoEnvironment): string;
  /** The CRM API origin for a data center and environment (throws like `accountsServer`). */
  apiDomain(dataCenter: DataCenterId, environment: ZohoEnvironment): string;
  /**
   * The data center whose accounts server `url` is, or undefined when `url` is not a trusted accounts
   * server. The client secret is only ever sent to a server this recognises.
   */
  trustedAccountsServer(url: string): DataCenterId | undefined;
  exchangeCode(input: {
    readonly accountsServer: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly code: string;
    /** null for Self Client codes, which are redeemed without one. */
    readonly redirectUri: string | null;
    /** PKCE verifier of the browser flow's challenge; absent for Self Client codes. */
    readonly codeVerifier?: string;
    readonly environment: ZohoEnvironment;
    readonly signal?: AbortSignal;
  }): Promise<ZohoGrant>;
  refresh(input: {
    readonly accountsServer: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly refreshToken: string;
    /** A sandbox or developer token keeps its own API domain (docs/zoho.md "Data centers"). */
    readonly environment: ZohoEnvironment;
    readonly signal?: AbortSignal;
  }): Promise<ZohoGrant>;
  /** Resolves when Zoho confirmed the revoke (docs/zoho.md "Revoke"). */
  revoke(input: { readonly accountsServer: string; readonly refreshToken: string }): Promise<void>;
  /** `GET {apiDomain}/crm/v8/users?type=CurrentUser`. */
  currentUser(input: CrmCall): Promise<CrmResult<ZohoUser>>;
  /** `GET {apiDomain}/crm/v8/org`. */
  org(input: CrmCall): Promise<CrmResult<ZohoOrg>>;
}
