import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteAuditLog } from '../audit/sqlite-audit-log';
import { SqliteTokenNotes } from '../tokens/token-notes';
import { emptyToken, type OAuthToken } from './oauth-token';
import { storedSecret, storedText } from './stored-text';
import { MemoryTokenStore } from './test-support/memory-token-store';
import { openTempStore, tempDir } from './test-support/temp-store';
import type { ListableTokenStore } from './token-store';

/**
 * Every text column of the token store with strings a CRM user (or a hostile one) can type: each is saved,
 * read back (by id, by list, by user and by token value), updated the way a refresh updates a row, and
 * deleted. Text comes back as the store keeps it: well-formed UTF-16 and NFC (stored-text.ts).
 */
const HOSTILE: Readonly<Record<string, string>> = {
  'lone high surrogate': 'a\uD800b',
  'lone low surrogate': '\uDC00tail',
  'surrogates in the wrong order': '\uDC00\uD83D',
  'NUL inside': 'before\u0000after',
  'right-to-left override': '\u202Emoc.live@nimda',
  'every bidi control': '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C',
  'control characters and an ANSI escape': '\u0001\u0007\u001b[31mred\u001b[0m\r\n\t',
  'zero-width and BOM': 'ad\u200Bmin\uFEFF\u2060',
  'very long': 'x'.repeat(200_000),
  'emoji with joiners and a flag': '👩‍👩‍👧‍👦 🏳️‍🌈 🇪🇺 😀',
  'decomposed accent (NFD)': 'Jose\u0301@example.com',
  'stacked combining marks': 'Z\u0337\u0322\u031Ba\u0335l\u0336g\u0334o\u0338',
  'Angstrom sign (NFC changes it)': '\u212Bngstr\u00F6m',
  'SQL and JSON breakers': `'); DROP TABLE tokens;-- "]} \\ % _`,
};

/** The columns a caller can fill with text. Data center and environment are enums (tested below). */
const TEXT_FIELDS = [
  'userName',
  'clientId',
  'expiryTime',
  'redirectUrl',
  'apiDomain',
  'lastError',
  'scopes',
  'clientSecret',
  'refreshToken',
  'accessToken',
  'grantToken',
] as const;
type TextField = (typeof TEXT_FIELDS)[number];
const SECRETS: ReadonlySet<TextField> = new Set([
  'clientSecret',
  'refreshToken',
  'accessToken',
  'grantToken',
]);

function base(n: number): OAuthToken {
  return emptyToken({
    userName: `user${n}@example.com`,
    clientId: '1000.CLIENT',
    clientSecret: 'client-secret',
    refreshToken: `1000.refresh.${n}`,
    accessToken: `1000.access.${n}`,
    grantToken: null,
    expiryTime: '1893456000000',
    redirectUrl: 'http://127.0.0.1:53682/callback',
    apiDomain: 'https://www.zohoapis.com',
    dataCenter: 'US',
    environment: 'production',
    scopes: ['ZohoCRM.users.READ'],
  });
}

/** The token with `value` in `field` (made unique per token where the field identifies a row). */
function withValue(n: number, field: TextField, value: string): OAuthToken {
  const unique = `${value}#${n}`;
  const token = base(n);
  if (field === 'scopes') return { ...token, scopes: [value, 'ZohoCRM.org.READ'] };
  if (field === 'userName' || field === 'refreshToken' || field === 'accessToken' || field === 'grantToken')
    return { ...token, [field]: unique };
  return { ...token, [field]: value };
}

function expectedOf(field: TextField, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v: string) => storedText(v));
  if (typeof value !== 'string') return value;
  return SECRETS.has(field) ? storedSecret(value) : storedText(value);
}

