import { describe, expect, it } from 'vitest';
import { emptyToken, type OAuthToken } from '../oauth-token';
import { TokenStoreError } from '../token-store';
import type { ConformanceFixtures } from './fixtures.conformance';

/** The conformance suite's first part: an empty store, unknown ids, and what saveToken keeps and refuses. */
export function describeSaving(fixtures: ConformanceFixtures): void {
  const { store, full, saved, keptScopes, sdkLayout } = fixtures;

  describe('empty and unknown', () => {
    it('getTokens returns [] on an empty store', async () => {
      expect(await store().getTokens()).toEqual([]);
      expect(await store().listEntries()).toEqual([]);
    });

    it('findTokenById returns null for unknown or malformed ids, never throws', async () => {
      expect(await store().findTokenById('1')).toBeNull();
      expect(await store().findTokenById('999999')).toBeNull();
      expect(await store().findTokenById('')).toBeNull();
      expect(await store().findTokenById("1' OR '1'='1")).toBeNull();
      expect(await store().findTokenById('-1')).toBeNull();
    });

    it('findToken returns null when nothing matches', async () => {
      expect(await store().findToken(emptyToken({ userName: 'nobody@example.com' }))).toBeNull();
      expect(await store().findToken(emptyToken({ refreshToken: '1000.none' }))).toBeNull();
      expect(await store().findToken(emptyToken())).toBeNull();
    });

    it('deleteToken of an unknown id and deleteTokens of an empty store are no-ops', async () => {
      await store().deleteToken('42');
      await store().deleteToken('not-an-id');
      await store().deleteTokens();
      expect(await store().getTokens()).toEqual([]);
    });
  });

  describe('saveToken and findTokenById', () => {
    it('assigns a decimal id and round-trips every field', async () => {
      const token = await saved(
        full({ userName: 'a@example.com', grantToken: '1000.grant', lastError: 'x' }),
      );
      const found = await store().findTokenById(token.id!);
      expect(found).toMatchObject({
        ...token,
        scopes: keptScopes(['ZohoCRM.users.READ', 'ZohoCRM.org.READ']),
        createdAt: sdkLayout ? null : expect.any(Number),
        updatedAt: sdkLayout ? null : expect.any(Number),
      });
      expect(found?.scopes).toEqual(keptScopes(['ZohoCRM.users.READ', 'ZohoCRM.org.READ']));
    });

    it('a token getTokens handed out (read-only, maybe frozen) saves back as it is', async () => {
      const token = await saved(full({ userName: 'a@example.com' }));
      const [read] = await store().getTokens();
      await store().saveToken(read as OAuthToken);
      expect((await store().findTokenById(token.id!))?.refreshToken).toBe(token.refreshToken);
      expect(await store().getTokens()).toHaveLength(1);
    });

    it('hands out copies: mutating a returned token does not change the store', async () => {
      const token = await saved(full({ userName: 'a@example.com' }));
      const found = (await store().findTokenById(token.id!))!;
      found.accessToken = 'changed';
      (found.scopes as string[] | null)?.push('mutated');
      token.scopes = null;
      const again = await store().findTokenById(token.id!);
      expect(again?.accessToken).toBe('1000.access');
      expect(again?.scopes).toEqual(keptScopes(['ZohoCRM.users.READ', 'ZohoCRM.org.READ']));
    });

    it('gives 25 tokens 25 unique, increasing ids (no max(id)+1 on text)', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) ids.push((await saved(full({ userName: `user${i}@example.com` }))).id!);
      expect(new Set(ids).size).toBe(25);
      const numeric = ids.map(Number);
      expect(numeric).toEqual([...numeric].sort((a, b) => a - b));
      expect(await store().getTokens()).toHaveLength(25);
      for (const [i, id] of ids.entries()) {
        expect((await store().findTokenById(id))?.userName).toBe(`user${i}@example.com`);
      }
    });

    it('never reuses the id of a deleted token', async () => {
      const a = await saved(full({ userName: 'a@example.com' }));
      const b = await saved(full({ userName: 'b@example.com' }));
      await store().deleteToken(b.id!);
      const c = await saved(full({ userName: 'c@example.com' }));
      expect(Number(c.id)).toBeGreaterThan(Number(b.id));
      await store().deleteTokens();
      const d = await saved(full({ userName: 'd@example.com' }));
      expect(Number(d.id)).toBeGreaterThan(Number(c.id));
      expect(await store().findTokenById(a.id!)).toBeNull();
    });

    it('upserts the same identity: saving twice leaves one row, updated', async () => {
      const first = await saved(full({ userName: 'a@example.com' }));
      const second = await saved(full({ userName: 'a@example.com', accessToken: '1000.access2' }));
      expect(second.id).toBe(first.id);
      const all = await store().getTokens();
      expect(all).toHaveLength(1);
      expect(all[0]?.accessToken).toBe('1000.access2');
    });

    it('keeps stored values for fields the saved token lacks', async () => {
      const first = await saved(full({ userName: 'a@example.com', grantToken: '1000.grant' }));
      await saved(
        emptyToken({
          userName: 'a@example.com',
          clientId: '1000.CLIENT',
          dataCenter: 'US',
          environment: 'production',
          accessToken: '1000.fresh',
          expiryTime: '1900000000000',
        }),
      );
      const found = await store().findTokenById(first.id!);
      expect(found).toMatchObject({
        refreshToken: '1000.refresh',
        clientSecret: 'client-secret',
        grantToken: '1000.grant',
        accessToken: '1000.fresh',
        expiryTime: '1900000000000',
        redirectUrl: 'http://127.0.0.1:53682/callback',
      });
    });

    it('lastError is always taken from the saved token, so a success clears it', async () => {
      const t = await saved(full({ userName: 'a@example.com', lastError: 'Zoho said invalid_code' }));
      expect((await store().findTokenById(t.id!))?.lastError).toBe('Zoho said invalid_code');
      await saved(full({ userName: 'a@example.com', lastError: null }));
      expect((await store().findTokenById(t.id!))?.lastError).toBeNull();
    });

    it('a token with an id updates that row, even when its identity changed', async () => {
      const t = await saved(full({ userName: 'a@example.com' }));
      await saved(emptyToken({ id: t.id, userName: 'renamed@example.com', accessToken: '1000.new' }));
      const all = await store().getTokens();
      expect(all).toHaveLength(1);
      expect(all[0]).toMatchObject({ id: t.id, userName: 'renamed@example.com', accessToken: '1000.new' });
    });

    it('keeps users, clients, data centers and environments apart', async () => {
      const base = { userName: 'a@example.com' };
      const ids = [
        (await saved(full(base))).id,
        (await saved(full({ ...base, clientId: '1000.OTHER' }))).id,
        (await saved(full({ ...base, environment: 'sandbox' }))).id,
        (await saved(full({ ...base, dataCenter: 'EU' }))).id,
        (await saved(full({ userName: 'b@example.com' }))).id,
      ];
      expect(new Set(ids).size).toBe(5);
      expect(await store().getTokens()).toHaveLength(5);
      const sandbox = await store().findToken(
        emptyToken({ ...base, clientId: '1000.CLIENT', environment: 'sandbox' }),
      );
      expect(sandbox?.id).toBe(ids[2]);
      const eu = await store().findToken(emptyToken({ ...base, dataCenter: 'EU' }));
      expect(eu?.id).toBe(ids[3]);
      const other = await store().findToken(emptyToken({ ...base, clientId: '1000.OTHER' }));
      expect(other?.id).toBe(ids[1]);
    });

    it('rejects a user name (or id) with no grant/refresh/access token and no match', async () => {
      const err = await store()
        .saveToken(emptyToken({ userName: 'ghost@example.com' }))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TokenStoreError);
      expect((err as TokenStoreError).code).toBe('NOT_FOUND_DETAILS');
      expect((err as TokenStoreError).message).toContain('Given user authentication details not found.');
      await expect(store().saveToken(emptyToken({ id: '77', clientId: 'x' }))).rejects.toThrow(
        'Given user authentication details not found.',
      );
      expect(await store().getTokens()).toEqual([]);
    });

    it('accepts a user name without tokens when it matches a stored row', async () => {
      const t = await saved(full({ userName: 'a@example.com' }));
      await saved(emptyToken({ userName: 'a@example.com', lastError: 'revoked' }));
      expect((await store().findTokenById(t.id!))?.lastError).toBe('revoked');
    });

    it('rejects an unknown data center or environment', async () => {
      const bad = { ...full({ userName: 'a@example.com' }), dataCenter: 'XX' } as unknown as OAuthToken;
      await expect(store().saveToken(bad)).rejects.toMatchObject({ code: 'MALFORMED_TOKEN' });
    });
  });
}
