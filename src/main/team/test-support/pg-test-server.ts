import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PassphraseKeyProtector } from '../../store/passphrase-key-protector';
import { TEST_SCRYPT_COST } from '../../store/test-support/temp-store';
import { MemberKey } from '../member-key';
import { TeamTokenStore } from '../team-token-store';

/**
 * The PostgreSQL server the team store's tests use: `TOKENDESK_TEST_PG_URL` (set by `.ci/run`, or by hand:
 * docs/team-store.md "Tests"). Outside CI, a missing or unreachable server skips those tests with the
 * reason printed; in CI (CI=true) it fails them, so a broken setup never passes as "skipped".
 */
export type PgTestServer = { readonly available: true; readonly url: string } | { readonly available: false };

export async function pgTestServer(): Promise<PgTestServer> {
  const url = process.env.TOKENDESK_TEST_PG_URL;
  const inCi = process.env.CI === 'true';
  let reason: string;
  if (!url) {
    reason = 'TOKENDESK_TEST_PG_URL is not set';
  } else {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { available: true, url };
    } catch (error) {
      reason = `PostgreSQL at TOKENDESK_TEST_PG_URL is unreachable (${(error as Error).message})`;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (inCi) throw new Error(`Team store tests need PostgreSQL in CI: ${reason}.`);
  console.log(`Skipping PostgreSQL team store tests: ${reason}.`);
  return { available: false };
}

/** A schema name no other test uses, so each test gets an empty team store in the shared database. */
export function freshSchema(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** The cheapest scrypt cost; tests exercise the wrapping, not the work factor. */
export function testMemberProtector(passphrase = 'member passphrase'): PassphraseKeyProtector {
  return new PassphraseKeyProtector(passphrase, { cost: TEST_SCRYPT_COST });
}

/** A new team store in a fresh schema, created by a new member; `cleanup` closes it and drops the schema. */
export async function createTestTeamStore(url: string, name = 'first member') {
  const schema = freshSchema();
  const store = await TeamTokenStore.create({
    connectionString: url,
    schema,
    member: MemberKey.generate(name),
    // Unique per store, so a test can find (and terminate) exactly this store's connections.
    applicationName: `tokendesk-${schema}`,
  });
  const close = store.close.bind(store);
  return {
    store,
    schema,
    cleanup: async () => {
      await close();
      await dropSchema(url, schema);
    },
  };
}
