import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Environment,
  FileStore,
  InitializeBuilder,
  OAuthBuilder,
  Org,
  UserSignature,
} from '@zohocrm/typescript-sdk-8.0';
import type { TokenStore as SdkStoreShape } from '@zohocrm/typescript-sdk-8.0/dist/models/authenticator/store/token_store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SELF_CLIENT } from '../../../sim/demo-data';
import { startZohoSimulator, type ZohoSimulator } from '../../../sim/simulator';
import { emptyToken } from '../store/oauth-token';
import { openTempStore, tempDir } from '../store/test-support/temp-store';
import { localSource, SourceRegistry } from './source-registry';
import {
  adminConnection,
  freshTableName,
  mysqlAvailable,
  sdkDbStore,
  TEST_MYSQL,
  testTableUri,
} from './test-support/mysql-server';
import { SDK_SCOPES, simToken, simWiring, US_USER } from './test-support/sim-zoho';
import type { TokenSource } from './token-source';
import { transferTokens } from './token-transfer';

/**
 * Interop both ways with the official SDK's own FileStore and DBStore classes, unmodified, against the
 * Zoho simulator: what the SDK saved, TokenDesk lists, refreshes and revokes; what TokenDesk exports, the
 * SDK uses for a CRM call.
 */
let sim: ZohoSimulator;
let wiring: ReturnType<typeof simWiring>;
let sdkEnvironment: Environment;
let dir: string;
let cleanup: () => void;
const registry = new SourceRegistry();
const opened: TokenSource[] = [];

beforeAll(async () => {
  sim = await startZohoSimulator();
  wiring = simWiring(sim);
  const us = sim.dataCenter('US');
  sdkEnvironment = new Environment(us.apiDomain, `${us.accountsUrl}/oauth/v2/token`, us.apiDomain);
  ({ dir, cleanup } = tempDir());
});

afterEach(async () => {
  for (const source of opened.splice(0)) await source.close();
});

afterAll(async () => {
  cleanup?.();
  await sim?.close();
});

async function open(uri: string, create = false): Promise<TokenSource> {
  const source = await registry.open(uri, { resolve: wiring.resolve, create });
  opened.push(source);
  return source;
}

async function sdkInitialise(store: SdkStoreShape, token: ReturnType<OAuthBuilder['build']>): Promise<void> {
  await new InitializeBuilder()
    .environment(sdkEnvironment)
    .token(token)
    .store(store)
    .resourcePath(dir)
    .initialize();
}

/** The SDK's first start: a Self Client grant code, exchanged and saved by the SDK into `store`. */
async function sdkSignsIn(store: SdkStoreShape): Promise<void> {
  const grant = sim.issueSelfClientGrantCode({
    clientId: DEMO_SELF_CLIENT.clientId,
    scopes: SDK_SCOPES,
    userEmail: US_USER.email,
  });
  await sdkInitialise(
    store,
    new OAuthBuilder()
      .clientId(DEMO_SELF_CLIENT.clientId)
      .clientSecret(DEMO_SELF_CLIENT.clientSecret)
      .grantToken(grant.code)
      .build(),
  );
}

/** A CRM call by the unmodified SDK, knowing only the user: it finds the token in `store` itself. */
async function sdkCompanyName(store: SdkStoreShape, userName: string): Promise<string | null> {
  await sdkInitialise(store, new OAuthBuilder().userSignature(new UserSignature(userName)).build());
  const response = await new Org.OrgOperations().getOrganization();
  expect(response.getStatusCode()).toBe(200);
  const body = response.getObject();
  if (!(body instanceof Org.ResponseWrapper)) throw new Error('unexpected org response');
  return body.getOrg()?.[0]?.getCompanyName() ?? null;
}

