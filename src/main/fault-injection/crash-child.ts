/**
 * Child process for the SIGKILL scenarios (crash.test.ts): opens the store named by TOKENDESK_TEST_DB,
 * talks to the parent's simulator, prints `started`, then runs one operation that the parent kills
 * while Zoho holds its revoke request. The passphrase comes from the environment, never argv.
 */
import type { SimDataCenter } from '../../../sim/types';
import { SqliteAuditLog } from '../audit/sqlite-audit-log';
import { MemoryClipboard } from '../common/test-support/memory-clipboard';
import type { GrantedToken } from '../oauth/granted-token';
import { SqliteTokenStore } from '../store/sqlite-token-store';
import { testProtector } from '../store/test-support/temp-store';
import { SqlitePendingRevokeStore } from '../tokens/pending-revoke-store';
import { SqliteTokenNotes } from '../tokens/token-notes';
import { TokenService } from '../tokens/token-service';
import { createAccountsClient, createCrmClient, localEndpoints, zohoFor } from '../zoho';

const { TOKENDESK_TEST_DB: path, TOKENDESK_TEST_PASSPHRASE: passphrase, CRASH_INPUT: input } = process.env;
if (!path || !passphrase || !input)
  throw new Error('TOKENDESK_TEST_DB, TOKENDESK_TEST_PASSPHRASE and CRASH_INPUT are required');
const { operation, dataCenters, granted, tokenId } = JSON.parse(input) as {
  operation: 'sign-in-again' | 'delete-anyway';
  dataCenters: SimDataCenter[];
  granted?: GrantedToken;
  tokenId?: string;
};

const endpoints = localEndpoints(dataCenters);
const clients = {
  endpoints,
  accounts: createAccountsClient({ endpoints, timeoutMs: 60_000 }),
  crm: createCrmClient({ endpoints, timeoutMs: 60_000 }),
};
const store = await SqliteTokenStore.open({ path, protector: testProtector(passphrase) });
const service = new TokenService({
  store,
  zoho: zohoFor(() => clients),
  audit: new SqliteAuditLog(store.database),
  notes: new SqliteTokenNotes(store.database),
  clipboard: new MemoryClipboard(),
  pendingRevokes: new SqlitePendingRevokeStore(store),
});
process.stdout.write('started\n');
if (operation === 'sign-in-again' && granted) await service.saveGranted(granted);
if (operation === 'delete-anyway' && tokenId) {
  await service.delete(tokenId, { revoke: true, deleteIfRevokeFails: true });
}
process.stdout.write('finished\n');
