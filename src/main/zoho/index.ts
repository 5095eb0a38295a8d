/** Zoho HTTP clients (plain Node): accounts (OAuth token endpoint), CRM, and where to send requests. */
export {
  type AccountsClient,
  type AccountsClientOptions,
  createAccountsClient,
  type ExchangeCodeInput,
  type RefreshInput,
  type RevokeInput,
  type TokenGrant,
} from './accounts-client';
export {
  CRM_API_PATH,
  type CrmClient,
  type CrmClientOptions,
  type CrmOrg,
  type CrmResult,
  type CrmUser,
  createCrmClient,
} from './crm-client';
export {
  bareOrigin,
  type LocalDataCenter,
  localEndpoints,
  type ResolvedEndpoints,
  type ZohoEndpoints,
  zohoEndpoints,
} from './endpoints';
export {
  TRANSIENT_ZOHO_CODES,
  ZOHO_ERROR_CODES,
  ZohoError,
  type ZohoErrorCode,
  type ZohoErrorDetails,
  type ZohoOperation,
  zohoError,
} from './errors';
export { DEFAULT_TIMEOUT_MS, type FetchLike, type HttpOptions } from './http';
export { expiresInMs } from './token-response';
export type { CrmCall, ZohoGrant, ZohoOrg, ZohoPort, ZohoUser } from './zoho-port';
export {
  connectZoho,
  createZohoClients,
  type ZohoClients,
  type ZohoFor,
  zohoFor,
  zohoPort,
} from './zoho-port-adapter';
