import { describe, expect, it } from 'vitest';
import { emptyToken } from '../oauth-token';
import type { ConformanceFixtures } from './fixtures.conformance';

/** findToken's matching rules of docs/zoho.md in precedence order, and delete. */
export function describeMatching(fixtures: ConformanceFixtures): void {
  const { store, full, saved } = fixtures;

  describe('findToken matching rules, in precedence order', () => {
    it('rule 1: user name matches user (and client/dc/env where given)', async () => {
      const t = await saved(full({ userName: 'a@example.com' }));
      expect((await store().findToken(emptyToken({ userName: 'a@example.com' })))?.id).toBe(t.id);
      expect(
        (await store().findToken(emptyToken({ userName: 'a@example.com', clientId: '1000.CLIENT' })))?.id,
      ).toBe(t.id);
      expect(
        await store().findToken(emptyToken({ userName: 'a@example.com', clientId: '1000.X' })),
      ).toBeNull();
      expect(await store().findToken(emptyToken({ userName: 'A@example.com' }))).toBeNull();
    });

    it('rule 1 wins over token values, and does not fall through when the user is unknown', async () => {
      const a = await saved(
        full({ userName: 'a@example.com', refreshToken: '1000.ra', accessToken: '1000.aa' }),
      );
      await saved(full({ userName: 'b@example.com', refreshToken: '1000.rb', accessToken: '1000.ab' }));
      const byUser = await store().findToken(
        emptyToken({ userName: 'a@example.com', refreshToken: '1000.rb', accessToken: '1000.ab' }),
      );
      expect(byUser?.id).toBe(a.id);
      expect(
        await store().findToken(emptyToken({ userName: 'c@example.com', refreshToken: '1000.ra' })),
      ).toBeNull();
    });

    it('rule 2: access token without client id/secret matches the access token', async () => {
      const a = await saved(
        full({ userName: 'a@example.com', accessToken: '1000.aa', refreshToken: '1000.ra' }),
      );
      const b = await saved(
        full({ userName: 'b@example.com', accessToken: '1000.ab', refreshToken: '1000.rb' }),
      );
      expect((await store().findToken(emptyToken({ accessToken: '1000.ab' })))?.id).toBe(b.id);
      // Rule 2 before rule 3: the access token decides even when the refresh token names another row.
      expect(
        (await store().findToken(emptyToken({ accessToken: '1000.aa', refreshToken: '1000.rb' })))?.id,
      ).toBe(a.id);
      // With client credentials rule 2 does not apply, and without a refresh/grant token neither does 3.
      expect(
        await store().findToken(
          emptyToken({ accessToken: '1000.aa', clientId: '1000.CLIENT', clientSecret: 's' }),
        ),
      ).toBeNull();
    });

    it('rule 3: refresh token matches the refresh token', async () => {
      await saved(full({ userName: 'a@example.com', refreshToken: '1000.ra' }));
      const b = await saved(full({ userName: 'b@example.com', refreshToken: '1000.rb' }));
      expect((await store().findToken(emptyToken({ refreshToken: '1000.rb' })))?.id).toBe(b.id);
      const withClient = emptyToken({
        refreshToken: '1000.rb',
        clientId: '1000.CLIENT',
        clientSecret: 's',
      });
      expect((await store().findToken(withClient))?.id).toBe(b.id);
    });

    it('rule 3: grant token (with client id+secret) first, then refresh token', async () => {
      const g = await saved(
        full({ userName: 'g@example.com', grantToken: '1000.g', refreshToken: '1000.rg' }),
      );
      const r = await saved(full({ userName: 'r@example.com', refreshToken: '1000.rr' }));
      const client = { clientId: '1000.CLIENT', clientSecret: 's' };
      expect(
        (await store().findToken(emptyToken({ ...client, grantToken: '1000.g', refreshToken: '1000.rr' })))
          ?.id,
      ).toBe(g.id);
      expect(
        (
          await store().findToken(
            emptyToken({ ...client, grantToken: '1000.unknown', refreshToken: '1000.rr' }),
          )
        )?.id,
      ).toBe(r.id);
      expect((await store().findToken(emptyToken({ ...client, grantToken: '1000.g' })))?.id).toBe(g.id);
      // A grant token alone, without client credentials, matches by no rule.
      expect(await store().findToken(emptyToken({ grantToken: '1000.g' }))).toBeNull();
    });

    it('returns the stored token, filling only fields it lacks from the passed token', async () => {
      await saved(full({ userName: 'a@example.com', redirectUrl: null }));
      const found = await store().findToken(
        emptyToken({
          userName: 'a@example.com',
          redirectUrl: 'http://127.0.0.1:1/cb',
          accessToken: '1000.mine',
        }),
      );
      expect(found).toMatchObject({ redirectUrl: 'http://127.0.0.1:1/cb', accessToken: '1000.access' });
    });

    it('saveToken without user name upserts by refresh token', async () => {
      const t = await saved(emptyToken({ refreshToken: '1000.r', clientId: 'c', clientSecret: 's' }));
      // With client credentials, rule 2 (access token) does not apply, so rule 3 finds the row.
      const again = await saved(
        emptyToken({ refreshToken: '1000.r', accessToken: '1000.a2', clientId: 'c', clientSecret: 's' }),
      );
      expect(again.id).toBe(t.id);
      expect(await store().getTokens()).toHaveLength(1);
      // Without them, rule 2 applies first: an unknown access token means no match, so a new row.
      const other = await saved(emptyToken({ refreshToken: '1000.r', accessToken: '1000.a3' }));
      expect(other.id).not.toBe(t.id);
    });
  });

  describe('delete', () => {
    it('deleteToken removes one token; deleteTokens removes all', async () => {
      const a = await saved(full({ userName: 'a@example.com' }));
      const b = await saved(full({ userName: 'b@example.com' }));
      await saved(full({ userName: 'c@example.com' }));
      await store().deleteToken(a.id!);
      expect(await store().findTokenById(a.id!)).toBeNull();
      expect((await store().findTokenById(b.id!))?.userName).toBe('b@example.com');
      expect(await store().getTokens()).toHaveLength(2);
      await store().deleteTokens();
      expect(await store().getTokens()).toEqual([]);
    });
  });
}
