import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceView } from '../../shared/ipc/sources';
import type { AuditEntry, ClearAllResult, DeleteResult } from '../../shared/ipc/views';
import { SourceRegistry } from '../sources/source-registry';
import { simToken, simWiring } from '../sources/test-support/sim-zoho';
import { simulatedCores, TEST_PASSPHRASE } from './test-support/test-core';

/** The console's token-source channels, through the real router (strict responses) and the real core. */
const PASS = TEST_PASSPHRASE;
const env = simulatedCores();
const start = () => env.start();

describe('token sources in the console', () => {
  it('add a FileStore source, list its tokens, revoke one there, import one; settings sealed in the store', async () => {
    const wiring = simWiring(env.sim);
    const path = join(env.dir, 'integration', 'sdk_tokens.txt');
    mkdirSync(join(env.dir, 'integration'));
    const fileSource = await new SourceRegistry().open(`filestore:${path}`, {
      resolve: wiring.resolve,
      create: true,
    });
    const leaver = await simToken(env.sim, wiring.clients, 'leaver@example.com');
    const stays = await simToken(env.sim, wiring.clients, 'stays@example.com');
    await fileSource.store.saveToken(leaver);
    await fileSource.store.saveToken(stays);
    await fileSource.close();

    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const bad = await app.ok('testSource', {
      settings: { kind: 'filestore', path: join(env.dir, 'nope.txt') },
    });
    expect(bad).toEqual({
      ok: false,
      message: 'The token file nope.txt was not found.',
      tokenCount: null,
      unreadableCount: null,
    });

    const added = await app.ok<SourceView>('addSource', { settings: { kind: 'filestore', path } });
    expect(added).toMatchObject({
      kind: 'filestore',
      plaintextAtRest: true,
      health: { ok: true, tokenCount: 2 },
    });
    const views = await app.list(added.id);
    expect(views.map((v) => [v.userName, v.dataCenter, v.status])).toEqual([
      ['leaver@example.com', 'US', 'valid'],
      ['stays@example.com', 'US', 'valid'],
    ]);

    const revoked = await app.ok('deleteToken', { sourceId: added.id, id: leaver.id, revoke: true });
    expect(revoked).toMatchObject({ deleted: true, revoke: { state: 'revoked' } });
    expect(env.sim.isRefreshTokenActive(leaver.refreshToken!)).toBe(false);
    expect(readFileSync(path, 'utf8')).not.toContain(leaver.refreshToken!);
    // The audit names the source in its own field, and filters by it.
    const audit = await app.ok<{ action: string; source: string | null }[]>('listAudit', {
      source: 'FileStore sdk_tokens.txt',
    });
    expect(audit.map((e) => e.action).sort()).toEqual(['delete', 'revoke']);
    const own = await app.ok<{ source: string | null }[]>('listAudit', { source: 'local' });
    expect(own.every((e) => e.source === null)).toBe(true);
    expect(own.length).toBeGreaterThan(0);

    const imported = await app.ok<{ copied: number }>('transferTokens', {
      fromSourceId: added.id,
      toSourceId: 'local',
      ids: [stays.id],
    });
    expect(imported).toMatchObject({ copied: 1, failed: 0 });
    expect((await app.list()).map((v) => v.userName)).toEqual(['stays@example.com']);

    // The source's path is sealed in the store's files (database and WAL), never in plaintext; the audit
    // log names the source by its file name only.
    const bytes = ['', '-wal']
      .map((suffix) => join(env.dir, 'data', `tokendesk.db${suffix}`))
      .filter((p) => existsSync(p))
      .map((p) => readFileSync(p).toString('latin1'))
      .join('\n');
    expect(bytes.includes(join(env.dir, 'integration'))).toBe(false);
    expect(bytes.includes(stays.refreshToken!)).toBe(false);
  });

  it('a source token is never deleted while Zoho may still accept it: "delete anyway" is refused, the file untouched', async () => {
    const wiring = simWiring(env.sim);
    const path = join(env.dir, 'sdk_tokens.txt');
    const fileSource = await new SourceRegistry().open(`filestore:${path}`, {
      resolve: wiring.resolve,
      create: true,
    });
    const token = await simToken(env.sim, wiring.clients, 'kept@example.com');
    await fileSource.store.saveToken(token);
    await fileSource.close();
    const before = readFileSync(path, 'utf8');

    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const added = await app.ok<SourceView>('addSource', { settings: { kind: 'filestore', path } });
    env.sim.injectFault({ kind: 'revoke', fault: '5xx', times: 5 });
    const one = await app.call('deleteToken', {
      sourceId: added.id,
      id: token.id,
      revoke: true,
      deleteIfRevokeFails: true,
    });
    expect(one).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message:
          'A token in a token source is deleted only once Zoho confirmed its revoke; nothing was revoked or deleted.',
      },
    });
    const all = await app.call('clearAllTokens', {
      sourceId: added.id,
      revoke: true,
      expectedCount: 1,
      deleteIfRevokeFails: true,
    });
    expect(all).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    // Without the option, a failed revoke keeps the row in the file, and the answer says so.
    const kept = await app.ok('clearAllTokens', { sourceId: added.id, revoke: true, expectedCount: 1 });
    expect(kept).toMatchObject({ deletedCount: 0, revokeFailedCount: 1 });
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(env.sim.isRefreshTokenActive(token.refreshToken!)).toBe(true);
  });

  it('an export to a plaintext source needs the typed confirmation; settings survive a passphrase change', async () => {
    const wiring = simWiring(env.sim);
    const path = join(env.dir, 'export.txt');
    writeFileSync(
      path,
      'id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain',
    );
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const added = await app.ok<SourceView>('addSource', { settings: { kind: 'filestore', path } });
    // A token in the local store, through the core's own import of a refresh token.
    const token = await simToken(env.sim, wiring.clients, 'local@example.com');
    await app.ok('importRefreshToken', {
      dataCenter: 'US',
      environment: 'production',
      clientId: token.clientId,
      clientSecret: token.clientSecret,
      refreshToken: token.refreshToken,
    });
    const unconfirmed = await app.call('transferTokens', { fromSourceId: 'local', toSourceId: added.id });
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(readFileSync(path, 'utf8')).not.toContain(token.refreshToken!);
    const confirmed = await app.ok('transferTokens', {
      fromSourceId: 'local',
      toSourceId: added.id,
      confirmation: 'PLAINTEXT',
    });
    expect(confirmed).toMatchObject({ copied: 1 });
    expect(readFileSync(path, 'utf8')).toContain(token.refreshToken!);

    await app.ok('changePassphrase', { current: PASS, next: 'a brand new passphrase' });
    await app.core.close();
    const again = await start();
    await again.ok('unlockStore', { passphrase: 'a brand new passphrase' });
    const sources = await again.ok<SourceView[]>('listSources');
    expect(sources.map((s) => [s.id, s.health?.tokenCount])).toEqual([[added.id, 1]]);
    await again.ok('removeSource', { id: added.id });
    expect(await again.ok('listSources')).toEqual([]);
    expect(readFileSync(path, 'utf8')).toContain(token.refreshToken!);
  });

  it('a removal from a source names the source, in the answer and the audit; names are listed without reading', async () => {
    const wiring = simWiring(env.sim);
    const path = join(env.dir, 'sdk_tokens.txt');
    const fileSource = await new SourceRegistry().open(`filestore:${path}`, {
      resolve: wiring.resolve,
      create: true,
    });
    const gone = await simToken(env.sim, wiring.clients, 'gone@example.com');
    const cleared = await simToken(env.sim, wiring.clients, 'cleared@example.com');
    await fileSource.store.saveToken(gone);
    await fileSource.store.saveToken(cleared);
    await fileSource.close();
    const app = await start();
    await app.ok('setupStore', { protector: 'passphrase', passphrase: PASS });
    const added = await app.ok<SourceView>('addSource', { settings: { kind: 'filestore', path } });
    const name = 'FileStore sdk_tokens.txt';

    // Zoho fails the revoke: kept in the file, and the audit says where it was kept.
    env.sim.injectFault({ kind: 'revoke', fault: '5xx', times: 1 });
    const kept = await app.ok<DeleteResult>('deleteToken', { sourceId: added.id, id: gone.id, revoke: true });
    expect(kept).toMatchObject({ deleted: false, revoke: { state: 'failed' }, deletedFrom: name });
    expect(readFileSync(path, 'utf8')).toContain(gone.refreshToken!);

    const deleted = await app.ok<DeleteResult>('deleteToken', {
      sourceId: added.id,
      id: gone.id,
      revoke: true,
    });
    expect(deleted).toMatchObject({ deleted: true, revoke: { state: 'revoked' }, deletedFrom: name });
    const all = await app.ok<ClearAllResult>('clearAllTokens', {
      sourceId: added.id,
      revoke: true,
      expectedCount: 1,
    });
    expect(all.results.map((r) => [r.deleted, r.deletedFrom])).toEqual([[true, name]]);
    // What the answers say is what happened: gone from the file, dead at Zoho.
    expect(readFileSync(path, 'utf8').split('\n').slice(1).filter(Boolean)).toEqual([]);
    expect(env.sim.isRefreshTokenActive(gone.refreshToken!)).toBe(false);
    expect(env.sim.isRefreshTokenActive(cleared.refreshToken!)).toBe(false);
    const audit = await app.ok<AuditEntry[]>('listAudit', { source: name });
    const words = audit.filter((e) => e.action === 'delete' || e.action === 'clear').map((e) => e.detail);
    expect(words.sort()).toEqual([
      'Clear all: the only token revoked at Zoho (or already cut there) and deleted from FileStore sdk_tokens.txt.',
      'Not deleted from FileStore sdk_tokens.txt: the revoke failed and deleting anyway was not asked for.',
      'Revoked at Zoho and deleted from FileStore sdk_tokens.txt (Clear all).',
      'Revoked at Zoho and deleted from FileStore sdk_tokens.txt.',
    ]);

    // Names only: no source is opened or read, so one whose file has gone is still listed, by its name.
    rmSync(path);
    const names = await app.ok<SourceView[]>('listSources', { health: false });
    expect(names).toEqual([expect.objectContaining({ id: added.id, displayName: name, health: null })]);
    const withHealth = await app.ok<SourceView[]>('listSources');
    expect(withHealth[0]?.health).toMatchObject({
      ok: false,
      message: 'The token file sdk_tokens.txt was not found.',
    });
  });
});
