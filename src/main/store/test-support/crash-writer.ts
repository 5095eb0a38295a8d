/**
 * Child process for the crash-safety test: opens the store named by TOKENDESK_TEST_DB and saves tokens
 * as fast as it can, printing `saved <id> <n>` after each save returns, until it is killed.
 * The passphrase comes from the environment, not argv, so it never shows in a process list.
 */
import { emptyToken } from '../oauth-token';
import { SqliteTokenStore } from '../sqlite-token-store';
import { testProtector } from './temp-store';

const path = process.env.TOKENDESK_TEST_DB;
const passphrase = process.env.TOKENDESK_TEST_PASSPHRASE;
if (!path || !passphrase) throw new Error('TOKENDESK_TEST_DB and TOKENDESK_TEST_PASSPHRASE are required');

const store = await SqliteTokenStore.open({ path, protector: testProtector(passphrase) });
for (let n = 0; n < 1_000_000; n++) {
  const token = crashToken(n);
  await store.saveToken(token);
  // Updates too, so the kill can land in either kind of write.
  if (n % 3 === 2) await store.saveToken({ ...crashToken(n - 1), accessToken: `1000.updated${n - 1}` });
  process.stdout.write(`saved ${token.id} ${n}\n`);
}

function crashToken(n: number) {
  return emptyToken({
    userName: `crash${n}@example.com`,
    clientId: '1000.CRASH',
    dataCenter: 'EU',
    environment: 'production',
    refreshToken: `1000.crashrefresh${n}`,
    accessToken: `1000.crashaccess${n}`,
  });
}
