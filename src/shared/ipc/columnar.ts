import { z } from 'zod';

/**
 * A list of views sent as columns instead of one object per row, derived from the view's zod schema: every
 * field of the schema is a column, and a field marked `repeating` is sent as a dictionary (each distinct
 * value once) plus one index per row. Adding a field to the view schema is the only edit the wire form
 * needs (docs/architecture.md "The IPC contract"); `src/shared/ipc/token-list.ts` is the one list that
 * uses it today.
 */

declare const repeatingMark: unique symbol;
/** The type-level half of `repeating`: lets the wire type know which columns hold dictionary indexes. */
export type Repeating = { readonly [repeatingMark]: true };

const repeatingFields = new WeakSet<z.ZodType>();

/**
 * Marks a view field whose values most rows share (client id, data center, scopes): the columnar form sends
 * each distinct value once. Mark the outermost schema of the field (`repeating(x.nullable())`): a schema
 * derived from a marked one (`.nullable()`) is a new schema and is not marked.
 */
export function repeating<S extends z.ZodType>(schema: S): S & Repeating {
  // A clone, so a schema shared elsewhere (TokenStatusSchema) is not marked wherever it is used.
  const marked = schema.clone();
  repeatingFields.add(marked);
  return marked as S & Repeating;
}

type Shape = z.ZodRawShape;
type DictionaryKey<S extends Shape> = { [K in keyof S]: S[K] extends Repeating ? K : never }[keyof S];

/** The wire form of a list of `z.output<ZodObject<S>>`. */
export type ColumnarWire<S extends Shape> = {
  count: number;
  columns: { [K in keyof S]: K extends DictionaryKey<S> ? number[] : z.output<S[K]>[] };
  dictionaries: { [K in DictionaryKey<S>]: z.output<S[K]>[] };
};

export interface ColumnarCodec<S extends Shape> {
  /** Strict: a column, dictionary or (nested) field the view schema does not declare is refused. */
  readonly wireSchema: z.ZodType<ColumnarWire<S>>;
  readonly encode: (rows: readonly z.output<z.ZodObject<S>>[]) => ColumnarWire<S>;
  readonly decode: (wire: ColumnarWire<S>) => z.output<z.ZodObject<S>>[];
  /** Names of the dictionary-encoded fields, in schema order. */
  readonly dictionaryFields: readonly string[];
}

/**
 * A column check that is one loop over the array as received. `z.array(z.string())` parses element by
 * element into a copy, about 1 µs each: 20 ms for the 16 columns of 10,000 tokens, most of main's share of
 * the round trip. So plain strings, finite numbers, booleans and enums (and their nullable forms) are checked
 * by a predicate; anything else (an object, a list, a string with limits) by its strict schema. A hole in a
 * sparse array reads as undefined and fails like any other wrong element.
 */
function elementCheck(schema: z.ZodType): (value: unknown) => boolean {
  const def = schema.def as { type: string; checks?: unknown[]; innerType?: z.ZodType; entries?: object };
  const unchecked = (def.checks?.length ?? 0) === 0;
  if (def.type === 'nullable' && def.innerType) {
    const inner = elementCheck(def.innerType);
    return (v) => v === null || inner(v);
  }
  if (def.type === 'string' && unchecked) return (v) => typeof v === 'string';
  // z.number() refuses NaN and ±Infinity, as Number.isFinite does (JSON would turn them into null).
  if (def.type === 'number' && unchecked) return (v) => Number.isFinite(v);
  if (def.type === 'boolean') return (v) => typeof v === 'boolean';
  if (def.type === 'enum' && def.entries) {
    const allowed = new Set<unknown>(Object.values(def.entries));
    return (v) => allowed.has(v);
  }
  const strict = strictDeep(schema);
  return (v) => strict.safeParse(v).success;
}

