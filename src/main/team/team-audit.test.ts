import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { auditOutcomeShown } from '../../shared/audit-outcome';
import { TeamAuditLog } from './team-audit-log';
import { TeamConnection } from './team-connection';
import { migrateTeamSchema, TEAM_SCHEMA_VERSION } from './team-schema';
import { createTestTeamStore, pgTestServer } from './test-support/pg-test-server';

/**
 * The team audit's source field and `partial` outcome (docs/team-store.md "Audit"): stored and filtered
 * like the local audit log; a store of schema version 1 gains them on open, its rows kept as written.
 */
const server = await pgTestServer();
const url = server.available ? server.url : '';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
let admin: pg.Client | null = null;
async function sql(schema: string, text: string) {
  if (!admin) {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  }
  await admin.query(`SET search_path = ${schema}`);
  return (await admin.query(text)).rows;
}
afterAll(async () => {
  await admin?.end();
});

describe.skipIf(!server.available)('the team audit: source and partial outcome (PostgreSQL)', () => {
  it('stores both as fields and filters by them', async () => {
    const made = await createTestTeamStore(url);
    cleanups.push(made.cleanup);
    const audit = made.store.audit;
    await audit.record({ action: 'refresh', outcome: 'success', detail: 'Refreshed.', tokenId: '1' });
    await audit.record({
      action: 'clear',
      outcome: 'partial',
      source: 'FileStore sdk_tokens.txt',
      detail: 'Clear all, partly done: 2 of 3 tokens deleted.',
    });
    await audit.record({ action: 'revoke', outcome: 'failure', detail: 'Zoho did not confirm.' });

    expect((await audit.list({ outcome: 'partial' })).map((e) => [e.action, e.source])).toEqual([
      ['clear', 'FileStore sdk_tokens.txt'],
    ]);
    expect((await audit.list({ outcome: 'failure' })).map((e) => e.action)).toEqual(['revoke']);
    expect((await audit.list({ source: 'FileStore sdk_tokens.txt' })).map((e) => e.action)).toEqual([
      'clear',
    ]);
    expect((await audit.list({ source: 'local' })).map((e) => e.action)).toEqual(['revoke', 'refresh']);
    await expect(
      sql(
        made.schema,
        "INSERT INTO team_audit (at, actor, action, outcome, detail) VALUES (1, 'x', 'x', 'maybe', 'x')",
      ),
    ).rejects.toThrow(/team_audit_outcome_check/);
  });

  it('a version-1 store gains the column and outcome on open; its old rows stay as written and read as before', async () => {
    const made = await createTestTeamStore(url);
    cleanups.push(made.cleanup);
    const { schema } = made;
    // Back to version 1's shape, with a row written the way version 1 said "partly done".
    await sql(
      schema,
      `DROP INDEX team_audit_source_at;
       ALTER TABLE team_audit DROP COLUMN source;
       ALTER TABLE team_audit DROP CONSTRAINT team_audit_outcome_check;
       ALTER TABLE team_audit ADD CONSTRAINT team_audit_outcome_check CHECK (outcome IN ('success', 'failure'));
       UPDATE team_meta SET value = '1' WHERE key = 'schema_version';
       INSERT INTO team_audit (at, actor, action, outcome, detail)
         VALUES (1, 'old member', 'delete', 'failure', 'Partly done: deleted, but Zoho did not revoke it.'),
                (2, 'old member', 'refresh', 'failure', 'Zoho answered invalid_code.');`,
    );
    const connection = new TeamConnection({ connectionString: url, schema });
    cleanups.push(() => connection.close());
    await migrateTeamSchema(connection);
    expect(await sql(schema, "SELECT value FROM team_meta WHERE key = 'schema_version'")).toEqual([
      { value: String(TEAM_SCHEMA_VERSION) },
    ]);
    const audit = new TeamAuditLog(connection, 'new member');
    await audit.record({ action: 'clear', outcome: 'partial', source: 'sqlite zohooauth.db', detail: 'x' });
    const rows = await audit.list();
    expect(rows.map((r) => [r.action, r.outcome, r.source])).toEqual([
      ['clear', 'partial', 'sqlite zohooauth.db'],
      ['refresh', 'failure', null],
      ['delete', 'failure', null],
    ]);
    // The old row is shown, and found, as partly done; the plain failure is not.
    expect(rows.map(auditOutcomeShown)).toEqual(['partly-done', 'failure', 'partly-done']);
    expect((await audit.list({ outcome: 'partial' })).map((r) => r.action)).toEqual(['clear', 'delete']);
    expect((await audit.list({ outcome: 'failure' })).map((r) => r.action)).toEqual(['refresh']);
  });
});