/** What TokenDesk does to a token the SDK saved: list, refresh (the SDK then uses it), revoke and delete. */
async function listRefreshRevoke(
  source: TokenSource,
  sdkStore: SdkStoreShape,
  rowCount: () => Promise<number>,
) {
  const service = wiring.services.for(source);
  const [view, ...others] = await service.list();
  expect(others).toHaveLength(0);
  expect(view).toMatchObject({
    userName: US_USER.email,
    dataCenter: 'US',
    environment: 'production',
    status: 'valid',
    scopes: [],
  });
  const before = (await source.store.findTokenById(view!.id))!;
  expect(before.userName).toMatch(/^.+@.+:\d+$/);

  const refreshes = sim.stats.tokenRequests.refresh_token;
  await service.refreshNow(view!.id);
  expect(sim.stats.tokenRequests.refresh_token).toBe(refreshes + 1);
  const after = (await source.store.findTokenById(view!.id))!;
  expect(after.accessToken).not.toBe(before.accessToken);
  expect(after.refreshToken).toBe(before.refreshToken);
  // The integration picks the new access token up: its CRM call needs no refresh of its own.
  expect(await sdkCompanyName(sdkStore, before.userName!)).toBe(US_USER.orgName);
  expect(sim.stats.tokenRequests.refresh_token).toBe(refreshes + 1);
  const used = (await source.store.findTokenById(view!.id))!;
  expect(used.accessToken).toBe(after.accessToken);

  const result = await service.delete(view!.id, { revoke: true, deleteIfRevokeFails: false });
  expect(result).toMatchObject({ deleted: true, revoke: { state: 'revoked' } });
  expect(sim.isRefreshTokenActive(before.refreshToken!)).toBe(false);
  expect(await rowCount()).toBe(0);
  expect(
    wiring.audit.list().some((e) => e.action === 'revoke' && e.source === source.descriptor.displayName),
  ).toBe(true);
}

describe('the SDK FileStore', () => {
  it('a token the SDK saved is listed, refreshed (and used by the SDK after), revoked and deleted by TokenDesk', async () => {
    const path = join(dir, 'sdk_tokens.txt');
    const sdkStore = new FileStore(path);
    await sdkSignsIn(sdkStore);
    const source = await open(`filestore:${path}`);
    await listRefreshRevoke(
      source,
      sdkStore,
      async () => readFileSync(path, 'utf8').split('\n').slice(1).filter(Boolean).length,
    );
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe(
      'id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain',
    );
  });

  it('a token TokenDesk exported from its encrypted store serves the unmodified SDK', async () => {
    const path = join(dir, 'exported_tokens.txt');
    const { store, cleanup: done } = await openTempStore();
    try {
      const token = await simToken(sim, wiring.clients);
      await store.saveToken(token);
      const to = await open(`filestore:${path}`, true);
      const result = await transferTokens(
        { from: localSource(store), to, plaintextConfirmed: true },
        wiring.audit,
      );
      expect(result).toMatchObject({ copied: 1, failed: 0 });
      expect(existsSync(path)).toBe(true);
      const refreshes = sim.stats.tokenRequests.refresh_token;
      expect(await sdkCompanyName(new FileStore(path), US_USER.email)).toBe(US_USER.orgName);
      expect(sim.stats.tokenRequests.refresh_token).toBe(refreshes);
      expect(await store.getTokens()).toHaveLength(1);
    } finally {
      store.close();
      done();
    }
  });

  it('refuses an export to a plaintext source without the typed confirmation, writing nothing', async () => {
    const path = join(dir, 'unconfirmed.txt');
    const { store, cleanup: done } = await openTempStore();
    try {
      await store.saveToken(await simToken(sim, wiring.clients));
      const to = await open(`filestore:${path}`, true);
      await expect(transferTokens({ from: localSource(store), to }, wiring.audit)).rejects.toMatchObject({
        code: 'CONFIRMATION_REQUIRED',
      });
      expect(await to.store.getTokens()).toEqual([]);
    } finally {
      store.close();
      done();
    }
  });
});

