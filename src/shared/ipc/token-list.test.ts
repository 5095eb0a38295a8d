import { describe, expect, it } from 'vitest';
import { DATA_CENTER_IDS, ENVIRONMENTS } from '../datacenters';
import { decodeTokenList, encodeTokenList, type TokenListWire, TokenListWireSchema } from './token-list';
import { type TestCallResult, TOKEN_STATUSES, type TokenView, TokenViewSchema } from './views';

/** Compile-time: the wire has one column per TokenView field, no more, no fewer (checked by tsc). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const columnsMatchTokenView: Same<keyof TokenListWire['columns'], keyof TokenView> = true;

/** Small seeded PRNG (mulberry32): varied but reproducible cases, no test dependency. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const maybe = <T>(value: () => T, nullChance = 0.3): T | null => (next() < nullChance ? null : value());
  return { next, int, pick, maybe };
}

const STRINGS = [
  '',
  'a',
  'ü',
  '日本語',
  '😀 emoji',
  'quote " and \\ backslash',
  'comma,separated',
  '\u0000nul',
  '  ',
];

function view(r: ReturnType<typeof random>, i: number): TokenView {
  const text = () => `${r.pick(STRINGS)}${r.int(3)}`;
  const time = () => r.pick([0, -1, 1.5, Date.now() + r.int(1e9), Number.MAX_SAFE_INTEGER]);
  const lastTest = (): TestCallResult => ({
    at: time(),
    ok: r.next() < 0.5,
    httpStatus: r.maybe(() => r.pick([200, 401, 500])),
    latencyMs: r.int(900),
    userEmail: r.maybe(text),
    userName: r.maybe(text),
    orgName: r.maybe(text),
    orgId: r.maybe(() => String(r.int(1e9))),
    refreshed: r.next() < 0.5,
    errorCode: r.maybe(text),
    message: r.maybe(text),
  });
  return {
    id: `${i}-${r.pick(STRINGS)}`,
    userName: r.maybe(() => `${text()}@example.com`),
    // Few distinct values (as in real lists), so dictionaries get reused; sometimes unique ones.
    clientId: r.maybe(() => (r.next() < 0.8 ? r.pick(['1000.A', '1000.B']) : text())),
    dataCenter: r.maybe(() => r.pick(DATA_CENTER_IDS)),
    environment: r.maybe(() => r.pick(ENVIRONMENTS)),
    apiDomain: r.maybe(() => r.pick(['https://www.zohoapis.com', 'https://www.zohoapis.eu', text()])),
    scopes: r.pick([
      [],
      ['ZohoCRM.users.READ'],
      ['ZohoCRM.users.READ', 'ZohoCRM.org.READ'],
      ['a,b'],
      ['a', 'b'],
    ]),
    status: r.pick(TOKEN_STATUSES),
    accessTokenPreview: r.maybe(() => `1000.${r.int(99)}…${r.int(9999)}`),
    refreshTokenPreview: r.maybe(() => `1000.${r.int(99)}…${r.int(9999)}`),
    expiresAt: r.maybe(time),
    createdAt: r.maybe(time),
    updatedAt: r.maybe(time),
    lastRefreshedAt: r.maybe(time),
    lastError: r.maybe(text),
    lastTest: r.maybe(lastTest, 0.7),
  };
}

/** The wire with every part writable and open to extra keys: for building malformed answers. */
type LooseWire = {
  count: unknown;
  columns: Record<keyof TokenListWire['columns'], unknown[]> & Record<string, unknown>;
  dictionaries: Record<keyof TokenListWire['dictionaries'], unknown[]> & Record<string, unknown>;
} & Record<string, unknown>;

/** What crosses IPC: a JSON round trip (as the harness) keeps the same values as a structured clone. */
const overTheWire = (wire: TokenListWire): unknown => JSON.parse(JSON.stringify(wire));

