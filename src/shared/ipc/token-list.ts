import { z } from 'zod';
import { DataCenterIdSchema, EnvironmentSchema } from '../datacenters';
import { TestCallResultSchema, TokenStatusSchema, type TokenView } from './views';

/**
 * The `listTokens` answer on the wire: columns instead of one object per token, and a dictionary for
 * the values most rows share. 10,000 TokenViews as objects are 4.6 MB of JSON, 44% of it field names
 * repeated per row, and client id, api domain and scopes repeat across nearly every row (the round trip of
 * 10,000 rows must fit in 100 ms). Main encodes with `encodeTokenList`; the renderer's api layer
 * decodes with `decodeTokenList`, so every component still works with `TokenView[]`.
 *
 * The schema is as strict as the object form was, and stricter in one way: the top level, the columns,
 * the dictionaries and each `lastTest` are strict objects, so a column, dictionary or field the contract
 * does not declare (a secret added by mistake) is refused by the router in both response-check modes
 * instead of being stripped. Every column has the declared element type and `count` elements, and every
 * dictionary index is an integer inside its dictionary. What decodes is therefore always a valid
 * TokenView with exactly TokenView's fields.
 */

/** Columns whose values repeat across rows: the column holds indexes into `dictionaries[name]`. */
const DICTIONARY_COLUMNS = [
  'clientId',
  'dataCenter',
  'environment',
  'apiDomain',
  'scopes',
  'status',
] as const;

const MAX_TOKENS = 1_000_000;

/**
 * A column: an array whose every element passes `is`, checked in one loop over the array as received.
 * `z.array(z.string())` parses element by element into a copy, about 1 µs each: 20 ms for the 16 columns
 * of 10,000 tokens, most of main's share of the round trip. A hole in a sparse array reads as undefined
 * and fails like any other wrong element.
 */
function column<T>(is: (value: unknown) => value is T, what: string) {
  return z.custom<T[]>(
    (value) => {
      if (!Array.isArray(value)) return false;
      for (let i = 0; i < value.length; i++) if (!is(value[i])) return false;
      return true;
    },
    { message: `must be a list of ${what}` },
  );
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isNullableNumber = (v: unknown): v is number | null => v === null || Number.isFinite(v);
const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

const strings = column(isString, 'strings');
const nullableStrings = column(isNullableString, 'strings or nulls');
const nullableNumbers = column(isNullableNumber, 'numbers or nulls');
const indexes = column(isIndex, 'dictionary indexes');
/** Mostly nulls; a test result is checked by its own strict schema (an extra key is refused). */
const StrictTestResult = TestCallResultSchema.strict();
const lastTests = column(
  (v): v is z.infer<typeof TestCallResultSchema> | null =>
    v === null || StrictTestResult.safeParse(v).success,
  'test results or nulls',
);

export const TokenListWireSchema = z
  .strictObject({
    count: z.number().int().min(0).max(MAX_TOKENS),
    columns: z.strictObject({
      id: strings,
      userName: nullableStrings,
      clientId: indexes,
      dataCenter: indexes,
      environment: indexes,
      apiDomain: indexes,
      scopes: indexes,
      status: indexes,
      accessTokenPreview: nullableStrings,
      refreshTokenPreview: nullableStrings,
      expiresAt: nullableNumbers,
      createdAt: nullableNumbers,
      updatedAt: nullableNumbers,
      lastRefreshedAt: nullableNumbers,
      lastError: nullableStrings,
      lastTest: lastTests,
    }),
    dictionaries: z.strictObject({
      clientId: nullableStrings,
      dataCenter: z.array(DataCenterIdSchema.nullable()),
      environment: z.array(EnvironmentSchema.nullable()),
      apiDomain: nullableStrings,
      scopes: z.array(strings),
      status: z.array(TokenStatusSchema),
    }),
  })
  .superRefine((wire, ctx) => {
    for (const [name, column] of Object.entries(wire.columns) as [string, readonly unknown[]][]) {
      if (column.length !== wire.count) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', name],
          message: `has ${column.length} values for ${wire.count} tokens`,
        });
      }
    }
    for (const name of DICTIONARY_COLUMNS) {
      const size = wire.dictionaries[name].length;
      const column = wire.columns[name];
      for (let i = 0; i < column.length; i++) {
        if ((column[i] as number) >= size) {
          ctx.addIssue({
            code: 'custom',
            path: ['columns', name, i],
            message: `index ${column[i]} is outside its dictionary of ${size}`,
          });
          break;
        }
      }
    }
  });
export type TokenListWire = z.infer<typeof TokenListWireSchema>;

/**
 * Builds one dictionary column: each distinct value once, rows hold its index. Neighbouring rows mostly
 * share values, so a row equal to the previous one skips the key and the map.
 */
function dictionary<T>(key: (value: T) => string | null, equal: (a: T, b: T) => boolean) {
  const values: T[] = [];
  const indexes: number[] = [];
  const seen = new Map<string | null, number>();
  let last: { value: T; at: number } | null = null;
  return {
    values,
    indexes,
    add(value: T): void {
      if (last !== null && equal(last.value, value)) {
        indexes.push(last.at);
        return;
      }
      const k = key(value);
      let at = seen.get(k);
      if (at === undefined) {
        at = values.length;
        values.push(value);
        seen.set(k, at);
      }
      last = { value, at };
      indexes.push(at);
    },
  };
}