/** The same schema with every object in it strict, so an undeclared key (a secret slipped in) is refused. */
function strictDeep(schema: z.ZodType): z.ZodType {
  const def = schema.def as {
    type: string;
    checks?: z.core.$ZodCheck[];
    innerType?: z.ZodType;
    element?: z.ZodType;
    shape?: Record<string, z.ZodType>;
  };
  const keepChecks = <T extends z.ZodType>(rebuilt: T): T =>
    def.checks?.length ? (rebuilt.check(...(def.checks as z.core.$ZodCheck<z.output<T>>[])) as T) : rebuilt;
  if (def.type === 'nullable' && def.innerType) return strictDeep(def.innerType).nullable();
  if (def.type === 'array' && def.element) return keepChecks(z.array(strictDeep(def.element)));
  if (def.type === 'object' && def.shape) {
    const shape = Object.fromEntries(Object.entries(def.shape).map(([k, v]) => [k, strictDeep(v)]));
    return keepChecks(z.strictObject(shape));
  }
  return schema;
}

const isIndex = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

function column(check: (value: unknown) => boolean, what: string) {
  return z.custom<unknown[]>(
    (value) => {
      if (!Array.isArray(value)) return false;
      for (let i = 0; i < value.length; i++) if (!check(value[i])) return false;
      return true;
    },
    { message: `must be a list of ${what}` },
  );
}

/**
 * Builds one dictionary column: each distinct value once, rows hold its index. Neighbouring rows mostly
 * share values, so a row equal to the previous one skips the key and the map. A list of strings is keyed
 * by its strings joined on NUL with the count in front (exact when no string holds a NUL); any other list
 * or object by its JSON. Primitives and composites keep separate maps, so no key of one meets the other.
 */
function dictionary() {
  const values: unknown[] = [];
  const indexes: number[] = [];
  const primitives = new Map<unknown, number>();
  const composites = new Map<string, number>();
  let last: { value: unknown; at: number } | null = null;
  return {
    values,
    indexes,
    add(value: unknown): void {
      if (last !== null && sameValue(last.value, value)) {
        indexes.push(last.at);
        return;
      }
      const composite = value !== null && typeof value === 'object';
      const key = composite ? compositeKey(value) : value;
      const map = (composite ? composites : primitives) as Map<unknown, number>;
      let at = map.get(key);
      if (at === undefined) {
        at = values.length;
        // A copy: the wire never shares a list or object with the views it was built from.
        values.push(composite ? (Array.isArray(value) ? [...value] : { ...value }) : value);
        map.set(key, at);
      }
      last = { value, at };
      indexes.push(at);
    },
  };
}

const isStringList = (v: unknown): v is readonly string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string' && !s.includes('\u0000'));
const compositeKey = (value: object): string =>
  isStringList(value) ? `${value.length}:${value.join('\u0000')}` : JSON.stringify(value);
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  return false;
}

/**
 * The codec for a list of `viewSchema` rows. Every field must be present in every row: an optional field
 * is refused here, at start-up, because `undefined` in an array does not survive a JSON transport.
 */
