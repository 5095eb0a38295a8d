import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { accountResolver } from '../sources/account-from-api-domain';
import { MemberKey } from './member-key';
import { addMember } from './team-members';
import { teamSourceOpener } from './team-source-opener';
import { createTestTeamStore, dropSchema, freshSchema, pgTestServer } from './test-support/pg-test-server';

/**
 * The team store opened as a token source (the command line's `--source postgres://...`): only a store
 * the key is a member of is opened; anything else is refused without touching the server's schemas.
 */
const server = await pgTestServer();
const url = server.available ? server.url : '';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const uriFor = (schema: string) => `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;
const options = { resolve: accountResolver() };

async function schemaExists(schema: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    return rows.length > 0;
  } finally {
    await client.end();
  }
}

describe.skipIf(!server.available)('teamSourceOpener', () => {
  it('a schema with no team store is refused, and no schema or table is made there', async () => {
    const schema = freshSchema();
    cleanups.push(() => dropSchema(url, schema));
    const open = teamSourceOpener(async () => MemberKey.generate('server'));
    await expect(open(uriFor(schema), options)).rejects.toMatchObject({
      code: 'NOT_A_TEAM_STORE',
      message: expect.stringContaining(`no team store in schema "${schema}"`),
    });
    expect(await schemaExists(schema)).toBe(false);
  });

  it('a key that is not a member is told so; a member opens the store', async () => {
    const team = await createTestTeamStore(url);
    cleanups.push(team.cleanup);
    const stranger = teamSourceOpener(async () => MemberKey.generate('stranger'));
    await expect(stranger(uriFor(team.schema), options)).rejects.toMatchObject({
      code: 'NOT_A_MEMBER',
      message: expect.stringContaining('you are not a member yet'),
    });
    const server = MemberKey.generate('server');
    await addMember(team.store, { publicKey: server.publicKeyText, name: 'server', access: 'read-only' });
    const source = await teamSourceOpener(async () => server)(uriFor(team.schema), options);
    try {
      expect(await source.store.getTokens()).toEqual([]);
      expect(() => source.assertWritable?.('revoke tokens')).toThrow(/read-only/);
    } finally {
      await source.close();
    }
  });
});