const same = <T extends string | null>(value: T) => value;
const identical = <T>(a: T, b: T) => a === b;
/**
 * Scopes compare as a list (order kept). Joined on NUL with the count in front, which is exact when no
 * scope contains a NUL; a list with one falls back to JSON (its key starts with `[`, never a digit).
 */
const scopesKey = (scopes: readonly string[]) =>
  scopes.some((s) => s.includes('\u0000'))
    ? JSON.stringify(scopes)
    : `${scopes.length}:${scopes.join('\u0000')}`;
const sameScopes = (a: readonly string[], b: readonly string[]) =>
  a === b || (a.length === b.length && a.every((s, i) => s === b[i]));

/** TokenView[] -> the compact wire form. Pure; a view's fields are copied, never the view itself. */
export function encodeTokenList(views: readonly TokenView[]): TokenListWire {
  const count = views.length;
  const id: string[] = new Array(count);
  const userName: (string | null)[] = new Array(count);
  const accessTokenPreview: (string | null)[] = new Array(count);
  const refreshTokenPreview: (string | null)[] = new Array(count);
  const expiresAt: (number | null)[] = new Array(count);
  const createdAt: (number | null)[] = new Array(count);
  const updatedAt: (number | null)[] = new Array(count);
  const lastRefreshedAt: (number | null)[] = new Array(count);
  const lastError: (string | null)[] = new Array(count);
  const lastTest: TokenListWire['columns']['lastTest'] = new Array(count);
  const clientId = dictionary<string | null>(same, identical);
  const dataCenter = dictionary<TokenView['dataCenter']>(same, identical);
  const environment = dictionary<TokenView['environment']>(same, identical);
  const apiDomain = dictionary<string | null>(same, identical);
  const scopes = dictionary<string[]>(scopesKey, sameScopes);
  const status = dictionary<TokenView['status']>(same, identical);
  for (let i = 0; i < count; i++) {
    const v = views[i] as TokenView;
    id[i] = v.id;
    userName[i] = v.userName;
    accessTokenPreview[i] = v.accessTokenPreview;
    refreshTokenPreview[i] = v.refreshTokenPreview;
    expiresAt[i] = v.expiresAt;
    createdAt[i] = v.createdAt;
    updatedAt[i] = v.updatedAt;
    lastRefreshedAt[i] = v.lastRefreshedAt;
    lastError[i] = v.lastError;
    lastTest[i] = v.lastTest;
    clientId.add(v.clientId);
    dataCenter.add(v.dataCenter);
    environment.add(v.environment);
    apiDomain.add(v.apiDomain);
    scopes.add(v.scopes);
    status.add(v.status);
  }
  return {
    count,
    columns: {
      id,
      userName,
      clientId: clientId.indexes,
      dataCenter: dataCenter.indexes,
      environment: environment.indexes,
      apiDomain: apiDomain.indexes,
      scopes: scopes.indexes,
      status: status.indexes,
      accessTokenPreview,
      refreshTokenPreview,
      expiresAt,
      createdAt,
      updatedAt,
      lastRefreshedAt,
      lastError,
      lastTest,
    },
    dictionaries: {
      clientId: clientId.values,
      dataCenter: dataCenter.values,
      environment: environment.values,
      apiDomain: apiDomain.values,
      scopes: scopes.values.map((s) => [...s]),
      status: status.values,
    },
  };
}

/**
 * The wire form -> TokenView[] (field order as TokenViewSchema declares it). Trusts its input: main's
 * router checked it against TokenListWireSchema before it left main. Rows with the same scopes share one
 * frozen scopes array. Self-contained (no reference outside its body) so `bench/ui.ts` can run the same
 * function in the page.
 */
export function decodeTokenList(wire: TokenListWire): TokenView[] {
  const { count, columns: c, dictionaries: d } = wire;
  const scopes = d.scopes.map((s) => Object.freeze([...s]) as string[]);
  const views: TokenView[] = new Array(count);
  for (let i = 0; i < count; i++) {
    views[i] = {
      id: c.id[i] as string,
      userName: c.userName[i] as string | null,
      clientId: d.clientId[c.clientId[i] as number] as string | null,
      dataCenter: d.dataCenter[c.dataCenter[i] as number] as TokenView['dataCenter'],
      environment: d.environment[c.environment[i] as number] as TokenView['environment'],
      apiDomain: d.apiDomain[c.apiDomain[i] as number] as string | null,
      scopes: scopes[c.scopes[i] as number] as string[],
      status: d.status[c.status[i] as number] as TokenView['status'],
      accessTokenPreview: c.accessTokenPreview[i] as string | null,
      refreshTokenPreview: c.refreshTokenPreview[i] as string | null,
      expiresAt: c.expiresAt[i] as number | null,
      createdAt: c.createdAt[i] as number | null,
      updatedAt: c.updatedAt[i] as number | null,
      lastRefreshedAt: c.lastRefreshedAt[i] as number | null,
      lastError: c.lastError[i] as string | null,
      lastTest: c.lastTest[i] as TokenView['lastTest'],
    };
  }
  return views;
}
