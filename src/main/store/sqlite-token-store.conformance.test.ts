import type { SqliteTokenStore } from './sqlite-token-store';
import { openTempStore } from './test-support/temp-store';
import { describeTokenStoreConformance } from './token-store.conformance';

describeTokenStoreConformance('SqliteTokenStore', async () => {
  const { store, cleanup } = await openTempStore();
  // Close the database, then remove its directory, after each test.
  const close = store.close.bind(store);
  return Object.assign(store, {
    close: () => {
      close();
      cleanup();
    },
  }) satisfies SqliteTokenStore;
});
