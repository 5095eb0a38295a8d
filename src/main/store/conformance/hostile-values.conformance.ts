import { describe, expect, it } from 'vitest';
import { emptyToken } from '../oauth-token';
import { TokenStoreError } from '../token-store';
import type { ConformanceFixtures } from './fixtures.conformance';

/** Quotes, SQL, unicode, NUL and long values round-trip; a value longer than a column holds is refused. */
export function describeHostileValues(fixtures: ConformanceFixtures): void {
  const { store, full, saved, keptScopes, fitted, traits } = fixtures;

  describe('hostile and large values', () => {
    const hostile = [
      "' OR 1=1 --",
      "Robert'); DROP TABLE tokens;--",
      '"double" `back` \\ % _ \0 nul',
      'ünïcødé 🔑 名前 עברית',
      'x'.repeat(10 * 1024),
    ];

    it('round-trips quotes, SQL, unicode, NUL and 10 KB values in every field', async () => {
      const ids: string[] = [];
      for (const [i, raw] of hostile.entries()) {
        const value = fitted(raw);
        const t = await saved(
          full({
            userName: `${value}#${i}`,
            clientId: value,
            clientSecret: `${value}-secret`,
            refreshToken: `${value}-refresh-${i}`,
            accessToken: `${value}-access-${i}`,
            grantToken: `${value}-grant-${i}`,
            apiDomain: value,
            lastError: value,
            scopes: [value],
          }),
        );
        ids.push(t.id!);
      }
      expect(await store().getTokens()).toHaveLength(hostile.length);
      for (const [i, raw] of hostile.entries()) {
        const value = fitted(raw);
        const byId = await store().findTokenById(ids[i]!);
        expect(byId).toMatchObject({
          userName: `${value}#${i}`,
          clientId: value,
          clientSecret: `${value}-secret`,
          refreshToken: `${value}-refresh-${i}`,
          scopes: keptScopes([value]),
        });
        expect((await store().findToken(emptyToken({ userName: `${value}#${i}` })))?.id).toBe(ids[i]);
        expect((await store().findToken(emptyToken({ refreshToken: `${value}-refresh-${i}` })))?.id).toBe(
          ids[i],
        );
        expect((await store().findToken(emptyToken({ accessToken: `${value}-access-${i}` })))?.id).toBe(
          ids[i],
        );
      }
    });

    it.runIf(traits.maxFieldLength !== undefined)(
      'refuses a value longer than its column holds, and writes nothing',
      async () => {
        const long = 'x'.repeat((traits.maxFieldLength ?? 0) + 1);
        const err = await store()
          .saveToken(full({ userName: 'a@example.com', refreshToken: long }))
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TokenStoreError);
        expect((err as TokenStoreError).code).toBe('MALFORMED_TOKEN');
        expect((err as TokenStoreError).message).toContain('longer than');
        expect(await store().getTokens()).toEqual([]);
      },
    );
  });
}