describe.runIf(mysqlAvailable)('the SDK DBStore on MariaDB/MySQL', () => {
  const tables: string[] = [];
  afterAll(async () => {
    const admin = await adminConnection();
    for (const t of tables) await admin.query(`DROP TABLE IF EXISTS \`${t}\``);
    await admin.end();
  });

  async function sdkTable(): Promise<string> {
    const table = freshTableName();
    tables.push(table);
    const admin = await adminConnection();
    // The DBStore's own schema, as its docs create it.
    await admin.query(
      `CREATE TABLE \`${table}\` (id varchar(10) NOT NULL, user_name varchar(255), client_id varchar(255), client_secret varchar(255), refresh_token varchar(255), access_token varchar(255), grant_token varchar(255), expiry_time varchar(20), redirect_url varchar(255), api_domain varchar(255), primary key (id))`,
    );
    await admin.end();
    return table;
  }

  async function countRows(table: string): Promise<number> {
    const admin = await adminConnection();
    const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM \`${table}\``);
    await admin.end();
    return Number((rows as { n: number }[])[0]?.n);
  }

  it('a token the SDK saved is listed, refreshed (and used by the SDK after), revoked and deleted by TokenDesk', async () => {
    const table = await sdkTable();
    const sdkStore = sdkDbStore(table);
    await sdkSignsIn(sdkStore);
    const source = await open(testTableUri(table));
    await listRefreshRevoke(source, sdkStore, () => countRows(table));
  });

  it('a token TokenDesk exported into the table serves the unmodified SDK', async () => {
    const table = await sdkTable();
    const { store, cleanup: done } = await openTempStore();
    try {
      await store.saveToken(await simToken(sim, wiring.clients));
      const to = await open(testTableUri(table));
      const result = await transferTokens(
        { from: localSource(store), to, plaintextConfirmed: true },
        wiring.audit,
      );
      expect(result).toMatchObject({ copied: 1, failed: 0 });
      const refreshes = sim.stats.tokenRequests.refresh_token;
      expect(await sdkCompanyName(sdkDbStore(table), US_USER.email)).toBe(US_USER.orgName);
      expect(sim.stats.tokenRequests.refresh_token).toBe(refreshes);
    } finally {
      store.close();
      done();
    }
  });

  it('the SDK and TokenDesk writing the same table at once lose no token and double no id', async () => {
    const table = await sdkTable();
    // A table in use for a while: ids past 99, so the SDK's max(id), which compares text, still picks the
    // numeric maximum (below 10 rows it does too; from 10 on its own ids repeat, a defect of the SDK).
    const admin = await adminConnection();
    await admin.query(
      `INSERT INTO \`${table}\` (id, user_name, refresh_token) VALUES ('100', 'old@example.com', '1000.old')`,
    );
    await admin.end();
    const source = await open(testTableUri(table));
    const sdkStore = sdkDbStore(table);
    const sdkToken = (i: number) =>
      new OAuthBuilder()
        .clientId('1000.C')
        .clientSecret('s')
        .refreshToken(`1000.sdk-${i}`)
        .userSignature(new UserSignature(`sdk${i}@example.com`))
        .build();
    const users = [0, 1, 2, 3, 4];
    // One integration process saving one token after another (as the SDK does), while TokenDesk saves
    // five at once.
    const sdkWrites = (async () => {
      for (const i of users) await sdkStore.saveToken(sdkToken(i));
    })();
    const tdWrites = Promise.all(
      users.map((i) =>
        source.store.saveToken(
          emptyToken({
            userName: `td${i}@example.com`,
            clientId: '1000.C',
            clientSecret: 's',
            refreshToken: `1000.td-${i}`,
            apiDomain: 'https://www.zohoapis.com',
          }),
        ),
      ),
    );
    await Promise.all([sdkWrites, tdWrites]);
    const tokens = await source.store.getTokens();
    expect(tokens.map((t) => t.userName).sort()).toEqual(
      [
        'old@example.com',
        ...users.map((i) => `sdk${i}@example.com`),
        ...users.map((i) => `td${i}@example.com`),
      ].sort(),
    );
    expect(new Set(tokens.map((t) => t.id)).size).toBe(11);
    expect(await countRows(table)).toBe(11);
  });

  it('a TokenDesk write never clobbers a token the SDK saved after TokenDesk read the row', async () => {
    const table = await sdkTable();
    const source = await open(testTableUri(table));
    const sdkStore = sdkDbStore(table);
    await sdkStore.saveToken(
      new OAuthBuilder()
        .clientId('1000.C')
        .clientSecret('s')
        .refreshToken('1000.r')
        .userSignature(new UserSignature('a@example.com'))
        .build(),
    );
    const [read] = await source.store.getTokens();
    // The integration refreshes: a new access token in the same row.
    const refreshed = new OAuthBuilder()
      .clientId('1000.C')
      .clientSecret('s')
      .refreshToken('1000.r')
      .userSignature(new UserSignature('a@example.com'))
      .build();
    refreshed.setAccessToken('1000.from-sdk');
    await sdkStore.saveToken(refreshed);
    await expect(
      source.store.saveToken({ ...read!, accessToken: '1000.from-tokendesk' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await source.store.findTokenById(read!.id!))?.accessToken).toBe('1000.from-sdk');
  });

  it('with several rows for one user, finds the row the SDK finds, pages past rows of another client, and escapes LIKE', async () => {
    const table = await sdkTable();
    const admin = await adminConnection();
    // Ids 9 and 10: the table's key order ('10' before '9') differs from the numbers' order.
    await admin.query(
      `INSERT INTO \`${table}\` (id, user_name, client_id, client_secret, refresh_token) VALUES
        ('9', 'a@example.com', '1000.X', 's', '1000.r9'),
        ('10', 'a@example.com:60012345', '1000.Y', 's', '1000.r10'),
        ('11', 'a_b@example.com', '1000.X', 's', '1000.r11'),
        ('12', 'axb@example.com', '1000.X', 's', '1000.r12')`,
    );
    await admin.end();
    const source = await open(testTableUri(table));
    const sdkFound = await sdkDbStore(table).findToken(
      new OAuthBuilder().userSignature(new UserSignature('a@example.com:60012345')).build(),
    );
    const bySdkName = await source.store.findToken(emptyToken({ userName: 'a@example.com:60012345' }));
    expect(bySdkName?.id).toBe(sdkFound?.getId());
    expect(bySdkName?.refreshToken).toBe('1000.r10');
    // The bare email finds its own row first, as in the local store (the name as given, then its SDK form).
    expect((await source.store.findToken(emptyToken({ userName: 'a@example.com' })))?.id).toBe('9');
    // The first row in key order is another client's: the lookup reads on to client X's row.
    const byClient = await source.store.findToken(
      emptyToken({ userName: 'a@example.com:60012345', clientId: '1000.X' }),
    );
    expect(byClient?.refreshToken).toBe('1000.r9');
    // `_` and `%` in a name are letters, not patterns.
    expect((await source.store.findToken(emptyToken({ userName: 'a_b@example.com' })))?.id).toBe('11');
    expect(await source.store.findToken(emptyToken({ userName: 'a%b@example.com' }))).toBeNull();
    // A save under a name nobody has inserts once, with the next free id (two kept free for the SDK).
    await source.store.saveToken(emptyToken({ userName: 'new@example.com', refreshToken: '1000.rn' }));
    expect(await countRows(table)).toBe(5);
    expect((await source.store.findToken(emptyToken({ userName: 'new@example.com' })))?.id).toBe('15');
  });

  it('bad input says what is wrong and touches nothing: wrong columns, wrong password, no table, no server', async () => {
    const table = freshTableName('wrongcols');
    tables.push(table);
    const admin = await adminConnection();
    await admin.query(
      `CREATE TABLE \`${table}\` (id varchar(10) NOT NULL, user_name varchar(255), primary key (id))`,
    );
    await admin.query(`INSERT INTO \`${table}\` (id, user_name) VALUES ('1', 'keep@example.com')`);
    await admin.end();
    await expect(open(testTableUri(table))).rejects.toThrow(
      `The table ${table} is not in the SDK's layout: it lacks client_id, client_secret, refresh_token, access_token, grant_token, expiry_time, redirect_url, api_domain.`,
    );
    expect(await countRows(table)).toBe(1);

    const wrongPassword = new URL(testTableUri(table));
    wrongPassword.password = 'not-the-password';
    const denied = (await open(wrongPassword.toString()).catch((e: unknown) => e)) as Error;
    expect(denied.message).toBe(`The server refused user ${TEST_MYSQL.user}: wrong user or password.`);
    expect(denied.message).not.toContain('not-the-password');

    await expect(open(testTableUri('no_such_table_here'))).rejects.toThrow(
      'There is no table named no_such_table_here.',
    );

    const noServer = new URL(testTableUri(table));
    noServer.port = '1';
    await expect(open(noServer.toString())).rejects.toThrow(`Nothing answers at ${TEST_MYSQL.host}:1.`);
  });
});