function describeHostileText(name: string, open: () => Promise<ListableTokenStore & { close(): void }>) {
  describe(`hostile text in every column: ${name}`, () => {
    let store: ListableTokenStore & { close(): void };
    afterEach(() => store?.close());

    const cases = Object.entries(HOSTILE).flatMap(([label, value]) =>
      TEXT_FIELDS.map((field) => ({ label, value, field })),
    );

    it.each(cases)('$field: $label is saved, read back, refreshed and deleted', async ({ value, field }) => {
      store = await open();
      // A neighbour row that must stay untouched whatever happens to the hostile one.
      const neighbour = base(0);
      await store.saveToken(neighbour);

      const token = withValue(1, field, value);
      await store.saveToken(token);
      expect(token.id).toMatch(/^[1-9][0-9]*$/);
      const id = token.id!;
      const expected = expectedOf(field, token[field]);

      // Read back by id and in the list: readable, the value as stored.
      const byId = await store.findTokenById(id);
      expect(byId?.[field]).toEqual(expected);
      const entries = await store.listEntries();
      expect(entries.map((e) => e.ok)).toEqual([true, true]);
      const listed = entries.find((e) => e.ok && e.token.id === id);
      expect(listed?.ok && listed.token[field]).toEqual(expected);

      // Found again by what identifies it, given as the caller first typed it.
      if (field === 'userName') {
        expect((await store.findToken(emptyToken({ userName: token.userName })))?.id).toBe(id);
      } else if (field === 'refreshToken' || field === 'accessToken') {
        expect((await store.findToken(emptyToken({ [field]: token[field] })))?.id).toBe(id);
      } else {
        expect((await store.findToken(emptyToken({ refreshToken: token.refreshToken })))?.id).toBe(id);
      }

      // Refreshed: what the refresher does (new access token and expiry on the same row, by id).
      const refreshed = { ...byId!, accessToken: `1000.after-refresh.${field}`, expiryTime: '1893459600000' };
      if (field === 'accessToken') refreshed.accessToken = `${token.accessToken}-2`;
      if (field === 'expiryTime') refreshed.expiryTime = `${value}-2`;
      await store.saveToken(refreshed);
      expect(refreshed.id).toBe(id);
      const after = await store.findTokenById(id);
      expect(after?.accessToken).toBe(expectedOf('accessToken', refreshed.accessToken));
      if (field !== 'accessToken' && field !== 'expiryTime') expect(after?.[field]).toEqual(expected);
      expect((await store.listEntries()).every((e) => e.ok)).toBe(true);
      // A second save of the caller's original object (an SDK saving again) updates, never duplicates.
      await store.saveToken(withValue(1, field, value));
      expect(await store.getTokens()).toHaveLength(2);

      // Deleted: gone, the neighbour intact.
      await store.deleteToken(id);
      expect(await store.findTokenById(id)).toBeNull();
      const left = await store.listEntries();
      expect(left).toHaveLength(1);
      expect(left[0]?.ok && left[0].token.refreshToken).toBe(neighbour.refreshToken);
    });

    it('looks a user up by either Unicode form of the same name', async () => {
      store = await open();
      const token = base(1);
      token.userName = 'Jose\u0301@example.com';
      await store.saveToken(token);
      expect((await store.findToken(emptyToken({ userName: 'Jos\u00E9@example.com' })))?.id).toBe(token.id);
      expect((await store.findToken(emptyToken({ userName: 'Jose\u0301@example.com' })))?.id).toBe(token.id);
    });

    it.each(Object.entries(HOSTILE))(
      'rejects %s as a data center or environment, writing nothing',
      async (_label, value) => {
        store = await open();
        await expect(store.saveToken({ ...base(1), dataCenter: value as 'US' })).rejects.toMatchObject({
          code: 'MALFORMED_TOKEN',
          message: 'The token has an unknown data center.',
        });
        await expect(
          store.saveToken({ ...base(1), environment: value as 'production' }),
        ).rejects.toMatchObject({
          code: 'MALFORMED_TOKEN',
          message: 'The token has an unknown environment.',
        });
        expect(await store.listEntries()).toEqual([]);
      },
    );
  });
}

