import { type ColumnarWire, columnarCodec } from './columnar';
import { type TokenView, TokenViewSchema } from './views';

/**
 * The `listTokens` answer on the wire: columns instead of one object per token, and a dictionary for
 * the values most rows share. 10,000 TokenViews as objects are 4.6 MB of JSON, 44% of it field names
 * repeated per row, and client id, api domain and scopes repeat across nearly every row (the round trip of
 * 10,000 rows must fit in 100 ms). Main encodes with `encodeTokenList`; the renderer's api layer
 * decodes with `decodeTokenList`, so every component still works with `TokenView[]`.
 *
 * Everything here is derived from `TokenViewSchema` (src/shared/ipc/columnar.ts): a field added to the
 * view is a column, and a field marked `repeating` there is a dictionary. The schema is as strict as the
 * object form was, and stricter in one way: the top level, the columns, the dictionaries and every object
 * inside a value are strict, so a column, dictionary or field the view does not declare (a secret added by
 * mistake) is refused by the router in both response-check modes instead of being stripped. Every column
 * has the declared element type and `count` elements, and every dictionary index is an integer inside its
 * dictionary. What decodes is therefore always a valid TokenView with exactly TokenView's fields.
 */

const MAX_TOKENS = 1_000_000;

const tokenListCodec = columnarCodec(TokenViewSchema, MAX_TOKENS);

export type TokenListWire = ColumnarWire<typeof TokenViewSchema.shape>;
export const TokenListWireSchema = tokenListCodec.wireSchema;
/** TokenView fields sent once per distinct value (marked `repeating` in the view schema). */
export const TOKEN_LIST_DICTIONARY_FIELDS = tokenListCodec.dictionaryFields;

/** TokenView[] -> the compact wire form. Pure; a view's fields are copied, never the view itself. */
export const encodeTokenList: (views: readonly TokenView[]) => TokenListWire = tokenListCodec.encode;

/**
 * The wire form -> TokenView[] (field order as TokenViewSchema declares it). Trusts its input: main's
 * router checked it against TokenListWireSchema before it left main. Self-contained, so `bench/ui.ts` can
 * run this same function in the page.
 */
export const decodeTokenList: (wire: TokenListWire) => TokenView[] = tokenListCodec.decode;
