import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import { wordingOf } from '../../shared/errors/error-wording';
import { type AccountsClient, createAccountsClient, type TokenGrant } from './accounts-client';
import { type CrmClient, createCrmClient } from './crm-client';
import type { ZohoEndpoints } from './endpoints';
import { ZohoError } from './errors';
import type { HttpOptions } from './http';
import type { ZohoGrant, ZohoPort } from './zoho-port';

/** The clients one Zoho (real, or the simulator in demo mode) is reached through. */
export interface ZohoClients {
  readonly endpoints: ZohoEndpoints;
  readonly accounts: AccountsClient;
  readonly crm: Pick<CrmClient, 'currentUser' | 'org'>;
}

/** Fresh accounts and CRM clients for `endpoints` (real Zoho or the simulator's `localEndpoints`). */
export function createZohoClients(
  options: HttpOptions & { readonly endpoints: ZohoEndpoints; readonly now?: () => number },
): ZohoClients {
  return {
    endpoints: options.endpoints,
    accounts: createAccountsClient(options),
    crm: createCrmClient(options),
  };
}

/** The port over fresh clients: `zohoPort(createZohoClients(options))`. */
export function connectZoho(
  options: HttpOptions & { readonly endpoints: ZohoEndpoints; readonly now?: () => number },
): ZohoPort {
  return zohoPort(createZohoClients(options));
}

/**
 * The port for a stored token, chosen by its API domain (null when it has none yet): while demo mode
 * runs, a simulator token and a real Zoho token live side by side, and each is refreshed and revoked where
 * it was issued. The choice is made on every call, so starting demo mode applies at once.
 */
export type ZohoFor = (apiDomain: string | null) => ZohoPort;

/** A `ZohoFor` over whichever clients `current` picks for the API domain. */
export function zohoFor(current: (apiDomain: string | null) => ZohoClients): ZohoFor {
  return (apiDomain) => zohoPort(current(apiDomain));
}

function grantOf(g: TokenGrant): ZohoGrant {
  return {
    accessToken: g.accessToken,
    refreshToken: g.refreshTokenIsNew ? g.refreshToken : null,
    apiDomain: g.apiDomain,
    expiryTime: g.expiryTime,
  };
}

/** ZohoPort over the accounts and CRM clients of `clients`. */
export function zohoPort(clients: ZohoClients): ZohoPort {
  const { endpoints, accounts, crm } = clients;
  const resolve = (dataCenter: DataCenterId, environment: ZohoEnvironment) => {
    const found = endpoints.resolve(dataCenter, environment);
    if (!found) {
      throw new ZohoError(
        'UNKNOWN_DATA_CENTER',
        `The ${dataCenter} data center (${environment}) is not available here.`,
        { hint: wordingOf('UNKNOWN_DATA_CENTER').hint },
      );
    }
    return found;
  };
  return {
    accountsServer: (dc, env) => resolve(dc, env).accountsServer,
    apiDomain: (dc, env) => resolve(dc, env).apiDomain,
    trustedAccountsServer: (url) => endpoints.dataCenterOfAccountsServer(url),
    async exchangeCode(input) {
      return grantOf(
        await accounts.exchangeCode({
          accountsServer: input.accountsServer,
          clientId: input.clientId,
          clientSecret: input.clientSecret,
          code: input.code,
          environment: input.environment,
          ...(input.redirectUri !== null ? { redirectUri: input.redirectUri } : {}),
          ...(input.codeVerifier !== undefined ? { codeVerifier: input.codeVerifier } : {}),
          ...(input.signal ? { signal: input.signal } : {}),
        }),
      );
    },
    async refresh(input) {
      return grantOf(
        await accounts.refresh({
          accountsServer: input.accountsServer,
          clientId: input.clientId,
          clientSecret: input.clientSecret,
          refreshToken: input.refreshToken,
          environment: input.environment,
          ...(input.signal ? { signal: input.signal } : {}),
        }),
      );
    },
    revoke: (input) => accounts.revoke({ accountsServer: input.accountsServer, token: input.refreshToken }),
    async currentUser({ apiDomain, accessToken, signal }) {
      const answer = await crm.currentUser(apiDomain, accessToken, signal);
      return { ...answer, value: { email: answer.value.email, fullName: answer.value.fullName } };
    },
    async org({ apiDomain, accessToken, signal }) {
      const answer = await crm.org(apiDomain, accessToken, signal);
      const { id, companyName, zgid } = answer.value;
      return { ...answer, value: { id, name: companyName, zgid } };
    },
  };
}
