import { afterAll, describe, it } from 'vitest';
import { describeTokenStoreConformance } from '../store/token-store.conformance';
import { createTestTeamStore, pgTestServer } from './test-support/pg-test-server';

const server = await pgTestServer();

if (server.available) {
  const pending: Promise<void>[] = [];
  afterAll(async () => {
    await Promise.all(pending);
  });
  describeTokenStoreConformance('TeamTokenStore (PostgreSQL)', async () => {
    const { store, cleanup } = await createTestTeamStore(server.url);
    // The suite closes without awaiting; the schema is dropped before the file ends.
    return Object.assign(store, { close: () => void pending.push(cleanup()) });
  });
} else {
  describe.skip('TokenStore conformance: TeamTokenStore (PostgreSQL)', () => {
    it('needs a PostgreSQL server (see the printed reason)', () => {});
  });
}
