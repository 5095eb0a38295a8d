/**
 * Test wiring for TokenService over real HTTP: the Zoho simulator on loopback, the real Zoho clients, an
 * encrypted SQLite store in a temp dir, and one manual clock shared by the simulator and the service.
 * Used by the service tests and the zoho benchmark; not part of the app.
 */
import { join } from 'node:path';
import {
  createManualClock,
  DEMO_SELF_CLIENT,
  type ManualClock,
  startZohoSimulator,
  type ZohoSimulator,
} from '../../../../sim';
import type { DataCenterId } from '../../../shared/datacenters';
import { SqliteAuditLog } from '../../audit/sqlite-audit-log';
import { MemoryClipboard } from '../../common/test-support/memory-clipboard';
import type { GrantedToken } from '../../oauth/granted-token';
import { emptyToken, type OAuthToken } from '../../store/oauth-token';
import { SqliteTokenStore } from '../../store/sqlite-token-store';
import { tempDir, testProtector } from '../../store/test-support/temp-store';
import { createAccountsClient, createCrmClient, localEndpoints, type ZohoClients, zohoFor } from '../../zoho';
import { SqlitePendingRevokeStore } from '../pending-revoke-store';
import { SqliteTokenNotes } from '../token-notes';
import { TokenService, type TokenServiceDeps } from '../token-service';

export const SCOPES = ['ZohoCRM.users.READ', 'ZohoCRM.org.READ', 'ZohoCRM.modules.ALL'] as const;

export interface ServiceHarness {
  readonly sim: ZohoSimulator;
  readonly clock: ManualClock;
  readonly store: SqliteTokenStore;
  readonly audit: SqliteAuditLog;
  readonly notes: SqliteTokenNotes;
  readonly clipboard: MemoryClipboard;
  readonly service: TokenService;
  readonly clients: ZohoClients;
  readonly changes: string[];
  /** The database file (for a second process, or a scan for plaintext). */
  readonly path: string;
  /** A fresh grant from the simulator for `userEmail` (registered in US if unknown). */
  grant(userEmail?: string, dc?: DataCenterId): Promise<GrantedToken>;
  /** Saves a token and returns the stored row. */
  saveToken(token: OAuthToken): Promise<OAuthToken>;
  /** A grant saved straight to the store (no audit, no revoke), optionally already expired. */
  stored(userEmail?: string, options?: { expired?: boolean }): Promise<OAuthToken>;
  close(): Promise<void>;
}

export async function startServiceHarness(
  overrides: Partial<TokenServiceDeps> = {},
): Promise<ServiceHarness> {
  const clock = createManualClock(Date.UTC(2030, 0, 1));
  const sim = await startZohoSimulator({ clock });
  const endpoints = localEndpoints(sim.dataCenters);
  const clients: ZohoClients = {
    endpoints,
    accounts: createAccountsClient({ endpoints, now: () => clock.now(), timeoutMs: 5_000 }),
    crm: createCrmClient({ endpoints, timeoutMs: 5_000 }),
  };
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'tokens.db');
  const store = await SqliteTokenStore.open({ path, protector: testProtector() });
  const audit = new SqliteAuditLog(store.database, clock);
  const notes = new SqliteTokenNotes(store.database);
  const clipboard = new MemoryClipboard();
  const changes: string[] = [];
  const service = new TokenService({
    store,
    zoho: zohoFor(() => clients),
    audit,
    notes,
    clipboard,
    clock,
    onChanged: (reason) => changes.push(reason),
    pendingRevokes: new SqlitePendingRevokeStore(store),
    ...overrides,
  });

  async function grant(
    userEmail = 'admin@demo-us.example.com',
    dc: DataCenterId = 'US',
  ): Promise<GrantedToken> {
    if (!sim.users.some((u) => u.email === userEmail)) {
      sim.registerUser({
        email: userEmail,
        fullName: userEmail,
        zuid: `9${sim.users.length}`,
        dataCenter: dc,
        orgName: 'Test Org',
      });
    }
    const code = sim.issueSelfClientGrantCode({
      clientId: DEMO_SELF_CLIENT.clientId,
      scopes: [...SCOPES],
      userEmail,
    });
    const tokens = await clients.accounts.exchangeCode({
      accountsServer: code.accountsServer,
      clientId: DEMO_SELF_CLIENT.clientId,
      clientSecret: DEMO_SELF_CLIENT.clientSecret,
      code: code.code,
    });
    // The grant-code limit is 10 per 10 minutes per client: step past it so tests can make many tokens.
    clock.advance(61_000);
    return {
      token: emptyToken({
        userName: userEmail,
        clientId: DEMO_SELF_CLIENT.clientId,
        clientSecret: DEMO_SELF_CLIENT.clientSecret,
        refreshToken: tokens.refreshToken,
        accessToken: tokens.accessToken,
        expiryTime: String(clock.now() + 3_600_000),
        apiDomain: tokens.apiDomain,
        dataCenter: code.dataCenter,
        environment: 'production',
        scopes: [...SCOPES],
      }),
      displayName: null,
    };
  }

  async function saveToken(token: OAuthToken): Promise<OAuthToken> {
    const copy = { ...token };
    await store.saveToken(copy);
    return (await store.findTokenById(copy.id ?? ''))!;
  }

  return {
    sim,
    clock,
    store,
    audit,
    notes,
    clipboard,
    service,
    clients,
    changes,
    path,
    grant,
    saveToken,
    async stored(userEmail, options = {}) {
      const { token } = await grant(userEmail);
      return saveToken({
        ...token,
        expiryTime: options.expired ? String(clock.now() - 1_000) : token.expiryTime,
      });
    },
    async close() {
      await service.close();
      store.close();
      await sim.close();
      cleanup();
    },
  };
}
