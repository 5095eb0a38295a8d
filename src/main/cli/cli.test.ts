import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZohoSimulator, type ZohoSimulator } from '../../../sim/simulator';
import { DB_FILE } from '../core/store-lifecycle';
import { SourceRegistry } from '../sources/source-registry';
import { displayNameOf, parseSourceUri } from '../sources/source-uri';
import {
  adminConnection,
  freshTableName,
  mysqlAvailable,
  testTableUri,
} from '../sources/test-support/mysql-server';
import { simToken, simWiring, US_USER } from '../sources/test-support/sim-zoho';
import type { OAuthToken } from '../store/oauth-token';
import { SqliteTokenStore } from '../store/sqlite-token-store';
import { tempDir, testKeychainProtector, testProtector } from '../store/test-support/temp-store';
import { runTokendesk } from './test-support/cli-process';

let sim: ZohoSimulator;
let wiring: ReturnType<typeof simWiring>;
let dir: string;
let cleanup: () => void;
let env: NodeJS.ProcessEnv;

/**
 * A test that starts the command six times: each start opens the store with the interactive scrypt cost,
 * seconds apiece on a busy machine, so the default 30 s is not a fair bound.
 */
const SIX_CLI_RUNS_MS = 120_000;

/** The command as a child process, with this file's current environment. */
const tokendesk = (...args: string[]) => runTokendesk(env, ...args);

beforeAll(async () => {
  sim = await startZohoSimulator();
  wiring = simWiring(sim);
  ({ dir, cleanup } = tempDir());
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    TOKENDESK_TEST_MODE: '1',
    TOKENDESK_SIM_ENDPOINTS: JSON.stringify(
      Object.fromEntries(sim.dataCenters.map((d) => [d.id, d.apiDomain])),
    ),
    TOKENDESK_DATA_DIR: join(dir, 'data'),
    TOKENDESK_PASSPHRASE: 'a long enough passphrase for the cli',
  };
});

afterAll(async () => {
  cleanup?.();
  await sim?.close();
});

/** An SDK FileStore holding fresh simulator tokens for `emails`. */
async function fileStoreWith(
  name: string,
  emails: string[],
): Promise<{ path: string; tokens: OAuthToken[] }> {
  const path = join(dir, name);
  const source = await new SourceRegistry().open(`filestore:${path}`, {
    resolve: wiring.resolve,
    create: true,
  });
  const tokens: OAuthToken[] = [];
  for (const email of emails) {
    const token = await simToken(sim, wiring.clients, email);
    await source.store.saveToken(token);
    tokens.push(token);
  }
  await source.close();
  return { path, tokens };
}