export function columnarCodec<S extends Shape>(
  viewSchema: z.ZodObject<S>,
  maxRows: number,
): ColumnarCodec<S> {
  const fields = Object.keys(viewSchema.shape);
  const fieldSchema = (name: string) => viewSchema.shape[name] as unknown as z.ZodType;
  for (const name of fields) {
    if (fieldSchema(name).safeParse(undefined).success) {
      throw new Error(`view field "${name}" may be missing; a listed field must be nullable, not optional`);
    }
  }
  const dictionaryFields = fields.filter((name) => repeatingFields.has(fieldSchema(name)));
  const isDictionary = new Set(dictionaryFields);

  const columnsShape = Object.fromEntries(
    fields.map((name) => [
      name,
      isDictionary.has(name)
        ? column(isIndex, 'dictionary indexes')
        : column(elementCheck(fieldSchema(name)), `${name} values`),
    ]),
  );
  const dictionariesShape = Object.fromEntries(
    dictionaryFields.map((name) => [name, z.array(strictDeep(fieldSchema(name)))]),
  );
  const wireSchema = z
    .strictObject({
      count: z.number().int().min(0).max(maxRows),
      columns: z.strictObject(columnsShape),
      dictionaries: z.strictObject(dictionariesShape),
    })
    .superRefine((wire, ctx) => {
      const columns = wire.columns as Record<string, unknown[]>;
      const dictionaries = wire.dictionaries as Record<string, unknown[]>;
      for (const name of fields) {
        const length = columns[name]?.length;
        if (length !== wire.count) {
          ctx.addIssue({
            code: 'custom',
            path: ['columns', name],
            message: `has ${length} values for ${wire.count} rows`,
          });
        }
      }
      for (const name of dictionaryFields) {
        const size = dictionaries[name]?.length ?? 0;
        const indexes = columns[name] ?? [];
        for (let i = 0; i < indexes.length; i++) {
          if ((indexes[i] as number) >= size) {
            ctx.addIssue({
              code: 'custom',
              path: ['columns', name, i],
              message: `index ${indexes[i]} is outside its dictionary of ${size}`,
            });
            break;
          }
        }
      }
    }) as unknown as z.ZodType<ColumnarWire<S>>;

  /** Rows -> the wire form. Pure; values are copied into columns, the rows themselves never kept. */
  const encode = (rows: readonly z.output<z.ZodObject<S>>[]): ColumnarWire<S> => {
    const count = rows.length;
    const records = rows as unknown as readonly Record<string, unknown>[];
    const columns: Record<string, unknown[]> = {};
    const dictionaries: Record<string, unknown[]> = {};
    for (const name of fields) {
      if (isDictionary.has(name)) {
        const d = dictionary();
        for (let i = 0; i < count; i++) d.add((records[i] as Record<string, unknown>)[name]);
        columns[name] = d.indexes;
        dictionaries[name] = d.values;
      } else {
        const values: unknown[] = new Array(count);
        for (let i = 0; i < count; i++) values[i] = (records[i] as Record<string, unknown>)[name];
        columns[name] = values;
      }
    }
    return { count, columns, dictionaries } as unknown as ColumnarWire<S>;
  };

  return {
    wireSchema,
    encode,
    decode: decodeColumnar as unknown as ColumnarCodec<S>['decode'],
    dictionaryFields,
  };
}

/**
 * The wire form -> rows, fields in the order of the wire's columns (the view schema's order). Trusts its
 * input: main's router checked it against the wire schema before it left main. Rows with the same list or
 * object in a dictionary share one frozen copy. Needs no schema, and is self-contained (no reference outside
 * its body) so `bench/ui.ts` can run this same function in the page.
 */
export function decodeColumnar(wire: {
  count: number;
  columns: Record<string, readonly unknown[]>;
  dictionaries: Record<string, readonly unknown[]>;
}): Record<string, unknown>[] {
  const { count, columns, dictionaries } = wire;
  const names = Object.keys(columns);
  // Every row starts as a copy of one object holding every field, then is filled column by column: no row
  // grows field by field, so all rows share one shape (half the time of adding fields one at a time).
  const template: Record<string, unknown> = {};
  for (const name of names) template[name] = null;
  const rows: Record<string, unknown>[] = new Array(count);
  for (let i = 0; i < count; i++) rows[i] = { ...template };
  for (const name of names) {
    const values = columns[name] as readonly unknown[];
    if (Object.hasOwn(dictionaries, name)) {
      const dictionary = (dictionaries[name] as readonly unknown[]).map((v) =>
        v !== null && typeof v === 'object' ? Object.freeze(Array.isArray(v) ? [...v] : { ...v }) : v,
      );
      for (let i = 0; i < count; i++)
        (rows[i] as Record<string, unknown>)[name] = dictionary[values[i] as number];
    } else {
      for (let i = 0; i < count; i++) (rows[i] as Record<string, unknown>)[name] = values[i];
    }
  }
  return rows;
}
