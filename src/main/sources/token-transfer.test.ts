import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionAuditLog } from '../audit/session-audit-log';
import { emptyToken } from '../store/oauth-token';
import { openTempStore, tempDir } from '../store/test-support/temp-store';
import { accountResolver } from './account-from-api-domain';
import { localSource, SourceRegistry } from './source-registry';
import { transferTokens } from './token-transfer';

const HEADER =
  'id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain';
const registry = new SourceRegistry();
const resolve = accountResolver();
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('import and export between sources', () => {
  it('move: each FileStore token is in the encrypted store, read back intact, before its line is removed', async () => {
    const path = join(dir, 'sdk_tokens.txt');
    writeFileSync(
      path,
      `${HEADER}\n1,a@example.com:6001,c,s,1000.ra,1000.aa,,1893456000000,,https://www.zohoapis.eu\n2,b@example.com,c,s,1000.rb,,,,,https://sandbox.zohoapis.com\n3,broken`,
    );
    const from = await registry.open(`filestore:${path}`, { resolve });
    const { store, path: dbPath, cleanup: done } = await openTempStore();
    try {
      const audit = new SessionAuditLog();
      const progress: number[] = [];
      const result = await transferTokens(
        { from, to: localSource(store), move: true, onProgress: (p) => progress.push(p.done) },
        audit,
      );
      expect(result).toMatchObject({ moved: 2, copied: 0, failed: 1 });
      expect(result.outcomes.find((o) => o.state === 'failed')?.message).toContain(
        'Line 4 of the token file cannot be read',
      );
      expect(progress.at(-1)).toBe(3);
      const local = await store.getTokens();
      expect(local.map((t) => [t.userName, t.dataCenter, t.environment, t.refreshToken])).toEqual([
        ['a@example.com:6001', 'EU', 'production', '1000.ra'],
        ['b@example.com', 'US', 'sandbox', '1000.rb'],
      ]);
      // Only the unreadable line stays behind; the encrypted file holds no refresh token in plaintext.
      expect(readFileSync(path, 'utf8')).toBe(`${HEADER}\n3,broken`);
      expect(readFileSync(dbPath).toString('latin1')).not.toContain('1000.ra');
      expect(audit.list().map((e) => e.detail)).toContain(
        `2 token(s) moved from FileStore sdk_tokens.txt to This computer (encrypted); 1 failed (ids 1→1, 2→2).`,
      );
    } finally {
      store.close();
      done();
    }
  });

  it('a token the destination cannot hold fails alone, is named, and stays in the source', async () => {
    const { store, cleanup: done } = await openTempStore();
    try {
      await store.saveToken(
        emptyToken({ userName: 'ok@example.com', refreshToken: '1000.ok', clientId: 'c' }),
      );
      await store.saveToken(
        emptyToken({ userName: 'bad@example.com', refreshToken: '1000.bad', clientId: 'line\nbreak' }),
      );
      const to = await registry.open(`filestore:${join(dir, 'out.txt')}`, { resolve, create: true });
      const result = await transferTokens(
        { from: localSource(store), to, move: true, plaintextConfirmed: true },
        new SessionAuditLog(),
      );
      expect(result).toMatchObject({ moved: 1, failed: 1 });
      expect(result.outcomes.find((o) => o.state === 'failed')).toMatchObject({
        userName: 'bad@example.com',
        message: 'A value holds a line break, which an SDK token file cannot store; nothing was written.',
      });
      expect((await store.getTokens()).map((t) => t.userName)).toEqual(['bad@example.com']);
      expect((await to.store.getTokens()).map((t) => t.userName)).toEqual(['ok@example.com']);
    } finally {
      store.close();
      done();
    }
  });
});
