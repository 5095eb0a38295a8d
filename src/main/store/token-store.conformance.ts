import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATA_CENTERS } from '../../shared/datacenters';
import { emptyToken, type OAuthToken } from './oauth-token';
import { type ListableTokenStore, TokenStoreError } from './token-store';

/** What a conformance factory returns: a fresh, empty store; `close` is called (and awaited) after each test. */
export type ConformanceStore = ListableTokenStore & { close?(): void | Promise<void> };

/**
 * What a store's format can hold. The official SDK's layout (FileStore CSV, DBStore table) has ten columns:
 * data center and environment are derived from the API domain, scopes and timestamps are not kept, and a
 * table's columns may be `varchar(255)`. Every other rule is the same for every store.
 */
export interface StoreTraits {
  /** Data center and environment come from `apiDomain`; no scopes, createdAt or updatedAt. */
  readonly sdkLayout?: boolean;
  /** Longest value a column holds (characters); longer values are refused with INVALID_TOKEN. */
  readonly maxFieldLength?: number;
}

/**
 * The one behaviour suite every TokenStore passes (docs/architecture.md "Tests"): the six SDK methods, the matching
 * rules of docs/zoho.md in precedence order, upserts, identity separation and the SDK stores' known
 * defects (duplicate ids past 9 rows, null from getTokens, throwing findTokenById) shown absent.
 */
