import { type AccountsClient, type CrmClient, type ZohoEndpoints, ZohoError } from '../zoho';
import { ServiceError } from './errors';
import type { CrmAnswer, TokenAccount, TokenZoho } from './zoho-gateway';

/** The clients TokenService talks through; the core swaps them when demo mode switches to the simulator. */
export interface ZohoClients {
  readonly endpoints: ZohoEndpoints;
  readonly accounts: AccountsClient;
  readonly crm: CrmClient;
}

function accountsServerOf(clients: ZohoClients, account: TokenAccount): string {
  const resolved = clients.endpoints.resolve(account.dataCenter, account.environment);
  if (!resolved) {
    throw new ServiceError(
      'NOT_SUPPORTED',
      `TokenDesk cannot reach data center ${account.dataCenter} (${account.environment}) right now.`,
      'In demo mode only the simulator’s data centers are available.',
    );
  }
  return resolved.accountsServer;
}

async function crmAnswer<T, R>(
  call: () => Promise<{ value: T; httpStatus: number; latencyMs: number }>,
  map: (value: T) => R,
): Promise<CrmAnswer<R>> {
  try {
    const result = await call();
    return { ok: true, httpStatus: result.httpStatus, latencyMs: result.latencyMs, value: map(result.value) };
  } catch (error) {
    if (error instanceof ZohoError) {
      return {
        ok: false,
        httpStatus: error.httpStatus ?? null,
        latencyMs: error.latencyMs ?? 0,
        code: error.code,
        message: error.message,
      };
    }
    throw error;
  }
}

/**
 * The clients for a token, chosen on every call from the token's API domain (null when it has none yet), so
 * starting demo mode applies at once without sending a real token to the simulator or a demo token to Zoho.
 */
export type ClientsFor = (apiDomain: string | null) => ZohoClients;

/** TokenZoho over src/main/zoho. */
export function createTokenZoho(current: ClientsFor): TokenZoho {
  return {
    async refresh(input) {
      const clients = current(input.apiDomain);
      const grant = await clients.accounts.refresh({
        accountsServer: accountsServerOf(clients, input),
        clientId: input.clientId,
        clientSecret: input.clientSecret,
        refreshToken: input.refreshToken,
        // The answer names the production API domain; a sandbox or developer token keeps its own.
        environment: input.environment,
      });
      return {
        accessToken: grant.accessToken,
        refreshToken: grant.refreshTokenIsNew ? grant.refreshToken : null,
        apiDomain: grant.apiDomain,
        expiryTime: Number(grant.expiryTime),
      };
    },
    async revoke(input) {
      const clients = current(input.apiDomain);
      await clients.accounts.revoke({
        accountsServer: accountsServerOf(clients, input),
        token: input.refreshToken,
      });
    },
    currentUser({ apiDomain, accessToken }) {
      return crmAnswer(
        () => current(apiDomain).crm.currentUser(apiDomain, accessToken),
        (u) => ({ email: u.email, fullName: u.fullName }),
      );
    },
    org({ apiDomain, accessToken }) {
      return crmAnswer(
        () => current(apiDomain).crm.org(apiDomain, accessToken),
        (o) => ({ id: o.id, name: o.companyName }),
      );
    },
  };
}
