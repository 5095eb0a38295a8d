/**
 * `npm run bench -- sources`: TokenDesk's SDK-layout sources beside the official SDK's own FileStore and
 * DBStore, on the same data in the same run: find by user, save (update one user's access token) and
 * list, at 1k and 10k tokens; then an import of 10k FileStore tokens into the encrypted local store.
 * Prints medians; asserts nothing (docs/architecture.md "Tests", tier 4). The MySQL rows need a reachable server
 * (TOKENDESK_TEST_MYSQL_URL, as the tests use); without one they are skipped with a note.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DBBuilder, FileStore, OAuthBuilder, UserSignature } from '@zohocrm/typescript-sdk-8.0';
import { createConnection } from 'mysql2/promise';
import { SessionAuditLog } from '../src/main/audit/session-audit-log';
import { accountResolver } from '../src/main/sources/account-from-api-domain';
import { localSource, SourceRegistry } from '../src/main/sources/source-registry';
import { parseSourceUri } from '../src/main/sources/source-uri';
import type { TokenSource } from '../src/main/sources/token-source';
import { transferTokens } from '../src/main/sources/token-transfer';
import { emptyToken } from '../src/main/store/oauth-token';
import { PassphraseKeyProtector } from '../src/main/store/passphrase-key-protector';
import { SqliteTokenStore } from '../src/main/store/sqlite-token-store';

const SIZES = [1_000, 10_000] as const;
const HEADER =
  'id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain';
const MYSQL_URL =
  process.env.TOKENDESK_TEST_MYSQL_URL ?? 'mysql://tokendesk:tokendesk-test@127.0.0.1:3306/tokendesk_test';

const user = (i: number) => `user${i}@example.com`;
const line = (i: number) =>
  `${i + 1},${user(i)},1000.CLIENT,secret${i},1000.refresh${i},1000.access${i},,1893456000000,,https://www.zohoapis.com`;
const sdkByUser = (i: number) => new OAuthBuilder().userSignature(new UserSignature(user(i))).build();

interface Row {
  readonly source: string;
  readonly size: number;
  readonly op: string;
  readonly tokendeskMs: number;
  readonly sdkMs: number | null;
}

type Op = (i: number) => Promise<unknown>;

/**
 * Median ms per call of TokenDesk's op and the SDK's, their samples taken in turns (TokenDesk, SDK,
 * TokenDesk, ...), so a change in the machine's load while they run weighs on both sides alike.
 */
async function medianPair(samples: number, tokendesk: Op, sdk: Op | null): Promise<[number, number | null]> {
  await tokendesk(samples); // warm-up
  await sdk?.(samples);
  const td: number[] = [];
  const other: number[] = [];
  const time = async (op: Op, i: number, into: number[]) => {
    const t0 = performance.now();
    await op(i);
    into.push(performance.now() - t0);
  };
  for (let i = 0; i < samples; i++) {
    await time(tokendesk, i, td);
    if (sdk) await time(sdk, i, other);
  }
  const median = (times: number[]) => times.sort((x, y) => x - y)[Math.floor(times.length / 2)]!;
  return [median(td), sdk ? median(other) : null];
}

/** Sample counts: the SDK re-reads a 10k file on every call, so fewer samples there. */
const samplesFor = (size: number) => (size >= 10_000 ? 15 : 40);

