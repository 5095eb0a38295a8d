import { DEMO_SELF_CLIENT, DEMO_USERS } from '../../../../sim/demo-data';
import type { ZohoSimulator } from '../../../../sim/simulator';
import { SessionAuditLog } from '../../audit/session-audit-log';
import { MemoryClipboard } from '../../common/test-support/memory-clipboard';
import { emptyToken, type OAuthToken } from '../../store/oauth-token';
import { createAccountsClient, createCrmClient, localEndpoints, type ZohoClients, zohoFor } from '../../zoho';
import { accountResolver } from '../account-from-api-domain';
import { SourceServices } from '../source-services';

export const US_USER = DEMO_USERS.find((u) => u.dataCenter === 'US')!;
export const SDK_SCOPES = 'ZohoCRM.users.READ,ZohoCRM.org.READ';

/** Zoho clients, the API-domain resolver and per-source services, all pointed at a running simulator. */
export function simWiring(sim: ZohoSimulator) {
  const endpoints = localEndpoints(sim.dataCenters);
  const clients: ZohoClients = {
    endpoints,
    accounts: createAccountsClient({ endpoints, timeoutMs: 5_000 }),
    crm: createCrmClient({ endpoints, timeoutMs: 5_000 }),
  };
  const zoho = zohoFor(() => clients);
  const audit = new SessionAuditLog();
  const services = new SourceServices({ zoho, audit, clipboard: new MemoryClipboard() });
  return { clients, zoho, audit, services, resolve: accountResolver(sim.dataCenters) };
}

/** A fresh token for `email` from the simulator (Self Client grant exchanged), as TokenDesk stores it. */
export async function simToken(
  sim: ZohoSimulator,
  clients: ZohoClients,
  email = US_USER.email,
): Promise<OAuthToken> {
  // An email the simulator does not know becomes a US user of a made-up org.
  if (!sim.users.some((u) => u.email === email)) {
    const zuid = String(800_000_000 + sim.users.length);
    sim.registerUser({ email, fullName: email, zuid, dataCenter: 'US', orgName: 'Test Org (US)' });
  }
  const grant = sim.issueSelfClientGrantCode({
    clientId: DEMO_SELF_CLIENT.clientId,
    scopes: SDK_SCOPES,
    userEmail: email,
  });
  const issued = await clients.accounts.exchangeCode({
    accountsServer: grant.accountsServer,
    clientId: DEMO_SELF_CLIENT.clientId,
    clientSecret: DEMO_SELF_CLIENT.clientSecret,
    code: grant.code,
  });
  return emptyToken({
    userName: email,
    clientId: DEMO_SELF_CLIENT.clientId,
    clientSecret: DEMO_SELF_CLIENT.clientSecret,
    refreshToken: issued.refreshToken,
    accessToken: issued.accessToken,
    expiryTime: issued.expiryTime,
    apiDomain: issued.apiDomain,
    dataCenter: grant.dataCenter,
    environment: 'production',
    scopes: SDK_SCOPES.split(','),
  });
}
