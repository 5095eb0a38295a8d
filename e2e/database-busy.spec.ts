import { join } from 'node:path';
import { DB_FILE } from '../src/main/core/store-lifecycle';
import { holdWriteLock } from '../src/main/store/test-support/write-lock';
import { expect, test } from './harness/fixtures';
import { US_USER } from './harness/harness';
import { rowFor } from './harness/ui';

/**
 * Another program (a second, real process) holds the database's write lock: the console keeps working,
 * says so above the page, a write is refused in plain words with nothing changed, and the notice goes
 * once the other program lets go.
 */
test('a database held by another program: the console says so, refuses the write plainly, and recovers', async ({
  app,
}) => {
  const granted = await app.grantAccount(US_USER.email);
  await app.open();
  await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);

  const lock = await holdWriteLock(join(app.dataDir, DB_FILE));
  try {
    const result = await app.invoke('deleteToken', { id: granted.id, revoke: false });
    // Told what happened: not deleted, because another program holds the database.
    expect(result).toMatchObject({
      ok: true,
      value: { deleted: false, deleteError: 'the database is busy (held by another program)' },
    });
    const notice = app.page.getByTestId('database-busy');
    await expect(notice).toContainText('The database is busy (held by another program)');
    // Reads still answer: the list reloads, the token is still there.
    await app.page.reload();
    await expect(rowFor(app.page, US_USER.email)).toHaveCount(1);
  } finally {
    await lock.release();
  }
  await expect(app.page.getByTestId('database-busy')).toHaveCount(0);
  expect((await app.storedTokens()).map((t) => t.id)).toEqual([granted.id]);
});
