import { afterEach, describe, expect, it } from 'vitest';
import { emptyToken } from '../store/oauth-token';
import { MemberKey } from './member-key';
import { addMember } from './team-members';
import { openTeamSource, parseTeamSourceUri } from './team-source';
import { createTestTeamStore, pgTestServer } from './test-support/pg-test-server';

const server = await pgTestServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('postgres:// team store source URIs', () => {
  it('describes the source without its password, and not as plaintext at rest', () => {
    const parsed = parseTeamSourceUri(
      'postgres://team:s3cret%21@db.example:5432/crm?schema=sales&sslmode=require',
    );
    expect(parsed.schema).toBe('sales');
    expect(parsed.connectionString).toBe('postgres://team:s3cret%21@db.example:5432/crm?sslmode=require');
    expect(parsed.descriptor).toMatchObject({
      kind: 'postgres',
      displayName: 'Team store team@db.example:5432/crm (sales)',
      plaintextAtRest: false,
      redactedUri: 'postgres://team:***@db.example:5432/crm?sslmode=require&schema=sales',
    });
    expect(JSON.stringify(parsed.descriptor)).not.toContain('s3cret');
    expect(parseTeamSourceUri('postgresql://h/db').schema).toBe('tokendesk');
  });

  it('refuses a URI without host or database, or with a bad schema, in plain words', () => {
    expect(() => parseTeamSourceUri('postgres://host')).toThrow('needs a host and a database');
    expect(() => parseTeamSourceUri('not a uri')).toThrow('postgres://user:password@host:5432/database');
    expect(() => parseTeamSourceUri('postgres://h/db?schema=Bad-Name')).toThrow('lower-case letters');
  });
});

describe.skipIf(!server.available)('openTeamSource (PostgreSQL)', () => {
  it('opens the team store a URI names, as a member', async () => {
    const url = server.available ? server.url : '';
    const team = await createTestTeamStore(url);
    cleanups.push(team.cleanup);
    await team.store.saveToken(emptyToken({ userName: 'a@example.com', refreshToken: '1000.r' }));
    // A second member, opening through the source URI.
    const member = MemberKey.generate('second');
    await addMember(team.store, { publicKey: member.publicKeyText, name: 'second', access: 'read-only' });
    const uri = `${url}${url.includes('?') ? '&' : '?'}schema=${team.schema}`;
    const source = await openTeamSource(uri, member);
    cleanups.push(() => source.close());
    expect(source.descriptor.kind).toBe('postgres');
    expect((await source.store.getTokens()).map((t) => t.userName)).toEqual(['a@example.com']);
  });
});
