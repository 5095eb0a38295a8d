import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import { createLogger } from '../log';
import { sdkUserName } from '../store/sdk-user-name';
import { type AccountsClient, createAccountsClient } from '../zoho/accounts-client';
import { type CrmClient, createCrmClient } from '../zoho/crm-client';
import type { ZohoEndpoints } from '../zoho/endpoints';
import { ZohoError } from '../zoho/errors';
import type { HttpOptions } from '../zoho/http';
import { SignInError } from './errors';
import type { SignInZoho, TokenGrant } from './zoho-port';

const log = createLogger('oauth.zoho');

/** The flows' Zoho port over fresh accounts and CRM clients for `endpoints` (real Zoho or the simulator). */
export function createSignInZoho(
  options: HttpOptions & { readonly endpoints: ZohoEndpoints; readonly now?: () => number },
): SignInZoho {
  return zohoSignInPort({
    endpoints: options.endpoints,
    accounts: createAccountsClient(options),
    crm: createCrmClient(options),
  });
}

/**
 * Builds the flows' view of Zoho from the endpoints table (real Zoho, or the simulator's
 * `localEndpoints`), the accounts client and the CRM client.
 */
export function zohoSignInPort(deps: {
  readonly endpoints: ZohoEndpoints;
  readonly accounts: AccountsClient;
  readonly crm: Pick<CrmClient, 'currentUser' | 'org'>;
}): SignInZoho {
  const { endpoints, accounts, crm } = deps;
  const resolve = (dataCenter: DataCenterId, environment: ZohoEnvironment) => {
    const found = endpoints.resolve(dataCenter, environment);
    if (!found) {
      throw new SignInError(
        'UNKNOWN_DATA_CENTER',
        `The ${dataCenter} data center is not available here.`,
        'Choose one of the data centers listed in TokenDesk.',
      );
    }
    return found;
  };
  const grant = (g: Awaited<ReturnType<AccountsClient['refresh']>>): TokenGrant => ({
    accessToken: g.accessToken,
    refreshToken: g.refreshTokenIsNew ? g.refreshToken : null,
    apiDomain: g.apiDomain,
    expiryTime: g.expiryTime,
  });
  return {
    accountsServer: (dc, env) => resolve(dc, env).accountsServer,
    apiDomain: (dc, env) => resolve(dc, env).apiDomain,
    trustedAccountsServer: (url) => endpoints.dataCenterOfAccountsServer(url),
    async exchangeCode(input) {
      return grant(
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
      return grant(
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
    async currentUser(input) {
      const { value } = await crm.currentUser(input.apiDomain, input.accessToken, input.signal);
      let zgid: string | null = null;
      try {
        zgid = (await crm.org(input.apiDomain, input.accessToken, input.signal)).value.zgid;
      } catch (err) {
        // A cancel ends the sign-in; anything else (no org scope) only costs the SDK's form of the name.
        if (input.signal?.aborted) throw err;
        log.info('No org zgid for the user name; storing the email', {
          errorCode: err instanceof ZohoError ? err.code : 'unknown',
        });
      }
      return { email: value.email, fullName: value.fullName, userName: sdkUserName(value.email, zgid) };
    },
  };
}
