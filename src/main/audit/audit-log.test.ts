import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../common/csv';
import type { AuditLog } from './audit-log';
import { SessionAuditLog } from './session-audit-log';
import { SqliteAuditLog } from './sqlite-audit-log';

/** Minimal RFC 4180 parser, to check the export round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('csv', () => {
  it('quotes per RFC 4180 and guards formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    for (const start of ['=', '+', '-', '@']) expect(csvCell(`${start}cmd`)).toBe(`'${start}cmd`);
    expect(csvCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(toCsv(['a', 'b'], [['1', '2']])).toBe('a,b\r\n1,2\r\n');
  });
});

const implementations: [string, () => { log: AuditLog; close: () => void }][] = [
  ['memory', () => ({ log: new SessionAuditLog(clock), close: () => {} })],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tokendesk-audit-'));
      const db = new Database(join(dir, 'audit.db'));
      const log = new SqliteAuditLog(db, clock);
      // Opening twice must be harmless (CREATE ... IF NOT EXISTS).
      new SqliteAuditLog(db, clock);
      return {
        log,
        close: () => {
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
];

let now = 1_700_000_000_000;
const clock = { now: () => now };

describe.each(implementations)('%s audit log', (_name, make) => {
  let log: AuditLog;
  let close: () => void;
  beforeEach(() => {
    now = 1_700_000_000_000;
    ({ log, close } = make());
  });
  afterEach(() => close());

  it('lists newest first and filters by action, outcome, token, text and time', () => {
    log.record({
      action: 'grant',
      outcome: 'success',
      tokenId: '1',
      userName: 'ann@example.com',
      detail: 'Signed in.',
    });
    now += 1000;
    log.record({
      action: 'refresh',
      outcome: 'failure',
      tokenId: '1',
      userName: 'ann@example.com',
      detail: 'Zoho 100% down_',
    });
    now += 1000;
    log.record({
      action: 'refresh',
      outcome: 'success',
      tokenId: '2',
      userName: 'bob@example.com',
      detail: 'ok',
    });

    expect(log.list().map((e) => e.action)).toEqual(['refresh', 'refresh', 'grant']);
    expect(log.list({ action: 'refresh' })).toHaveLength(2);
    expect(log.list({ outcome: 'failure' })).toHaveLength(1);
    expect(log.list({ tokenId: '1' })).toHaveLength(2);
    expect(log.list({ text: 'BOB' })).toHaveLength(1);
    // LIKE wildcards in the user's text are literal.
    expect(log.list({ text: '100%' })).toHaveLength(1);
    expect(log.list({ text: '%' })).toHaveLength(1);
    expect(log.list({ text: '_' })).toHaveLength(1);
    expect(log.list({ since: 1_700_000_001_000 })).toHaveLength(2);
    expect(log.list({ limit: 1 })).toHaveLength(1);
  });

  it('keeps the source and a partial outcome as fields, filters by them, and puts the source in the CSV', () => {
    log.record({ action: 'refresh', outcome: 'success', tokenId: '1', detail: 'Refreshed.' });
    now += 1000;
    log.record({
      action: 'clear',
      outcome: 'partial',
      source: 'FileStore sdk_tokens.txt',
      detail: 'Clear all, partly done: 2 of 3 tokens deleted.',
    });
    now += 1000;
    log.record({
      action: 'revoke',
      outcome: 'failure',
      source: 'tokens@db:3306/zohooauth.oauthtoken',
      tokenId: '1',
      detail: 'Zoho did not confirm the revoke.',
    });

    expect(log.list({ outcome: 'partial' }).map((e) => [e.action, e.source])).toEqual([
      ['clear', 'FileStore sdk_tokens.txt'],
    ]);
    expect(log.list({ outcome: 'failure' }).map((e) => e.action)).toEqual(['revoke']);
    expect(log.list({ source: 'FileStore sdk_tokens.txt' }).map((e) => e.action)).toEqual(['clear']);
    // `local`: the rows of the store that keeps this log.
    expect(log.list({ source: 'local' }).map((e) => [e.action, e.source])).toEqual([['refresh', null]]);
    expect(log.list({ source: 'tokens@db:3306/zohooauth.oauthtoken', tokenId: '1' })).toHaveLength(1);
    const rows = parseCsv(log.exportCsv({ outcome: 'partial' }).csv);
    expect(rows[1]?.slice(2)).toEqual([
      'clear',
      'FileStore sdk_tokens.txt',
      '',
      '',
      'partial',
      'Clear all, partly done: 2 of 3 tokens deleted.',
    ]);
  });

  it('redacts anything token-shaped that slips into a detail', () => {
    const secret = '1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210';
    log.record({ action: 'test', outcome: 'failure', detail: `oops ${secret} refresh_token=abc` });
    const [row] = log.list();
    expect(row?.detail).not.toContain(secret);
    expect(row?.detail).not.toContain('abc');
  });

  it('exports CSV with quoting and the formula guard, and audits the export', () => {
    log.record({
      action: 'delete',
      outcome: 'success',
      tokenId: '7',
      userName: '=cmd|x',
      detail: 'a "quoted", multi\nline',
    });
    const { csv, count } = log.exportCsv({ action: 'delete' });
    expect(count).toBe(1);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(['id', 'time', 'action', 'source', 'token_id', 'user', 'outcome', 'detail']);
    expect(rows[1]?.slice(2)).toEqual(['delete', '', '7', "'=cmd|x", 'success', 'a "quoted", multi\nline']);
    const exports = log.list({ action: 'export' });
    expect(exports).toHaveLength(1);
    expect(exports[0]?.detail).toContain('Exported 1 audit rows');
  });
});

describe('the SQLite audit table of the first shape (no source, two outcomes)', () => {
  it('is rebuilt with every row kept: "Partly done" failures become partial, a bracketed source becomes the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokendesk-audit-v1-'));
    const db = new Database(join(dir, 'audit.db'));
    try {
      db.exec(`
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, action TEXT NOT NULL, token_id TEXT,
          user_name TEXT, outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')), detail TEXT NOT NULL
        );
        INSERT INTO audit_log (at, action, token_id, user_name, outcome, detail) VALUES
          (1, 'grant', '1', 'ann@example.com', 'success', 'Signed in.'),
          (2, 'delete', '1', 'ann@example.com', 'failure', 'Partly done: deleted from this computer, but Zoho did not revoke it.'),
          (3, 'clear', NULL, NULL, 'failure', 'Clear all, partly done: 1 of 2 tokens deleted from this computer.'),
          (4, 'revoke', '2', 'bob@example.com', 'success', '[FileStore sdk_tokens.txt] Revoked at Zoho.'),
          (5, 'refresh', '2', NULL, 'failure', 'Zoho answered invalid_code [twice] ok');
      `);
      const log = new SqliteAuditLog(db, clock);
      const rows = log.list().reverse();
      expect(rows.map((r) => [r.id, r.action, r.outcome, r.source, r.userName])).toEqual([
        [1, 'grant', 'success', null, 'ann@example.com'],
        [2, 'delete', 'partial', null, 'ann@example.com'],
        [3, 'clear', 'partial', null, null],
        [4, 'revoke', 'success', 'FileStore sdk_tokens.txt', 'bob@example.com'],
        [5, 'refresh', 'failure', null, null],
      ]);
      // The detail is kept as written.
      expect(rows[3]?.detail).toBe('[FileStore sdk_tokens.txt] Revoked at Zoho.');
      // New rows continue the ids and may be partial; opening again changes nothing.
      now = 10;
      expect(log.record({ action: 'clear', outcome: 'partial', detail: 'x' }).id).toBe(6);
      new SqliteAuditLog(db, clock);
      expect(new SqliteAuditLog(db, clock).list()).toHaveLength(6);
      expect(() =>
        db.prepare("INSERT INTO audit_log (at, action, outcome, detail) VALUES (1, 'x', 'maybe', 'x')").run(),
      ).toThrow(/CHECK constraint/);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
