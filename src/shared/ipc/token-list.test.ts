import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { columnarCodec, repeating } from './columnar';
import {
  decodeTokenList,
  encodeTokenList,
  TOKEN_LIST_DICTIONARY_FIELDS,
  type TokenListWire,
  TokenListWireSchema,
} from './token-list';
import { TestCallResultSchema, TokenStatusSchema, type TokenView, TokenViewSchema } from './views';

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

type Random = ReturnType<typeof random>;

/**
 * A random value of any schema a view field can have, read from the schema itself, so a field added to
 * TokenViewSchema is generated (and round-tripped) with no edit here. Values come from small pools, as in
 * real lists, so dictionaries get reused; `unique` gives a field a value per row instead.
 */
function arbitrary(schema: z.ZodType, r: Random, unique = ''): unknown {
  const def = schema.def as {
    type: string;
    innerType?: z.ZodType;
    element?: z.ZodType;
    shape?: Record<string, z.ZodType>;
    entries?: object;
  };
  switch (def.type) {
    case 'nullable':
      return r.maybe(() => arbitrary(def.innerType as z.ZodType, r, unique));
    case 'string':
      return `${r.pick(STRINGS)}${r.int(3)}${unique}`;
    case 'number':
      return r.pick([0, -1, 1.5, Date.now() + r.int(1e9), Number.MAX_SAFE_INTEGER]);
    case 'boolean':
      return r.next() < 0.5;
    case 'enum':
      return r.pick(Object.values(def.entries as object));
    case 'array':
      return Array.from({ length: r.int(4) }, () => arbitrary(def.element as z.ZodType, r));
    case 'object':
      return Object.fromEntries(
        Object.entries(def.shape as object).map(([k, v]) => [k, arbitrary(v as z.ZodType, r)]),
      );
    default:
      throw new Error(`the test cannot generate a ${def.type}: teach arbitrary() this kind of field`);
  }
}

/** One random row of `schema`: generic for every field, with pools close to real tokens where it matters. */
function row(schema: z.ZodObject, r: Random, i: number): Record<string, unknown> {
  const generic = Object.fromEntries(
    Object.entries(schema.shape).map(([name, field]) => [
      name,
      arbitrary(field as z.ZodType, r, r.next() < 0.2 ? String(i) : ''),
    ]),
  );
  return {
    ...generic,
    id: `${i}-${r.pick(STRINGS)}`,
    clientId: r.maybe(() => (r.next() < 0.8 ? r.pick(['1000.A', '1000.B']) : `${r.pick(STRINGS)}${i}`)),
    apiDomain: r.maybe(() => r.pick(['https://www.zohoapis.com', 'https://www.zohoapis.eu', String(i)])),
    scopes: r.pick([
      [],
      ['ZohoCRM.users.READ'],
      ['ZohoCRM.users.READ', 'ZohoCRM.org.READ'],
      ['a,b'],
      ['a', 'b'],
    ]),
    lastTest: r.maybe(() => arbitrary(TestCallResultSchema, r), 0.7),
  };
}

const view = (r: Random, i: number) => row(TokenViewSchema, r, i) as TokenView;

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

  it('has one column per TokenView field, in schema order, and a dictionary for each marked one', () => {
    const wire = encodeTokenList([view(random(2), 0)]);
    expect(Object.keys(wire.columns)).toEqual(Object.keys(TokenViewSchema.shape));
    expect(TOKEN_LIST_DICTIONARY_FIELDS).toEqual([
      'clientId',
      'dataCenter',
      'environment',
      'apiDomain',
      'scopes',
      'status',
      'clientName',
      'orgName',
    ]);
    expect(Object.keys(wire.dictionaries)).toEqual(TOKEN_LIST_DICTIONARY_FIELDS);
    expect(Object.keys(decodeTokenList(wire)[0] ?? {})).toEqual(Object.keys(TokenViewSchema.shape));
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
    for (const name of TOKEN_LIST_DICTIONARY_FIELDS as (keyof TokenListWire['dictionaries'])[]) {
      expect(wire.dictionaries[name]).toHaveLength(1);
      expect(new Set(wire.columns[name])).toEqual(new Set([0]));
    }
    // Rows with the same scopes share one frozen list (a component cannot change another row's scopes).
    const decoded = decodeTokenList(wire);
    expect(decoded[0]?.scopes).toBe(decoded[999]?.scopes);
    expect(Object.isFrozen(decoded[0]?.scopes)).toBe(true);
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

  describe('a field added to the view schema', () => {
    // What a feature adds to TokenViewSchema: nothing in the codec is edited for it.
    const Extended = TokenViewSchema.extend({
      note: z.string().nullable(),
      pinned: z.boolean(),
      labels: repeating(z.array(z.string())),
      health: z
        .object({ score: z.number(), grade: z.enum(['good', 'poor']), checkedAt: z.number() })
        .nullable(),
      owner: repeating(z.string().max(20).nullable()),
    });
    const codec = columnarCodec(Extended, 1000);
    const rows = (seed: number, size: number) => {
      const r = random(seed);
      return Array.from({ length: size }, (_, i) => ({
        ...row(Extended, r, i),
        owner: r.maybe(() => r.pick(['ops', 'sales'])),
      }));
    };

    it('round-trips, over 100 varied lists', () => {
      expect(codec.dictionaryFields).toEqual([...TOKEN_LIST_DICTIONARY_FIELDS, 'labels', 'owner']);
      for (let seed = 1; seed <= 100; seed++) {
        const views = rows(seed, seed <= 2 ? seed - 1 : random(seed).int(40)) as z.output<typeof Extended>[];
        const parsed = codec.wireSchema.safeParse(overTheWire(codec.encode(views) as TokenListWire));
        expect(parsed.success, `seed ${seed}`).toBe(true);
        expect(codec.decode(parsed.data as never), `seed ${seed}`).toEqual(views);
      }
    });

    const column = (w: LooseWire, name: string) => w.columns[name] as unknown[];
    it('is checked as strictly as the others', () => {
      const good = () => overTheWire(codec.encode(rows(4, 3) as never) as TokenListWire) as LooseWire;
      const refused = (mutate: (w: LooseWire) => void) => {
        const wire = good();
        mutate(wire);
        return !codec.wireSchema.safeParse(wire).success;
      };
      expect(refused(() => {})).toBe(false);
      expect(refused((w) => (column(w, 'pinned')[0] = 'yes'))).toBe(true);
      expect(refused((w) => column(w, 'note').pop())).toBe(true);
      expect(
        refused(
          (w) =>
            (column(w, 'health')[0] = {
              score: 1,
              grade: 'good',
              checkedAt: 1,
              refreshToken: '1000.secret',
            }),
        ),
      ).toBe(true);
      expect(refused((w) => (w.dictionaries.owner = ['x'.repeat(21)]))).toBe(true);
      expect(refused((w) => (column(w, 'labels')[0] = 99))).toBe(true);
    });

    it('must be nullable, not optional (undefined does not survive the JSON transport)', () => {
      expect(() => columnarCodec(TokenViewSchema.extend({ note: z.string().optional() }), 10)).toThrow(
        'view field "note" may be missing; a listed field must be nullable, not optional',
      );
    });

    it('is a dictionary only where the view marks it, not wherever its schema is reused', () => {
      expect(columnarCodec(z.object({ status: TokenStatusSchema }), 10).dictionaryFields).toEqual([]);
    });
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