// Each case starts the CLI as a child process several times (tsx compiles it on every start), which takes
// seconds on a loaded machine: a longer budget than the suite's 30 s, so load alone does not fail it.
describe('tokendesk CLI', { timeout: 120_000 }, () => {
  it('list --json, test, refresh and revoke a token in an SDK FileStore', async () => {
    const { path, tokens } = await fileStoreWith('sdk_tokens.txt', [US_USER.email]);
    const token = tokens[0]!;
    const uri = `filestore:${path}`;

    const list = await tokendesk('list', '--source', uri, '--json');
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(rows).toEqual([
      {
        id: token.id,
        userName: US_USER.email,
        clientId: token.clientId,
        dataCenter: 'US',
        environment: 'production',
        expiresAt: new Date(Number(token.expiryTime)).toISOString(),
        status: 'valid',
        lastError: null,
        source: uri,
      },
    ]);
    for (const secret of [token.refreshToken!, token.accessToken!, token.clientSecret!]) {
      expect(list.stdout).not.toContain(secret);
    }

    const plain = await tokendesk('list', '--source', uri);
    expect(plain.stdout.split('\n')[0]).toMatch(/^ID\s+USER\s+DC\s+ENV\s+EXPIRES\s+STATUS$/);
    expect(plain.stdout).toContain(US_USER.email);

    const test = await tokendesk('test', token.id!, '--source', uri);
    expect(test.code).toBe(0);
    expect(test.stdout).toContain(`as ${US_USER.email}`);
    // The log goes to the data folder's cli.log, owner-only; standard output holds the answer alone.
    expect(test.stdout).not.toMatch(/\b(INFO|WARN)\b/);
    const logPath = join(env.TOKENDESK_DATA_DIR!, 'logs', 'cli.log');
    expect(statSync(logPath).mode & 0o777).toBe(0o600);
    const logLines = readFileSync(logPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { message: string });
    expect(logLines.some((line) => line.message === 'CRM call ok')).toBe(true);
    expect(readFileSync(logPath, 'utf8')).not.toContain(token.refreshToken!);

    const refreshes = sim.stats.tokenRequests.refresh_token;
    const refresh = await tokendesk('refresh', token.id!, '--source', uri, '--json');
    expect(refresh.code).toBe(0);
    expect(sim.stats.tokenRequests.refresh_token).toBe(refreshes + 1);
    expect(readFileSync(path, 'utf8')).not.toContain(token.accessToken!);
    expect(readFileSync(path, 'utf8')).toContain(token.refreshToken!);

    const revoke = await tokendesk('revoke', token.id!, '--source', uri);
    // Named where it was deleted: the integration's file, not this computer.
    expect(revoke).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(
        `Token ${token.id} revoked at Zoho and deleted from FileStore sdk_tokens.txt.`,
      ),
    });
    expect(revoke.stdout).not.toContain('this computer');
    expect(sim.isRefreshTokenActive(token.refreshToken!)).toBe(false);
    expect(readFileSync(path, 'utf8')).not.toContain(token.refreshToken!);
  });

  it('revoke --keep revokes at Zoho and leaves the row; an unknown id fails with one line', async () => {
    const { path, tokens } = await fileStoreWith('keep.txt', [US_USER.email]);
    const uri = `filestore:${path}`;
    const keep = await tokendesk('revoke', tokens[0]!.id!, '--source', uri, '--keep');
    expect(keep.code).toBe(0);
    expect(sim.isRefreshTokenActive(tokens[0]!.refreshToken!)).toBe(false);
    expect(readFileSync(path, 'utf8')).toContain(tokens[0]!.refreshToken!);

    const missing = await tokendesk('refresh', '999', '--source', uri);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^tokendesk: /);
  });

  it(
    'import moves FileStore tokens into a new encrypted local store; export writes them back only with --yes-plaintext',
    async () => {
      const { path, tokens } = await fileStoreWith('import.txt', [US_USER.email, 'second@example.com']);
      const imported = await tokendesk('import', '--from', `filestore:${path}`, '--move', '--json');
      expect(imported.code).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ moved: 2, failed: 0 });
      expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
      const db = readFileSync(join(env.TOKENDESK_DATA_DIR!, DB_FILE)).toString('latin1');
      for (const t of tokens) expect(db.includes(t.refreshToken!)).toBe(false);

      const local = JSON.parse((await tokendesk('list', '--json')).stdout) as {
        userName: string;
        source: string;
      }[];
      expect(local.map((r) => r.userName).sort()).toEqual([US_USER.email, 'second@example.com'].sort());
      expect(local[0]?.source).toBe('local');

      const out = join(dir, 'exported.txt');
      const refused = await tokendesk('export', '--to', `filestore:${out}`);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('keeps secrets in plaintext; nothing was copied');
      expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1);

      const exported = await tokendesk('export', '--to', `filestore:${out}`, '--yes-plaintext');
      expect(exported.code).toBe(0);
      expect(exported.stdout).toContain('2 copied, 0 moved, 0 failed.');
      for (const t of tokens) expect(readFileSync(out, 'utf8')).toContain(t.refreshToken!);

      const wrong = await tokendesk('list', '--json');
      expect(wrong.code).toBe(0);
      env = { ...env, TOKENDESK_PASSPHRASE: 'not the passphrase' };
      const denied = await tokendesk('list');
      env = { ...env, TOKENDESK_PASSPHRASE: 'a long enough passphrase for the cli' };
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain('That passphrase is not correct.');
    },
    SIX_CLI_RUNS_MS,
  );

  it(
    'opens a keychain store only once it also has a passphrase, and then with that passphrase',
    async () => {
      const dataDir = join(dir, 'keychain-data');
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const store = await SqliteTokenStore.open({
        path: join(dataDir, DB_FILE),
        protector: testKeychainProtector(),
      });
      const token = await simToken(sim, wiring.clients, 'keychain.user@example.com');
      await store.saveToken(token);
      const keychainEnv = {
        ...env,
        TOKENDESK_DATA_DIR: dataDir,
        TOKENDESK_PASSPHRASE: 'the cli passphrase here',
      };
      const saved = env;
      env = keychainEnv;
      try {
        const refused = await tokendesk('list', '--json');
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('protected by the system keychain only');
        expect(refused.stderr).toContain('add a passphrase');

        await store.addExtraProtector(testProtector('the cli passphrase here'));
        store.close();
        const listed = await tokendesk('list', '--json');
        expect(listed.code).toBe(0);
        const rows = JSON.parse(listed.stdout) as { userName: string; source: string }[];
        expect(rows.map((row) => row.userName)).toEqual(['keychain.user@example.com']);
        expect(listed.stdout).not.toContain(token.refreshToken!);

        env = { ...keychainEnv, TOKENDESK_PASSPHRASE: 'not the cli passphrase' };
        const wrong = await tokendesk('list');
        expect(wrong.code).toBe(1);
        expect(wrong.stderr).toContain('That passphrase is not correct.');
      } finally {
        env = saved;
        store.close();
      }
    },
    SIX_CLI_RUNS_MS,
  );

  it('a wrong command line or source URI is a usage error (exit 2)', async () => {
    expect((await tokendesk('frobnicate')).code).toBe(2);
    const bad = await tokendesk('list', '--source', 'ftp://user:secret@host/x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a source TokenDesk knows');
    expect(bad.stderr).not.toContain('secret');
  });

  it.runIf(mysqlAvailable)(
    "lists and revokes a leaver's token in an SDK DBStore table on MySQL",
    async () => {
      const table = freshTableName();
      const uri = testTableUri(table);
      const source = await new SourceRegistry().open(uri, { resolve: wiring.resolve, create: true });
      const token = await simToken(sim, wiring.clients, 'leaver@example.com');
      await source.store.saveToken(token);
      await source.close();
      try {
        const list = JSON.parse((await tokendesk('list', '--source', uri, '--json')).stdout) as {
          id: string;
          userName: string;
          source: string;
        }[];
        expect(list).toMatchObject([{ id: token.id, userName: 'leaver@example.com' }]);
        expect(list[0]?.source).not.toContain(new URL(uri).password);
        const revoke = await tokendesk('revoke', token.id!, '--source', uri, '--json');
        expect(revoke.code).toBe(0);
        expect(JSON.parse(revoke.stdout)).toMatchObject({
          deleted: true,
          deletedFrom: displayNameOf(parseSourceUri(uri)),
        });
        expect(sim.isRefreshTokenActive(token.refreshToken!)).toBe(false);
        expect(JSON.parse((await tokendesk('list', '--source', uri, '--json')).stdout)).toEqual([]);
      } finally {
        const admin = await adminConnection();
        await admin.query(`DROP TABLE IF EXISTS \`${table}\``);
        await admin.end();
      }
    },
  );
});
