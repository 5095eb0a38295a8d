import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_LABEL_MAX, TOKEN_NOTE_MAX } from '../../shared/ipc/labels';
import { tempDir } from '../store/test-support/temp-store';
import { annotate, LabelError, SqliteTokenLabels } from './token-labels';

let dir: { dir: string; cleanup: () => void };
let db: Database.Database;
let path: string;

beforeEach(() => {
  dir = tempDir();
  path = join(dir.dir, 'labels.db');
  db = new Database(path);
});
afterEach(() => {
  db.close();
  dir.cleanup();
});

/** What another connection (a restart) reads from the file. */
function onDisk(sql: string, ...params: unknown[]): unknown[] {
  const other = new Database(path, { readonly: true });
  try {
    return other.prepare(sql).all(...params);
  } finally {
    other.close();
  }
}

describe('SqliteTokenLabels', () => {
  it('keeps a label and a note per source and token id, normalised and trimmed, across a reopen', async () => {
    const labels = await SqliteTokenLabels.open(db, () => 1000);
    // "é" typed as e + combining accent is stored composed (NFC), like every stored text.
    const saved = await labels.setLabel('local', '1', {
      label: '  cafe\u0301 forms ',
      note: 'line 1\nline 2',
    });
    expect(saved).toEqual({ label: 'caf\u00e9 forms', note: 'line 1\nline 2' });
    await labels.setLabel('file-1', '1', { label: 'other source', note: '' });

    const reopened = await SqliteTokenLabels.open(new Database(path));
    expect(reopened.label('local', '1')).toEqual({
      label: 'caf\u00e9 forms',
      note: 'line 1\nline 2',
      orgName: null,
    });
    expect(reopened.label('file-1', '1')).toEqual({ label: 'other source', note: null, orgName: null });
    expect(reopened.label('local', '2')).toEqual({ label: null, note: null, orgName: null });
  });

  it('refuses a label over the limit or with a control character, naming the rule, and writes nothing', async () => {
    const labels = await SqliteTokenLabels.open(db);
    await labels.setLabel('local', '1', { label: 'kept', note: 'kept too' });
    const long = 'x'.repeat(TOKEN_LABEL_MAX + 1);
    await expect(labels.setLabel('local', '1', { label: long, note: '' })).rejects.toThrow(
      `A label can be at most ${TOKEN_LABEL_MAX} characters; this one has ${TOKEN_LABEL_MAX + 1}.`,
    );
    await expect(labels.setLabel('local', '1', { label: 'a\u0007b', note: '' })).rejects.toThrow(LabelError);
    await expect(
      labels.setLabel('local', '1', { label: 'ok', note: 'n'.repeat(TOKEN_NOTE_MAX + 1) }),
    ).rejects.toThrow(`A note can be at most ${TOKEN_NOTE_MAX} characters`);
    expect(onDisk('SELECT label, note FROM token_labels')).toEqual([{ label: 'kept', note: 'kept too' }]);
  });

  it('counts characters, not UTF-16 units: 80 emoji fit a label', async () => {
    const labels = await SqliteTokenLabels.open(db);
    const emoji = '\u{1F511}'.repeat(TOKEN_LABEL_MAX);
    expect((await labels.setLabel('local', '1', { label: emoji, note: '' })).label).toBe(emoji);
  });

  it('keeps bidi and invisible characters as typed (the window shows them escaped)', async () => {
    const labels = await SqliteTokenLabels.open(db);
    const tricky = 'evil\u202Egnp.exe\u200B';
    await labels.setLabel('local', '1', { label: tricky, note: '' });
    expect(onDisk('SELECT label FROM token_labels')).toEqual([{ label: tricky }]);
  });

  it('a lone surrogate is stored as U+FFFD (like every stored text); an organisation from Zoho is kept as sent', async () => {
    const labels = await SqliteTokenLabels.open(db);
    expect((await labels.setLabel('local', '1', { label: 'a\uD800b', note: '' })).label).toBe('a\uFFFDb');
    const org = "before\u0000after \u202Emoc.evil'); DROP TABLE token_labels;--";
    labels.recordOrgName('local', '1', org);
    expect(onDisk('SELECT label, org_name FROM token_labels')).toEqual([
      { label: 'a\uFFFDb', org_name: org },
    ]);
  });

  it('clearing both texts removes the row; the organisation keeps it', async () => {
    const labels = await SqliteTokenLabels.open(db);
    await labels.setLabel('local', '1', { label: 'a', note: 'b' });
    await labels.setLabel('local', '1', { label: ' ', note: '' });
    expect(onDisk('SELECT * FROM token_labels')).toEqual([]);
    labels.recordOrgName('local', '2', 'Acme Ltd');
    await labels.setLabel('local', '2', { label: '', note: '' });
    expect(onDisk('SELECT token_id, org_name FROM token_labels')).toEqual([
      { token_id: '2', org_name: 'Acme Ltd' },
    ]);
  });

  it('names a client by its id for every token and source; blank removes the name', async () => {
    const labels = await SqliteTokenLabels.open(db);
    expect(await labels.setClientName(' 1000.ABC ', ' Website forms ')).toBe('Website forms');
    expect(labels.clientName('1000.ABC')).toBe('Website forms');
    await expect(labels.setClientName('1000.ABC', 'x'.repeat(81))).rejects.toThrow(
      'A client name can be at most 80 characters; this one has 81.',
    );
    await expect(labels.setClientName('1000.ABC', 'two\nlines')).rejects.toThrow(
      'A client name must be one line without control characters (found U+000A).',
    );
    expect(await labels.setClientName('1000.ABC', '')).toBeNull();
    expect(onDisk('SELECT * FROM client_names')).toEqual([]);
  });

  it('forgets a deleted token of one source only', async () => {
    const labels = await SqliteTokenLabels.open(db);
    await labels.setLabel('local', '1', { label: 'a', note: '' });
    await labels.setLabel('team', '1', { label: 'b', note: '' });
    labels.forget('local', '1');
    expect(onDisk('SELECT source_id, label FROM token_labels')).toEqual([{ source_id: 'team', label: 'b' }]);
  });

  it('annotates a list: client name by client id, label by token id, organisation falling back to the last test', async () => {
    const labels = await SqliteTokenLabels.open(db);
    await labels.setClientName('1000.A', 'Billing sync');
    await labels.setLabel('local', '1', { label: 'website forms', note: 'leaver 2026-11' });
    labels.recordOrgName('local', '1', 'Acme');
    const views = [
      { id: '1', clientId: '1000.A', lastOrg: 'Old name' },
      { id: '2', clientId: '1000.B', lastOrg: 'Tested Org' },
      { id: '3', clientId: null, lastOrg: null },
    ];
    const out = annotate(views, labels.annotations('local'), (v) => v.lastOrg);
    expect(out.map(({ clientName, label, note, orgName }) => ({ clientName, label, note, orgName }))).toEqual(
      [
        { clientName: 'Billing sync', label: 'website forms', note: 'leaver 2026-11', orgName: 'Acme' },
        { clientName: null, label: null, note: null, orgName: 'Tested Org' },
        { clientName: null, label: null, note: null, orgName: null },
      ],
    );
    // Another source's labels are not this one's.
    expect(annotate(views, labels.annotations('team'), () => null)[0]?.label).toBeNull();
  });

  it('opening a store that has the tables takes no write lock (another program may hold it)', async () => {
    await SqliteTokenLabels.open(db);
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      db.pragma('busy_timeout = 0');
      await expect(SqliteTokenLabels.open(db)).resolves.toBeInstanceOf(SqliteTokenLabels);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});