export function describeTokenStoreConformance(
  name: string,
  factory: () => Promise<ConformanceStore>,
  traits: StoreTraits = {},
): void {
  describe(`TokenStore conformance: ${name}`, () => {
    let store: ConformanceStore;

    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close?.();
    });

    const sdkLayout = traits.sdkLayout === true;
    /** What the store gives back for scopes it was given. */
    const keptScopes = (scopes: string[]) => (sdkLayout ? null : scopes);
    /** A value cut to what the store's columns hold. */
    const fitted = (value: string) =>
      traits.maxFieldLength === undefined ? value : [...value].slice(0, traits.maxFieldLength - 12).join('');

    const full = (fields: Partial<OAuthToken>) => {
      const token = emptyToken({
        clientId: '1000.CLIENT',
        clientSecret: 'client-secret',
        refreshToken: '1000.refresh',
        accessToken: '1000.access',
        expiryTime: '1893456000000',
        redirectUrl: 'http://127.0.0.1:53682/callback',
        apiDomain: 'https://www.zohoapis.com',
        dataCenter: 'US',
        environment: 'production',
        scopes: ['ZohoCRM.users.READ', 'ZohoCRM.org.READ'],
        ...fields,
      });
      // In the SDK's layout the API domain is what says where a token belongs.
      if (sdkLayout && fields.apiDomain === undefined && token.dataCenter && token.environment) {
        token.apiDomain = DATA_CENTERS[token.dataCenter].apiDomains[token.environment];
      }
      return token;
    };

    const saved = async (token: OAuthToken) => {
      await store.saveToken(token);
      expect(token.id).toMatch(/^[1-9][0-9]*$/);
      return token;
    };

    describe('empty and unknown', () => {
      it('getTokens returns [] on an empty store', async () => {
        expect(await store.getTokens()).toEqual([]);
        expect(await store.listEntries()).toEqual([]);
      });

      it('findTokenById returns null for unknown or malformed ids, never throws', async () => {
        expect(await store.findTokenById('1')).toBeNull();
        expect(await store.findTokenById('999999')).toBeNull();
        expect(await store.findTokenById('')).toBeNull();
        expect(await store.findTokenById("1' OR '1'='1")).toBeNull();
        expect(await store.findTokenById('-1')).toBeNull();
      });

      it('findToken returns null when nothing matches', async () => {
        expect(await store.findToken(emptyToken({ userName: 'nobody@example.com' }))).toBeNull();
        expect(await store.findToken(emptyToken({ refreshToken: '1000.none' }))).toBeNull();
        expect(await store.findToken(emptyToken())).toBeNull();
      });

      it('deleteToken of an unknown id and deleteTokens of an empty store are no-ops', async () => {
        await store.deleteToken('42');
        await store.deleteToken('not-an-id');
        await store.deleteTokens();
        expect(await store.getTokens()).toEqual([]);
      });
    });

    describe('saveToken and findTokenById', () => {
      it('assigns a decimal id and round-trips every field', async () => {
        const token = await saved(
          full({ userName: 'a@example.com', grantToken: '1000.grant', lastError: 'x' }),
        );
        const found = await store.findTokenById(token.id!);
        expect(found).toMatchObject({
          ...token,
          scopes: keptScopes(['ZohoCRM.users.READ', 'ZohoCRM.org.READ']),
          createdAt: sdkLayout ? null : expect.any(Number),
          updatedAt: sdkLayout ? null : expect.any(Number),
        });
        expect(found?.scopes).toEqual(keptScopes(['ZohoCRM.users.READ', 'ZohoCRM.org.READ']));
      });

      it('hands out copies: mutating a returned token does not change the store', async () => {
        const token = await saved(full({ userName: 'a@example.com' }));
        const found = (await store.findTokenById(token.id!))!;
        found.accessToken = 'changed';
        (found.scopes as string[] | null)?.push('mutated');
        token.scopes = null;
        const again = await store.findTokenById(token.id!);
        expect(again?.accessToken).toBe('1000.access');
        expect(again?.scopes).toEqual(keptScopes(['ZohoCRM.users.READ', 'ZohoCRM.org.READ']));
      });

      it('gives 25 tokens 25 unique, increasing ids (no max(id)+1 on text)', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 25; i++) ids.push((await saved(full({ userName: `user${i}@example.com` }))).id!);
        expect(new Set(ids).size).toBe(25);
        const numeric = ids.map(Number);
        expect(numeric).toEqual([...numeric].sort((a, b) => a - b));
        expect(await store.getTokens()).toHaveLength(25);
        for (const [i, id] of ids.entries()) {
          expect((await store.findTokenById(id))?.userName).toBe(`user${i}@example.com`);
        }
      });

      it('never reuses the id of a deleted token', async () => {
        const a = await saved(full({ userName: 'a@example.com' }));
        const b = await saved(full({ userName: 'b@example.com' }));
        await store.deleteToken(b.id!);
        const c = await saved(full({ userName: 'c@example.com' }));
        expect(Number(c.id)).toBeGreaterThan(Number(b.id));
        await store.deleteTokens();
        const d = await saved(full({ userName: 'd@example.com' }));
        expect(Number(d.id)).toBeGreaterThan(Number(c.id));
        expect(await store.findTokenById(a.id!)).toBeNull();
      });

      it('upserts the same identity: saving twice leaves one row, updated', async () => {
        const first = await saved(full({ userName: 'a@example.com' }));
        const second = await saved(full({ userName: 'a@example.com', accessToken: '1000.access2' }));
        expect(second.id).toBe(first.id);
        const all = await store.getTokens();
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
        const found = await store.findTokenById(first.id!);
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
        expect((await store.findTokenById(t.id!))?.lastError).toBe('Zoho said invalid_code');
        await saved(full({ userName: 'a@example.com', lastError: null }));
        expect((await store.findTokenById(t.id!))?.lastError).toBeNull();
      });

      it('a token with an id updates that row, even when its identity changed', async () => {
        const t = await saved(full({ userName: 'a@example.com' }));
        await saved(emptyToken({ id: t.id, userName: 'renamed@example.com', accessToken: '1000.new' }));
        const all = await store.getTokens();
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
        expect(await store.getTokens()).toHaveLength(5);
        const sandbox = await store.findToken(
          emptyToken({ ...base, clientId: '1000.CLIENT', environment: 'sandbox' }),
        );
        expect(sandbox?.id).toBe(ids[2]);
        const eu = await store.findToken(emptyToken({ ...base, dataCenter: 'EU' }));
        expect(eu?.id).toBe(ids[3]);
        const other = await store.findToken(emptyToken({ ...base, clientId: '1000.OTHER' }));
        expect(other?.id).toBe(ids[1]);
      });

      it('rejects a user name (or id) with no grant/refresh/access token and no match', async () => {
        const err = await store
          .saveToken(emptyToken({ userName: 'ghost@example.com' }))
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TokenStoreError);
        expect((err as TokenStoreError).code).toBe('NOT_FOUND_DETAILS');
        expect((err as TokenStoreError).message).toContain('Given user authentication details not found.');
        await expect(store.saveToken(emptyToken({ id: '77', clientId: 'x' }))).rejects.toThrow(
          'Given user authentication details not found.',
        );
        expect(await store.getTokens()).toEqual([]);
      });

      it('accepts a user name without tokens when it matches a stored row', async () => {
        const t = await saved(full({ userName: 'a@example.com' }));
        await saved(emptyToken({ userName: 'a@example.com', lastError: 'revoked' }));
        expect((await store.findTokenById(t.id!))?.lastError).toBe('revoked');
      });

      it('rejects an unknown data center or environment', async () => {
        const bad = { ...full({ userName: 'a@example.com' }), dataCenter: 'XX' } as unknown as OAuthToken;
        await expect(store.saveToken(bad)).rejects.toMatchObject({ code: 'MALFORMED_TOKEN' });
      });
    });

    describe('findToken matching rules, in precedence order', () => {
      it('rule 1: user name matches user (and client/dc/env where given)', async () => {
        const t = await saved(full({ userName: 'a@example.com' }));
        expect((await store.findToken(emptyToken({ userName: 'a@example.com' })))?.id).toBe(t.id);
        expect(
          (await store.findToken(emptyToken({ userName: 'a@example.com', clientId: '1000.CLIENT' })))?.id,
        ).toBe(t.id);
        expect(
          await store.findToken(emptyToken({ userName: 'a@example.com', clientId: '1000.X' })),
        ).toBeNull();
        expect(await store.findToken(emptyToken({ userName: 'A@example.com' }))).toBeNull();
      });

      it('rule 1 wins over token values, and does not fall through when the user is unknown', async () => {
        const a = await saved(
          full({ userName: 'a@example.com', refreshToken: '1000.ra', accessToken: '1000.aa' }),
        );
        await saved(full({ userName: 'b@example.com', refreshToken: '1000.rb', accessToken: '1000.ab' }));
        const byUser = await store.findToken(
          emptyToken({ userName: 'a@example.com', refreshToken: '1000.rb', accessToken: '1000.ab' }),
        );
        expect(byUser?.id).toBe(a.id);
        expect(
          await store.findToken(emptyToken({ userName: 'c@example.com', refreshToken: '1000.ra' })),
        ).toBeNull();
      });

      it('rule 2: access token without client id/secret matches the access token', async () => {
        const a = await saved(
          full({ userName: 'a@example.com', accessToken: '1000.aa', refreshToken: '1000.ra' }),
        );
        const b = await saved(
          full({ userName: 'b@example.com', accessToken: '1000.ab', refreshToken: '1000.rb' }),
        );
        expect((await store.findToken(emptyToken({ accessToken: '1000.ab' })))?.id).toBe(b.id);
        // Rule 2 before rule 3: the access token decides even when the refresh token names another row.
        expect(
          (await store.findToken(emptyToken({ accessToken: '1000.aa', refreshToken: '1000.rb' })))?.id,
        ).toBe(a.id);
        // With client credentials rule 2 does not apply, and without a refresh/grant token neither does 3.
        expect(
          await store.findToken(
            emptyToken({ accessToken: '1000.aa', clientId: '1000.CLIENT', clientSecret: 's' }),
          ),
        ).toBeNull();
      });

      it('rule 3: refresh token matches the refresh token', async () => {
        await saved(full({ userName: 'a@example.com', refreshToken: '1000.ra' }));
        const b = await saved(full({ userName: 'b@example.com', refreshToken: '1000.rb' }));
        expect((await store.findToken(emptyToken({ refreshToken: '1000.rb' })))?.id).toBe(b.id);
        const withClient = emptyToken({
          refreshToken: '1000.rb',
          clientId: '1000.CLIENT',
          clientSecret: 's',
        });
        expect((await store.findToken(withClient))?.id).toBe(b.id);
      });

      it('rule 3: grant token (with client id+secret) first, then refresh token', async () => {
        const g = await saved(
          full({ userName: 'g@example.com', grantToken: '1000.g', refreshToken: '1000.rg' }),
        );
        const r = await saved(full({ userName: 'r@example.com', refreshToken: '1000.rr' }));
        const client = { clientId: '1000.CLIENT', clientSecret: 's' };
        expect(
          (await store.findToken(emptyToken({ ...client, grantToken: '1000.g', refreshToken: '1000.rr' })))
            ?.id,
        ).toBe(g.id);
        expect(
          (
            await store.findToken(
              emptyToken({ ...client, grantToken: '1000.unknown', refreshToken: '1000.rr' }),
            )
          )?.id,
        ).toBe(r.id);
        expect((await store.findToken(emptyToken({ ...client, grantToken: '1000.g' })))?.id).toBe(g.id);
        // A grant token alone, without client credentials, matches by no rule.
        expect(await store.findToken(emptyToken({ grantToken: '1000.g' }))).toBeNull();
      });

      it('returns the stored token, filling only fields it lacks from the passed token', async () => {
        await saved(full({ userName: 'a@example.com', redirectUrl: null }));
        const found = await store.findToken(
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
        expect(await store.getTokens()).toHaveLength(1);
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
        await store.deleteToken(a.id!);
        expect(await store.findTokenById(a.id!)).toBeNull();
        expect((await store.findTokenById(b.id!))?.userName).toBe('b@example.com');
        expect(await store.getTokens()).toHaveLength(2);
        await store.deleteTokens();
        expect(await store.getTokens()).toEqual([]);
      });
    });

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
        expect(await store.getTokens()).toHaveLength(hostile.length);
        for (const [i, raw] of hostile.entries()) {
          const value = fitted(raw);
          const byId = await store.findTokenById(ids[i]!);
          expect(byId).toMatchObject({
            userName: `${value}#${i}`,
            clientId: value,
            clientSecret: `${value}-secret`,
            refreshToken: `${value}-refresh-${i}`,
            scopes: keptScopes([value]),
          });
          expect((await store.findToken(emptyToken({ userName: `${value}#${i}` })))?.id).toBe(ids[i]);
          expect((await store.findToken(emptyToken({ refreshToken: `${value}-refresh-${i}` })))?.id).toBe(
            ids[i],
          );
          expect((await store.findToken(emptyToken({ accessToken: `${value}-access-${i}` })))?.id).toBe(
            ids[i],
          );
        }
      });

      it.runIf(traits.maxFieldLength !== undefined)(
        'refuses a value longer than its column holds, and writes nothing',
        async () => {
          const long = 'x'.repeat((traits.maxFieldLength ?? 0) + 1);
          const err = await store
            .saveToken(full({ userName: 'a@example.com', refreshToken: long }))
            .catch((e: unknown) => e);
          expect(err).toBeInstanceOf(TokenStoreError);
          expect((err as TokenStoreError).code).toBe('MALFORMED_TOKEN');
          expect((err as TokenStoreError).message).toContain('longer than');
          expect(await store.getTokens()).toEqual([]);
        },
      );
    });
  });
}
