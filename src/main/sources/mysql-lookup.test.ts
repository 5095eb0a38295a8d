import { OAuthBuilder, UserSignature } from '@zohocrm/typescript-sdk-8.0';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyToken } from '../store/oauth-token';
import { accountResolver } from './account-from-api-domain';
import { SourceRegistry } from './source-registry';
import {
  adminConnection,
  freshTableName,
  mysqlAvailable,
  sdkDbStore,
  testTableUri,
} from './test-support/mysql-server';
import type { TokenSource } from './token-source';

const SDK_TABLE = (table: string) =>
  `CREATE TABLE \`${table}\` (id varchar(10) NOT NULL, user_name varchar(255), client_id varchar(255), client_secret varchar(255), refresh_token varchar(255), access_token varchar(255), grant_token varchar(255), expiry_time varchar(20), redirect_url varchar(255), api_domain varchar(255), primary key (id))`;

const US = 'https://www.zohoapis.com';
const EU = 'https://www.zohoapis.eu';

describe.runIf(mysqlAvailable)('MySQL DBStore source: lookups and lists on a real server', () => {
  const tables: string[] = [];
  const opened: TokenSource[] = [];
  afterAll(async () => {
    for (const source of opened) await source.close();
    const admin = await adminConnection();
    for (const t of tables) await admin.query(`DROP TABLE IF EXISTS \`${t}\``);
    await admin.end();
  });

  /** A table in the SDK's schema holding `rows` (id, user_name, refresh_token, api_domain). */
  async function tableWith(rows: readonly (readonly [string, string, string, string])[]): Promise<string> {
    const table = freshTableName();
    tables.push(table);
    const admin = await adminConnection();
    await admin.query(SDK_TABLE(table));
    if (rows.length > 0) {
      await admin.query(
        `INSERT INTO \`${table}\` (id, user_name, client_id, client_secret, refresh_token, api_domain) VALUES ?`,
        [rows.map(([id, user, refresh, domain]) => [id, user, '1000.C', 's', refresh, domain])],
      );
    }
    await admin.end();
    return table;
  }

  /** A token as the integration's SDK code builds it (client `1000.C`, as `tableWith` writes). */
  function sdkToken(user: string, refreshToken: string, accessToken?: string) {
    const token = new OAuthBuilder()
      .clientId('1000.C')
      .clientSecret('s')
      .refreshToken(refreshToken)
      .userSignature(new UserSignature(user))
      .build();
    if (accessToken) token.setAccessToken(accessToken);
    return token;
  }

  async function open(table: string): Promise<TokenSource> {
    const source = await new SourceRegistry().open(testTableUri(table), { resolve: accountResolver() });
    opened.push(source);
    return source;
  }

  it('pages past rows the server lets through but the exact rule turns down, over several pages', async () => {
    // 29 rows under another spelling of the name (the table's collation compares without case, the rule
    // does not), ids 1-8 and 10-30: in the key's text order they all come before '31', '4'... and '9'.
    const variants = [
      ...Array.from({ length: 8 }, (_, i) => i + 1),
      ...Array.from({ length: 21 }, (_, i) => i + 10),
    ];
    const table = await tableWith([
      ...variants.map((n) => [String(n), 'A@Example.com', `1000.variant${n}`, US] as const),
      ['31', 'a@example.com', '1000.us', US],
      ['9', 'a@example.com', '1000.eu', EU],
      // Bare-email lookups fall back to the SDK's `email:<zgid>` form; a suffix that is no zgid is not it.
      ['32', 'b@example.com:not-a-zgid', '1000.b-wrong', US],
      ['33', 'b_c@example.com:123', '1000.b-pattern', US],
      ['5000', 'b@example.com:60012345', '1000.b', US],
    ]);
    const source = await open(table);
    // The first exact row in key order ('31' comes before '9'), past one page of 1 and one of 20 variants.
    expect((await source.store.findToken(emptyToken({ userName: 'a@example.com' })))?.refreshToken).toBe(
      '1000.us',
    );
    // The data center is not in the table: the US row is read and turned down, and the lookup reads on.
    const eu = await source.store.findToken(emptyToken({ userName: 'a@example.com', dataCenter: 'EU' }));
    expect(eu?.id).toBe('9');
    expect(
      await source.store.findToken(emptyToken({ userName: 'a@example.com', dataCenter: 'JP' })),
    ).toBeNull();
    // The SDK form of a bare email, never a look-alike or a pattern match.
    expect((await source.store.findToken(emptyToken({ userName: 'b@example.com' })))?.id).toBe('5000');
    expect(await source.store.findToken(emptyToken({ userName: 'b%c@example.com' }))).toBeNull();
    // A save by user writes the row the lookup finds, and only that row.
    await source.store.saveToken(
      emptyToken({
        userName: 'a@example.com',
        dataCenter: 'EU',
        refreshToken: '1000.eu',
        accessToken: '1000.new',
      }),
    );
    const admin = await adminConnection();
    const [written] = await admin.query(
      `SELECT id FROM \`${table}\` WHERE access_token IS NOT NULL ORDER BY id`,
    );
    await admin.end();
    expect(written).toEqual([{ id: '9' }]);
  });

  it('lists every row in id order exactly as stored: control characters, empty values, ids it cannot read', async () => {
    const ids = ['1', '10', '19', '2', '25', '3', '4', '5', '6', '7', '8', '9', '99', '100', '123456789'];
    const table = await tableWith(ids.map((id) => [id, `u${id}@example.com`, `1000.r${id}`, US] as const));
    const admin = await adminConnection();
    // Ids TokenDesk cannot read sit before '1' and after '9' in the key's order: listed as unreadable.
    await admin.query(
      `INSERT INTO \`${table}\` (id, user_name, refresh_token, api_domain) VALUES ('0', 'zero@example.com', '', ''), ('x1', 'x@example.com', NULL, NULL)`,
    );
    const source = await open(table);
    const listed = await source.store.listEntries();
    const readable = listed.flatMap((e) => (e.ok ? [e.token] : []));
    expect(readable.map((t) => t.id)).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
    expect(readable.every((t) => t.refreshToken === `1000.r${t.id}` && t.dataCenter === 'US')).toBe(true);
    expect(
      listed
        .filter((e) => !e.ok)
        .map((e) => e.id)
        .sort(),
    ).toEqual(['0', 'x1']);
    // Control characters and an empty value (read as null, as the SDK reads it).
    const odd = `1000.r\u001f${'x'.repeat(20)}\u001f`;
    await admin.query(`UPDATE \`${table}\` SET access_token = ?, grant_token = '' WHERE id = '5'`, [odd]);
    await admin.end();
    const again = await source.store.getTokens();
    expect(again).toHaveLength(ids.length);
    const five = again.find((t) => t.id === '5');
    expect(five?.accessToken).toBe(odd);
    expect(five?.grantToken).toBeNull();
    expect(again.find((t) => t.id === '99')?.userName).toBe('u99@example.com');
  });

  it('a save by user of a row the store has read is one statement that checks the row is unchanged and still the first match', async () => {
    const table = await tableWith([
      ['5', 'a@example.com', '1000.r5', US],
      ['7', 'b@example.com', '1000.r7', US],
    ]);
    const source = await open(table);
    await source.store.getTokens();
    const runner = (source.store as unknown as { backend: { sql: { all: unknown } } }).backend.sql;
    const read = runner.all;
    // No lookup: the store plans against the row it listed, and the server checks it in the write.
    runner.all = () => Promise.reject(new Error('looked the row up again'));
    await source.store.saveToken(
      emptyToken({ userName: 'a@example.com', refreshToken: '1000.r5', accessToken: '1000.a1' }),
    );
    runner.all = read;
    const admin = await adminConnection();
    const accessTokens = async () => {
      const [rows] = await admin.query(`SELECT id, access_token FROM \`${table}\` ORDER BY id`);
      return rows as { id: string; access_token: string | null }[];
    };
    expect(await accessTokens()).toEqual([
      { id: '5', access_token: '1000.a1' },
      { id: '7', access_token: null },
    ]);
    // The integration adds a row for the same user that comes first in key order ('10' before '5'): the
    // next save goes where a fresh lookup (and the SDK's DBStore) finds the user, not to the row read before.
    await admin.query(
      `INSERT INTO \`${table}\` (id, user_name, client_id, client_secret, refresh_token) VALUES ('10', 'a@example.com', '1000.C', 's', '1000.r10')`,
    );
    await source.store.saveToken(
      emptyToken({ userName: 'a@example.com', refreshToken: '1000.r10', accessToken: '1000.a2' }),
    );
    expect(await accessTokens()).toEqual([
      { id: '10', access_token: '1000.a2' },
      { id: '5', access_token: '1000.a1' },
      { id: '7', access_token: null },
    ]);
    // The integration refreshes b's row after TokenDesk read it: a save by user refuses, nothing overwritten.
    await admin.query(`UPDATE \`${table}\` SET access_token = '1000.by-sdk' WHERE id = '7'`);
    await expect(
      source.store.saveToken(
        emptyToken({ userName: 'b@example.com', refreshToken: '1000.r7', accessToken: '1000.td' }),
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await accessTokens())[2]).toEqual({ id: '7', access_token: '1000.by-sdk' });
    await admin.end();
  });

  it('a list after one value changed in an otherwise unchanged table shows the new value, never the one read before', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => String(i + 1));
    const table = await tableWith(ids.map((id) => [id, `u${id}@example.com`, `1000.r${id}`, US] as const));
    const source = await open(table);
    const first = await source.store.getTokens();
    // Unchanged: the same tokens, which no caller can change.
    const again = await source.store.getTokens();
    expect(again).toEqual(first);
    expect(Object.isFrozen(again) && Object.isFrozen(again[0])).toBe(true);
    // A fact the table cannot hold changes with the row's values unchanged: the next list carries it.
    await source.store.saveToken({ ...first[3]!, lastError: 'Zoho refused the refresh.' });
    expect((await source.store.getTokens())[3]?.lastError).toBe('Zoho refused the refresh.');
    // The SDK refreshes the row in the middle of the key order, same length of value.
    const sdk = sdkDbStore(table);
    await sdk.saveToken(sdkToken('u25@example.com', '1000.r25', '1000.a25'));
    let listed = await source.store.getTokens();
    expect(listed.find((t) => t.id === '25')?.accessToken).toBe('1000.a25');
    expect(listed.filter((t) => t.accessToken !== null).map((t) => t.id)).toEqual(['25']);
    // A value many rows share, changed in one row only.
    const admin = await adminConnection();
    await admin.query(`UPDATE \`${table}\` SET client_id = '1000.D', api_domain = ? WHERE id = '31'`, [EU]);
    await admin.end();
    listed = await source.store.getTokens();
    expect(listed.find((t) => t.id === '31')).toMatchObject({ clientId: '1000.D', dataCenter: 'EU' });
    expect(listed.filter((t) => t.clientId !== '1000.C').map((t) => t.id)).toEqual(['31']);
    expect(listed.find((t) => t.id === '32')).toMatchObject({ clientId: '1000.C', dataCenter: 'US' });
  });

  it("a list after the SDK's own DBStore changed, added or deleted rows shows exactly the table", async () => {
    const table = await tableWith([
      ['1', 'one@example.com', '1000.r1', US],
      ['2', 'two@example.com', '1000.r2', US],
    ]);
    const source = await open(table);
    expect((await source.store.getTokens()).map((t) => t.refreshToken)).toEqual(['1000.r1', '1000.r2']);
    const sdk = sdkDbStore(table);
    await sdk.saveToken(sdkToken('one@example.com', '1000.r1', '1000.by-sdk'));
    await sdk.saveToken(sdkToken('three@example.com', '1000.r3'));
    await sdk.deleteToken('2');
    const listed = await source.store.getTokens();
    expect(listed.map((t) => [t.userName, t.accessToken])).toEqual([
      ['one@example.com', '1000.by-sdk'],
      ['three@example.com', null],
    ]);
    // What the list read is what a write expects: the SDK's new access token is not overwritten.
    await source.store.saveToken({ ...listed[0]!, accessToken: '1000.by-tokendesk' });
    expect((await source.store.findTokenById('1'))?.accessToken).toBe('1000.by-tokendesk');
  });
});
