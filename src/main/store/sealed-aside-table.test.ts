import { afterEach, describe, expect, it } from 'vitest';
import { SealedAsideTable } from './sealed-aside-table';
import { SqliteTokenStore } from './sqlite-token-store';
import { openTempStore, testProtector } from './test-support/temp-store';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function store() {
  const opened = await openTempStore('first passphrase');
  cleanups.push(opened.cleanup);
  cleanups.push(() => opened.store.close());
  return opened;
}

/** Replaces one row's envelope with another row's, as someone editing the file might. */
function swapEnvelope(db: SqliteTokenStore['database'], table: string, from: string, to: string) {
  const { sealed } = db.prepare(`SELECT sealed FROM ${table} WHERE id = ?`).get(from) as { sealed: Buffer };
  db.prepare(`UPDATE ${table} SET sealed = ? WHERE id = ?`).run(sealed, to);
}

describe('SealedAsideTable (texts sealed beside the tokens)', () => {
  it('keeps texts sealed in the store file, in the order written; a moved envelope does not open', async () => {
    const { store: s } = await store();
    const table = new SealedAsideTable(s, { table: 'aside_test', bindingPrefix: 'aside-test' });
    table.write('b', 'the password of b');
    table.write('a', 'the password of a');
    table.write('b', 'a new password of b');
    expect(table.all()).toEqual([
      { id: 'b', text: 'a new password of b' },
      { id: 'a', text: 'the password of a' },
    ]);
    const raw = s.database.prepare('SELECT sealed FROM aside_test').all() as { sealed: Buffer }[];
    for (const row of raw) expect(row.sealed.toString('latin1')).not.toContain('password');
    // Another table's rows (another prefix) never open as this one's.
    const other = new SealedAsideTable(s, { table: 'aside_other', bindingPrefix: 'aside-other' });
    other.write('a', 'other');
    swapEnvelope(s.database, 'aside_test', 'a', 'b');
    expect(table.all()).toEqual([
      { id: 'b', text: null },
      { id: 'a', text: 'the password of a' },
    ]);
    expect(() => table.read('b')).toThrow();
    expect(table.read('missing')).toBeNull();
    table.remove('b');
    expect(table.all().map((r) => r.id)).toEqual(['a']);
  });

  it('a passphrase change moves every row to the new key; an unmovable row is kept as it was, or fails the change', async () => {
    const { store: s, path } = await store();
    const unmovable: string[] = [];
    const lenient = new SealedAsideTable(s, {
      table: 'lenient',
      bindingPrefix: 'lenient',
      onUnmovable: (id) => unmovable.push(id),
    });
    const strict = new SealedAsideTable(s, { table: 'strict', bindingPrefix: 'strict' });
    lenient.write('ok', 'moves');
    lenient.write('bad', 'will be damaged');
    strict.write('key', 'must never be lost');
    swapEnvelope(s.database, 'lenient', 'ok', 'bad');

    await s.changeProtector(testProtector('second passphrase'));
    expect(unmovable).toEqual(['bad']);
    expect(lenient.all()).toEqual([
      { id: 'ok', text: 'moves' },
      { id: 'bad', text: null },
    ]);
    expect(strict.read('key')).toBe('must never be lost');

    // A strict table's row that does not open fails the change, which rolls back whole.
    strict.write('other', 'x');
    swapEnvelope(s.database, 'strict', 'key', 'other');
    await expect(s.changeProtector(testProtector('third passphrase'))).rejects.toThrow();
    s.close();
    const reopened = await SqliteTokenStore.open({ path, protector: testProtector('second passphrase') });
    cleanups.push(() => reopened.close());
    const again = new SealedAsideTable(reopened, { table: 'strict', bindingPrefix: 'strict' });
    expect(again.read('key')).toBe('must never be lost');
  });
});