async function compare(
  rows: Row[],
  source: string,
  size: number,
  tokendesk: TokenSource,
  sdk: {
    findToken(t: unknown): Promise<unknown>;
    saveToken(t: unknown): Promise<unknown>;
    getTokens(): Promise<unknown>;
  } | null,
): Promise<void> {
  const n = samplesFor(size);
  const pick = (i: number) => (i * 7919) % size;
  const td = tokendesk.store;
  const push = async (op: string, samples: number, tokendesk: Op, other: Op | null) => {
    const [tokendeskMs, sdkMs] = await medianPair(samples, tokendesk, other);
    rows.push({ source, size, op, tokendeskMs, sdkMs });
  };
  await push(
    'find by user',
    n,
    (i) => td.findToken(emptyToken({ userName: user(pick(i)) })),
    sdk && ((i) => sdk.findToken(sdkByUser(pick(i)))),
  );
  // The same call on both sides: saveToken of a token known by its user (no id), so each store finds the
  // row itself and writes it once (earlier versions ran a findToken before TokenDesk's save only).
  const save = (who: (i: number) => number) => ({
    tokendesk: (i: number) =>
      td.saveToken(
        emptyToken({
          userName: user(who(i)),
          clientId: '1000.CLIENT',
          clientSecret: `secret${who(i)}`,
          refreshToken: `1000.refresh${who(i)}`,
          accessToken: `1000.td${i}`,
        }),
      ),
    sdk:
      sdk &&
      ((i: number) => {
        const t = new OAuthBuilder()
          .clientId('1000.CLIENT')
          .clientSecret(`secret${who(i)}`)
          .refreshToken(`1000.refresh${who(i)}`)
          .userSignature(new UserSignature(user(who(i))))
          .build();
        t.setAccessToken(`1000.sdk${i}`);
        return sdk.saveToken(t);
      }),
  });
  // The users the finds above read: a store that remembers rows it read (TokenDesk's) has them, as it
  // has every row after a list.
  const read = save(pick);
  await push('save (update)', n, read.tokendesk, read.sdk);
  // Users no operation has touched yet: a store's first look at the row.
  const touched = new Set(Array.from({ length: n + 1 }, (_, i) => pick(i)));
  const fresh = Array.from({ length: size }, (_, u) => (u * 4099 + size / 2) % size).filter(
    (u) => !touched.has(u),
  );
  const firstTouch = save((i) => fresh[i]!);
  await push('save (update), row not read before', n, firstTouch.tokendesk, firstTouch.sdk);
  // More samples than the other operations: a whole-table read on a shared machine swings the most (the
  // collector's and the other processes' phases), and the median of 31 moves less.
  await push('list', 31, () => td.getTokens(), sdk && (() => sdk.getTokens()));
}

