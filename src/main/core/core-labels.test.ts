import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { SourceView } from '../../shared/ipc/sources';
import type { AuditEntry, TokenView } from '../../shared/ipc/views';
import { SourceRegistry } from '../sources/source-registry';
import { simToken, simWiring } from '../sources/test-support/sim-zoho';
import { simulatedCores, TEST_PASSPHRASE } from './test-support/test-core';

/** Client names, labels, notes and organisations through the real router (strict responses) and core. */
const PASS = TEST_PASSPHRASE;
const env = simulatedCores();
const start = () => env.start();

type App = Awaited<ReturnType<typeof start>>;

async function importLocal(app: App, email: string): Promise<TokenView> {
  const token = await simToken(env.sim, simWiring(env.sim).clients, email);
  return app.ok<TokenView>('importRefreshToken', {
    dataCenter: 'US',
    environment: 'production',
    clientId: token.clientId,
    clientSecret: token.clientSecret,
    refreshToken: token.refreshToken,
  });
}

const pick = (v: TokenView) => ({
  user: v.userName,
  clientName: v.clientName,
  label: v.label,
  note: v.note,
  orgName: v.orgName,
});

describe('names and labels in the console', () => {
  it('a label, a note and a client name are listed, kept across a restart, and audited', async () => {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const ada = await importLocal(app, 'ada@example.com');
    await importLocal(app, 'bob@example.com');

    expect(
      await app.ok('setTokenLabel', { id: ada.id, label: ' website forms ', note: 'leaver 2026-11' }),
    ).toEqual({ id: ada.id, label: 'website forms', note: 'leaver 2026-11' });
    expect(await app.ok('setClientName', { clientId: ada.clientId, name: 'Website integration' })).toEqual({
      clientId: ada.clientId,
      name: 'Website integration',
    });
    const listed = (await app.list()).map(pick);
    expect(listed).toEqual([
      {
        user: 'ada@example.com',
        clientName: 'Website integration',
        label: 'website forms',
        note: 'leaver 2026-11',
        orgName: null,
      },
      // Same client: the name is the client's, so every token of it shows it.
      { user: 'bob@example.com', clientName: 'Website integration', label: null, note: null, orgName: null },
    ]);

    const audit = await app.ok<AuditEntry[]>('listAudit', { action: 'label' });
    expect(audit.map((e) => [e.tokenId, e.userName, e.detail])).toEqual([
      [null, null, `Client ${ada.clientId} named “Website integration”.`],
      [ada.id, 'ada@example.com', 'Label set to “website forms”; note changed (14 characters).'],
    ]);

    await app.core.close();
    const again = await start();
    await again.ok('unlockStore', { passphrase: PASS });
    expect((await again.list()).map(pick)).toEqual(listed);
  });

  it('too long or a control character: a clear error, nothing stored, nothing audited', async () => {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const ada = await importLocal(app, 'ada@example.com');
    await app.ok('setTokenLabel', { id: ada.id, label: 'kept', note: '' });
    const auditBefore = (await app.ok<AuditEntry[]>('listAudit', {})).length;

    expect(await app.call('setTokenLabel', { id: ada.id, label: 'x'.repeat(81), note: '' })).toEqual({
      ok: false,
      error: {
        code: 'INVALID_LABEL',
        message: 'A label can be at most 80 characters; this one has 81.',
        hint: 'Shorten it or remove the character, then save again.',
      },
    });
    expect(await app.call('setTokenLabel', { id: ada.id, label: 'x'.repeat(500), note: '' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('at most 80 characters') },
    });
    expect(await app.call('setClientName', { clientId: ada.clientId, name: 'tab\there' })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_LABEL',
        message: 'A client name must be one line without control characters (found U+0009).',
      },
    });
    expect(await app.call('setTokenLabel', { id: '999', label: 'ghost', note: '' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect((await app.list()).map(pick)[0]).toMatchObject({ label: 'kept', clientName: null });
    expect((await app.ok<AuditEntry[]>('listAudit', {})).length).toBe(auditBefore);
  });

  it('a test keeps the organisation (searchable after a later failed test); a delete takes the label along', async () => {
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const ada = await importLocal(app, 'ada@example.com');
    await app.ok('setTokenLabel', { id: ada.id, label: 'to go', note: 'soon' });
    const tested = await app.ok<{ ok: boolean; orgName: string | null }>('testToken', { id: ada.id });
    expect(tested.ok).toBe(true);
    expect(tested.orgName).not.toBeNull();
    expect((await app.list())[0]?.orgName).toBe(tested.orgName);
    // A later test that fails (CRM down) answers no organisation; the one found before stays listed.
    env.sim.injectFault({ kind: 'crm', fault: '5xx', times: 2 });
    const failed = await app.ok<{ ok: boolean; orgName: string | null }>('testToken', { id: ada.id });
    expect(failed).toMatchObject({ ok: false, orgName: null });
    expect((await app.list())[0]?.orgName).toBe(tested.orgName);

    await app.ok('deleteToken', { id: ada.id, revoke: true });
    const db = new Database(join(env.dir, 'data', 'tokendesk.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT * FROM token_labels').all()).toEqual([]);
    } finally {
      db.close();
    }
  });

  it("another source's tokens: labels keyed by source and token id, gone when the source is removed", async () => {
    const wiring = simWiring(env.sim);
    mkdirSync(join(env.dir, 'integration'));
    const path = join(env.dir, 'integration', 'sdk_tokens.txt');
    const file = await new SourceRegistry().open(`filestore:${path}`, {
      resolve: wiring.resolve,
      create: true,
    });
    const inFile = await simToken(env.sim, wiring.clients, 'file@example.com');
    await file.store.saveToken(inFile);
    await file.close();

    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const local = await importLocal(app, 'local@example.com');
    const source = await app.ok<SourceView>('addSource', { settings: { kind: 'filestore', path } });
    const [fileToken] = await app.list(source.id);
    await app.ok('setTokenLabel', { sourceId: source.id, id: fileToken?.id, label: 'in the file', note: '' });
    await app.ok('setTokenLabel', { id: local.id, label: 'on this computer', note: '' });

    expect((await app.list(source.id)).map((v) => v.label)).toEqual(['in the file']);
    expect((await app.list()).map((v) => v.label)).toEqual(['on this computer']);
    const audit = await app.ok<AuditEntry[]>('listAudit', { action: 'label' });
    // The source is the audit row's own field (docs/sources.md "The audit log").
    expect(audit.map((e) => [e.source, e.detail])).toContainEqual([
      'FileStore sdk_tokens.txt',
      'Label set to “in the file”.',
    ]);

    await app.ok('removeSource', { id: source.id });
    const again = await app.ok<SourceView>('addSource', { settings: { kind: 'filestore', path } });
    expect((await app.list(again.id)).map((v) => v.label)).toEqual([null]);
    expect((await app.list()).map((v) => v.label)).toEqual(['on this computer']);
  });
});
