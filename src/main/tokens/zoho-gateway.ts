import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';

/**
 * The Zoho calls TokenService makes, in one small interface so the service reads (and is tested) without
 * HTTP details. `createZohoGateway` (zoho-gateway-adapter.ts) builds it from src/main/zoho. Failures are
 * thrown as errors with a string `code` (ZohoError: THROTTLED, NETWORK, TIMEOUT, INVALID_CODE, ...).
 */
export interface TokenAccount {
  readonly dataCenter: DataCenterId;
  readonly environment: ZohoEnvironment;
  /**
   * The stored token's API domain: which Zoho it came from. While demo mode runs, a simulator token and a
   * real Zoho token live side by side, and each must be refreshed and revoked where it was issued.
   */
  readonly apiDomain: string | null;
}

export interface RefreshedGrant {
  readonly accessToken: string;
  /** Zoho normally sends none on a refresh; when it does, it replaces the stored one. */
  readonly refreshToken: string | null;
  readonly apiDomain: string | null;
  /** Absolute epoch ms. */
  readonly expiryTime: number;
}

/** A CRM call's answer as the test call reports it: HTTP status and latency either way. */
export type CrmAnswer<T> =
  | { readonly ok: true; readonly httpStatus: number; readonly latencyMs: number; readonly value: T }
  | {
      readonly ok: false;
      /** null when no HTTP answer came (network failure, timeout). */
      readonly httpStatus: number | null;
      readonly latencyMs: number;
      readonly code: string;
      readonly message: string;
    };

export interface CrmUser {
  readonly email: string;
  readonly fullName: string | null;
}

export interface CrmOrg {
  readonly id: string | null;
  readonly name: string | null;
}

export interface TokenZoho {
  refresh(
    input: TokenAccount & {
      readonly clientId: string;
      readonly clientSecret: string;
      readonly refreshToken: string;
    },
  ): Promise<RefreshedGrant>;
  /** Resolves when Zoho confirmed; throws (with a code) otherwise. */
  revoke(input: TokenAccount & { readonly refreshToken: string }): Promise<void>;
  currentUser(input: {
    readonly apiDomain: string;
    readonly accessToken: string;
  }): Promise<CrmAnswer<CrmUser>>;
  org(input: { readonly apiDomain: string; readonly accessToken: string }): Promise<CrmAnswer<CrmOrg>>;
}

/** Codes of CRM answers that mean "this access token is dead; a refresh may fix it". */
export const DEAD_ACCESS_TOKEN_CODES: ReadonlySet<string> = new Set(['INVALID_TOKEN', 'INVALID_OAUTHTOKEN']);
