/**
 * Child process for the re-key crash test: opens the store named by TOKENDESK_TEST_DB with the old
 * passphrase and changes it to the new one, but stops for good inside the re-key transaction once row
 * TOKENDESK_TEST_STOP_AT has been re-sealed, after printing `midway`, so the parent can SIGKILL it there.
 * A tiny page cache makes SQLite spill the half-done transaction into the WAL first, so the kill leaves
 * uncommitted pages on disk, as a real crash would. Passphrases come from the environment, not argv.
 */
import { writeSync } from 'node:fs';
import { SqliteTokenStore } from '../sqlite-token-store';
import { testProtector } from './temp-store';

const {
  TOKENDESK_TEST_DB: path,
  TOKENDESK_TEST_OLD: oldPassphrase,
  TOKENDESK_TEST_NEW: newPassphrase,
} = process.env;
const stopAt = Number(process.env.TOKENDESK_TEST_STOP_AT);
if (!path || !oldPassphrase || !newPassphrase || !Number.isInteger(stopAt)) {
  throw new Error('TOKENDESK_TEST_DB, _OLD, _NEW and _STOP_AT are required');
}

const store = await SqliteTokenStore.open({ path, protector: testProtector(oldPassphrase) });
store.database.pragma('cache_size = 2');
store.database.function('tokendesk_test_stop', () => {
  writeSync(1, 'midway\n');
  // Block this thread for good, inside the transaction, until the parent kills the process.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  return null;
});
store.database.exec(`CREATE TEMP TRIGGER tokendesk_test_stop AFTER UPDATE OF secrets_enc
  ON main.tokens WHEN NEW.id = ${stopAt} BEGIN SELECT tokendesk_test_stop(); END`);
await store.changeProtector(testProtector(newPassphrase));
writeSync(1, 'finished\n');