describe('token list wire format', () => {
  it('decode(encode(views)) gives the views back, over 200 varied lists (nulls, unicode, empty)', () => {
    expect(columnsMatchTokenView).toBe(true);
    for (let seed = 1; seed <= 200; seed++) {
      const r = random(seed);
      const size = seed <= 3 ? seed - 1 : r.int(60);
      const views = Array.from({ length: size }, (_, i) => view(r, i));
      const parsed = TokenListWireSchema.safeParse(overTheWire(encodeTokenList(views)));
      expect(parsed.success, `seed ${seed}`).toBe(true);
      const decoded = decodeTokenList(parsed.data as TokenListWire);
      expect(decoded, `seed ${seed}`).toEqual(views);
      // Exactly TokenView's fields, valid per its schema (nothing extra can come out of a decode).
      for (const v of decoded) expect(TokenViewSchema.strict().safeParse(v).success).toBe(true);
    }
  });

  it('stores repeating values once', () => {
    const r = random(7);
    const base = view(r, 0);
    const views = Array.from({ length: 1000 }, (_, i) => ({
      ...base,
      id: String(i),
      scopes: [...base.scopes],
    }));
    const wire = encodeTokenList(views);
    expect(wire.count).toBe(1000);
    for (const name of ['clientId', 'dataCenter', 'environment', 'apiDomain', 'scopes', 'status'] as const) {
      expect(wire.dictionaries[name]).toHaveLength(1);
      expect(new Set(wire.columns[name])).toEqual(new Set([0]));
    }
    const objects = JSON.stringify(views).length;
    expect(JSON.stringify(wire).length).toBeLessThan(objects * 0.6);
  });

  it('keeps scope lists apart that a joined key could confuse', () => {
    const lists = [[], [''], ['a', 'b'], ['a,b'], ['a\u0000', 'b'], ['a', '\u0000b'], ['b', 'a'], ['a', 'b']];
    const base = view(random(5), 0);
    const views = lists.map((scopes, i) => ({ ...base, id: String(i), scopes }));
    const wire = encodeTokenList(views);
    expect(wire.dictionaries.scopes).toHaveLength(lists.length - 1);
    expect(decodeTokenList(wire).map((v) => v.scopes)).toEqual(lists);
  });

  it('an empty list is a valid, empty answer', () => {
    const wire = encodeTokenList([]);
    expect(TokenListWireSchema.parse(wire)).toEqual(wire);
    expect(decodeTokenList(wire)).toEqual([]);
  });

  it('encoding does not share arrays with the views it was given', () => {
    const v = view(random(3), 0);
    v.scopes = ['ZohoCRM.users.READ'];
    const wire = encodeTokenList([v]);
    v.scopes.push('changed later');
    expect(wire.dictionaries.scopes).toEqual([['ZohoCRM.users.READ']]);
  });

  describe('the schema refuses', () => {
    const good = () =>
      overTheWire(encodeTokenList([view(random(11), 0), view(random(12), 1)])) as TokenListWire;
    const refused = (mutate: (w: LooseWire) => void) => {
      const wire = good() as unknown as LooseWire;
      mutate(wire);
      return !TokenListWireSchema.safeParse(wire).success;
    };

    it('the encoder output itself is accepted', () => {
      expect(refused(() => {})).toBe(false);
    });
    it('a field, column or dictionary it does not declare (a secret slipped in)', () => {
      expect(refused((w) => (w.refreshTokens = ['1000.secret', '1000.secret']))).toBe(true);
      expect(refused((w) => (w.columns.refreshToken = ['1000.secret', '1000.secret']))).toBe(true);
      expect(refused((w) => (w.dictionaries.clientSecret = ['shh']))).toBe(true);
      expect(
        refused((w) => {
          w.columns.lastTest[0] = { ...view(random(1), 0).lastTest, at: 1, ok: true, accessToken: 'x' };
        }),
      ).toBe(true);
    });
    it('a column of the wrong length or element type', () => {
      expect(refused((w) => w.columns.id.push('extra'))).toBe(true);
      expect(refused((w) => (w.count = 3))).toBe(true);
      expect(refused((w) => (w.columns.expiresAt[0] = '123'))).toBe(true);
      expect(refused((w) => (w.columns.userName[1] = { email: 'x' }))).toBe(true);
      expect(refused((w) => (w.columns.id[0] = null))).toBe(true);
      expect(refused((w) => (w.columns.id = new Array(2)))).toBe(true); // holes, not strings
      expect(refused((w) => (w.columns.expiresAt[0] = Number.NaN))).toBe(true);
    });
    it('a dictionary index out of range, negative or fractional, or a bad dictionary value', () => {
      expect(refused((w) => (w.columns.status[1] = w.dictionaries.status.length))).toBe(true);
      expect(refused((w) => (w.columns.clientId[0] = -1))).toBe(true);
      expect(refused((w) => (w.columns.scopes[0] = 0.5))).toBe(true);
      expect(refused((w) => (w.dictionaries.dataCenter = ['MARS']))).toBe(true);
      expect(refused((w) => (w.dictionaries.status = ['fine']))).toBe(true);
    });
  });
});