describeHostileText('SqliteTokenStore', async () => {
  const { store, cleanup } = await openTempStore();
  const close = store.close.bind(store);
  return Object.assign(store, {
    close: () => {
      close();
      cleanup();
    },
  });
});

describeHostileText('MemoryTokenStore', async () => Object.assign(new MemoryTokenStore(), { close() {} }));

describe('a CRM email with a lone surrogate, through the TokenService and the Zoho simulator', () => {
  it('is signed in, listed, refreshed, tested and revoked like any other', async () => {
    const { startServiceHarness } = await import('../tokens/test-support/service-harness');
    const h = await startServiceHarness();
    try {
      const email = 'r\uD800ot@example.com';
      const granted = await h.grant(email);
      const view = await h.service.saveGranted(granted);
      expect(view.status).toBe('valid');
      expect(view.userName).toBe('r\uFFFDot@example.com');

      const listed = await h.service.list();
      expect(listed.map((t) => [t.id, t.status])).toEqual([[view.id, 'valid']]);

      const before = (await h.store.findTokenById(view.id))!.accessToken;
      const refreshed = await h.service.refreshNow(view.id);
      expect(refreshed.status).toBe('valid');
      const after = (await h.store.findTokenById(view.id))!;
      expect(after.accessToken).not.toBe(before);
      const tested = await h.service.testCall(view.id);
      expect(tested).toMatchObject({ ok: true, httpStatus: 200 });

      const refreshToken = granted.token.refreshToken!;
      expect(h.sim.isRefreshTokenActive(refreshToken)).toBe(true);
      const deleted = await h.service.delete(view.id, { revoke: true, deleteIfRevokeFails: false });
      expect(deleted).toMatchObject({ deleted: true, revoke: { state: 'revoked' } });
      // True at Zoho and on disk: the refresh token is dead and the row is gone.
      expect(h.sim.isRefreshTokenActive(refreshToken)).toBe(false);
      expect(await h.store.listEntries()).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('hostile text in the audit log', () => {
  it.each(Object.entries(HOSTILE))(
    '%s as user and detail: recorded, listed and found by search',
    (_label, value) => {
      const { dir, cleanup } = tempDir();
      const db = new Database(join(dir, 'audit.db'));
      try {
        const audit = new SqliteAuditLog(db, { now: () => 1_700_000_000_000 });
        const returned = audit.record({
          action: 'test',
          outcome: 'success',
          tokenId: '1',
          userName: value,
          detail: `detail ${value}`,
        });
        const [listed] = audit.list();
        // What record returned is what a later read shows (the value as stored).
        expect(listed).toEqual(returned);
        expect(listed?.userName).not.toBeNull();
        // Searched for as typed: the search text is normalised the same way.
        expect(audit.list({ text: value.slice(0, 200) })).toHaveLength(1);
      } finally {
        db.close();
        cleanup();
      }
    },
  );
});

describe('hostile text in token notes (the answer of a test call, from Zoho)', () => {
  it.each(Object.entries(HOSTILE))('%s as the CRM user and org: saved and read back', (_label, value) => {
    const { dir, cleanup } = tempDir();
    const db = new Database(join(dir, 'notes.db'));
    try {
      const notes = new SqliteTokenNotes(db);
      const result = {
        at: 1_700_000_000_000,
        ok: true,
        httpStatus: 200,
        latencyMs: 12,
        userEmail: value,
        userName: value,
        orgName: value,
        orgId: '1',
        refreshed: false,
        errorCode: null,
        message: value,
      };
      notes.setLastTest('1', result);
      // A fresh reader: what is on disk, not what this instance remembers.
      expect(new SqliteTokenNotes(db).get('1')?.lastTest).toEqual(result);
    } finally {
      db.close();
      cleanup();
    }
  });
});