async function mysqlReachable(): Promise<boolean> {
  const m = parseSourceUri(MYSQL_URL);
  if (m.kind !== 'mysql') return false;
  try {
    const c = await createConnection({
      host: m.host,
      port: m.port,
      user: m.user,
      password: m.password,
      database: m.database,
      connectTimeout: 2_000,
    });
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export async function run(): Promise<void> {
  const loadAtStart = loadavg();
  const cpus = availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-bench-sources-'));
  const registry = new SourceRegistry();
  const resolve = accountResolver();
  const rows: Row[] = [];
  const notes: string[] = [];
  const withMysql = await mysqlReachable();
  if (!withMysql) notes.push(`MySQL skipped: no server at ${MYSQL_URL.replace(/:[^:@/]*@/, ':***@')}.`);
  const m = parseSourceUri(MYSQL_URL);
  try {
    for (const size of SIZES) {
      const body = Array.from({ length: size }, (_, i) => line(i)).join('\n');
      const tdFile = join(dir, `td-${size}.txt`);
      const sdkFile = join(dir, `sdk-${size}.txt`);
      writeFileSync(tdFile, `${HEADER}\n${body}`);
      writeFileSync(sdkFile, `${HEADER}\n${body}`);
      const fileSource = await registry.open(`filestore:${tdFile}`, { resolve });
      await compare(rows, 'FileStore', size, fileSource, new FileStore(sdkFile));
      await fileSource.close();

      const sqlitePath = join(dir, `kaizen-${size}.db`);
      const sqliteSource = await registry.open(`sqlite:${sqlitePath}`, { resolve, create: true });
      for (let i = 0; i < size; i++) {
        await sqliteSource.store.saveToken(
          emptyToken({
            userName: user(i),
            clientId: '1000.CLIENT',
            clientSecret: `secret${i}`,
            refreshToken: `1000.refresh${i}`,
            apiDomain: 'https://www.zohoapis.com',
          }),
        );
      }
      await compare(rows, 'SQLite table (no SDK store)', size, sqliteSource, null);
      await sqliteSource.close();

      if (withMysql && m.kind === 'mysql') {
        const admin = await createConnection({
          host: m.host,
          port: m.port,
          user: m.user,
          password: m.password,
          database: m.database,
        });
        const tables = [`bench_td_${size}`, `bench_sdk_${size}`];
        for (const t of tables) {
          await admin.query(`DROP TABLE IF EXISTS \`${t}\``);
          await admin.query(
            `CREATE TABLE \`${t}\` (id varchar(10) NOT NULL, user_name varchar(255), client_id varchar(255), client_secret varchar(255), refresh_token varchar(255), access_token varchar(255), grant_token varchar(255), expiry_time varchar(20), redirect_url varchar(255), api_domain varchar(255), primary key (id))`,
          );
          for (let start = 0; start < size; start += 1_000) {
            const values = Array.from({ length: Math.min(1_000, size - start) }, (_, k) => {
              const i = start + k;
              return [
                String(i + 1),
                user(i),
                '1000.CLIENT',
                `secret${i}`,
                `1000.refresh${i}`,
                `1000.access${i}`,
                null,
                '1893456000000',
                null,
                'https://www.zohoapis.com',
              ];
            });
            await admin.query(`INSERT INTO \`${t}\` VALUES ?`, [values]);
          }
        }
        const url = new URL(MYSQL_URL);
        url.searchParams.set('table', tables[0]!);
        const mysqlSource = await registry.open(url.toString(), { resolve });
        const sdk = new DBBuilder()
          .host(m.host!)
          .portNumber(m.port!)
          .userName(m.user!)
          .password(m.password!)
          .databaseName(m.database)
          .tableName(tables[1]!)
          .build();
        await compare(rows, 'MySQL DBStore', size, mysqlSource, sdk);
        await mysqlSource.close();
        for (const t of tables) await admin.query(`DROP TABLE IF EXISTS \`${t}\``);
        await admin.end();
      }
    }

    // Import: 10k FileStore tokens into the encrypted local store (copy, each read back).
    const importFile = join(dir, 'import-10k.txt');
    writeFileSync(importFile, `${HEADER}\n${Array.from({ length: 10_000 }, (_, i) => line(i)).join('\n')}`);
    const local = await SqliteTokenStore.open({
      path: join(dir, 'local.db'),
      protector: new PassphraseKeyProtector('bench passphrase', { cost: { N: 2 ** 10, r: 8, p: 1 } }),
    });
    const from = await registry.open(`filestore:${importFile}`, { resolve });
    const t0 = performance.now();
    const result = await transferTokens({ from, to: localSource(local) }, new SessionAuditLog());
    const importMs = performance.now() - t0;
    local.close();
    await from.close();

    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    console.log(
      `Load average (1, 5, 15 min): ${load(loadAtStart)} at the start, ${load(loadavg())} at the end (${cpus} CPUs).`,
    );
    console.log('Median ms per call (lower is better); SDK = the official SDK 8.0 store on the same data.');
    console.log(['source', 'tokens', 'operation', 'TokenDesk', 'SDK', 'SDK / TokenDesk'].join('\t'));
    for (const r of rows) {
      console.log(
        [
          r.source,
          r.size,
          r.op,
          r.tokendeskMs.toFixed(3),
          r.sdkMs === null ? '-' : r.sdkMs.toFixed(3),
          r.sdkMs === null ? '-' : `${(r.sdkMs / r.tokendeskMs).toFixed(2)}x`,
        ].join('\t'),
      );
    }
    const slower = rows.filter((r) => r.sdkMs !== null && r.sdkMs < r.tokendeskMs);
    console.log(
      slower.length === 0
        ? 'TokenDesk is faster than the SDK store on every compared operation (ratio above 1.0x).'
        : `TokenDesk is slower on: ${slower.map((r) => `${r.source} ${r.size} ${r.op} (${(r.sdkMs! / r.tokendeskMs).toFixed(2)}x)`).join('; ')}.`,
    );
    console.log(
      'Medians on a shared machine move with its load: compare the ratios of one run, not times across runs.',
    );
    console.log(
      `Import of 10,000 FileStore tokens into the encrypted local store: ${(importMs / 1000).toFixed(2)} s (${result.copied} copied, ${result.failed} failed; target under 5 s).`,
    );
    console.log(
      "find by user: findToken of a token with only a user name. save (update): saveToken of a token with user, client, secret, refresh token and a new access token, no id, of the users the finds just read (earlier versions of this bench ran a findToken before TokenDesk's save only, which the SDK's side did not; here both sides ran the same finds): TokenDesk's store remembers rows it read, as after a list, and on MySQL writes in one UPDATE that checks on the server that the row is unchanged and still the user's first row; the SDK's DBStore runs its one UPDATE ... WHERE user_name = ? LIMIT 1. save (update), row not read before: the same for users nothing has touched, so TokenDesk looks the row up first. list: getTokens; TokenDesk's store keeps the rows a list read (its writes are conditional on them), reads and compares every row on each list, keeps the objects it holds for rows that did not change, and when none changed hands out the same read-only tokens as the list before. Samples alternate between the two sides. The SDK DBStore opens a connection per call (its design); TokenDesk keeps a pool.",
    );
    for (const note of notes) console.log(note);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
