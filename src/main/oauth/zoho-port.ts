import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';

/** What Zoho's token endpoint gave back, already parsed (docs/zoho.md "Token"). */
export interface TokenGrant {
  readonly accessToken: string;
  /** Present on a code exchange with `access_type=offline`; never on a refresh. */
  readonly refreshToken: string | null;
  /** The API domain of the token's environment in the data center Zoho's answer named. */
  readonly apiDomain: string | null;
  /** Absolute epoch ms as a decimal string, as the SDK stores it. */
  readonly expiryTime: string;
}

export interface CurrentUser {
  readonly email: string;
  readonly fullName: string | null;
  /**
   * The name to store: the SDK's `<email>:<zgid>` when the org's zgid could be read (scope
   * ZohoCRM.org.READ), else the email (src/main/store/sdk-user-name.ts).
   */
  readonly userName: string;
}

/**
 * The Zoho calls the sign-in flows make, in one small interface so the flows can be read (and tested)
 * without the HTTP details. `zohoSignInPort` (zoho-adapter.ts) builds it from src/main/zoho.
 */
export interface SignInZoho {
  /** The accounts server origin for a data center and environment (e.g. `https://accounts.zoho.eu`). */
  accountsServer(dataCenter: DataCenterId, environment: ZohoEnvironment): string;
  /** The CRM API origin for a data center and environment. */
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
  }): Promise<TokenGrant>;
  refresh(input: {
    readonly accountsServer: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly refreshToken: string;
    readonly environment: ZohoEnvironment;
    readonly signal?: AbortSignal;
  }): Promise<TokenGrant>;
  /** Revokes a refresh token the flow obtained but will not return (docs/zoho.md "Revoke"). */
  revoke(input: { readonly accountsServer: string; readonly refreshToken: string }): Promise<void>;
  /**
   * `GET {apiDomain}/crm/v8/users?type=CurrentUser`, then `/crm/v8/org`: the calls the SDK makes to name the
   * user. Only CurrentUser must succeed; without the org's zgid the name is the bare email.
   */
  currentUser(input: {
    readonly apiDomain: string;
    readonly accessToken: string;
    readonly signal?: AbortSignal;
  }): Promise<CurrentUser>;
}
