import { AppError, type AppErrorOptions } from '../errors';
import type { OAuthToken } from './oauth-token';

/**
 * The six TokenStore methods of the official Zoho CRM TypeScript SDK 8.0
 * (models/authenticator/store/token_store), over TokenDesk's `OAuthToken`. The SDK adapter
 * (src/main/sdk) maps the SDK's class instances onto this.
 *
 * Behaviour (docs/zoho.md), without the official stores' defects:
 * - findToken: first rule that applies: user name set -> match user (and client id, data center and
 *   environment where the token gives them); access token set with no client id/secret -> match access
 *   token; refresh token set, or grant token with client id+secret -> match grant token, then refresh token.
 *   Returns the stored token (with the passed token's non-null fields kept where the stored one lacks them)
 *   or null.
 * - findTokenById: the stored token, or null for an unknown id (never throws for "not found").
 * - saveToken: id set -> update that row; else match as findToken; a match is updated (stored values kept
 *   for fields the token lacks), otherwise a new row with a fresh unique id is inserted. The token passed
 *   in gets its id set. A token with (id or user name) but no grant/refresh/access token and no match
 *   is rejected with TokenStoreError "Given user authentication details not found."
 *   `lastError` is the one field always taken from the token: a save records the latest outcome.
 * - deleteToken: removes that id (unknown id: no-op).
 * - getTokens: every token, [] when empty, read-only (a store may hand out its cache's frozen tokens:
 *   copy one before changing it). Unreadable rows are left out here; see `listEntries`.
 * - deleteTokens: removes every token, in one transaction.
 */
export interface TokenStore {
  findToken(token: OAuthToken): Promise<OAuthToken | null>;
  findTokenById(id: string): Promise<OAuthToken | null>;
  saveToken(token: OAuthToken): Promise<void>;
  deleteToken(id: string): Promise<void>;
  getTokens(): Promise<readonly Readonly<OAuthToken>[]>;
  deleteTokens(): Promise<void>;
}

/** Error codes a store raises; `message` is always safe to show (no secret). */
export type TokenStoreErrorCode =
  | 'NOT_FOUND_DETAILS'
  | 'UNREADABLE_ROW'
  | 'WRONG_PASSPHRASE'
  | 'LOCKED'
  /** A field the store cannot keep, e.g. an unknown data center (not Zoho's INVALID_TOKEN). */
  | 'MALFORMED_TOKEN'
  | 'STORAGE'
  // An external source's row changed since it was read (the integration wrote it): nothing was overwritten.
  | 'CONFLICT'
  /** Another program holds the database's write lock; nothing was written (database-busy.ts). */
  | 'DATABASE_BUSY';

/** An AppError: `message` (and `hint`, when given) are written to be shown; `cause` stays in main. */
export class TokenStoreError extends AppError {
  declare readonly code: TokenStoreErrorCode;

  readonly tokenId: string | undefined;

  constructor(
    code: TokenStoreErrorCode,
    message: string,
    options: AppErrorOptions & { readonly tokenId?: string | undefined } = {},
  ) {
    super(code, message, options);
    this.tokenId = options.tokenId;
    this.name = 'TokenStoreError';
  }
}

/**
 * One stored row as the console lists it: a readable token, or a row that failed its integrity check
 * (tampered, or sealed with another key), shown as "unreadable" while every other row keeps working.
 */
export type TokenEntry =
  | { readonly ok: true; readonly token: OAuthToken }
  | {
      readonly ok: false;
      readonly id: string;
      readonly userName: string | null;
      readonly clientId: string | null;
      readonly dataCenter: string | null;
      readonly environment: string | null;
      readonly error: TokenStoreError;
    };

/** A TokenEntry that may be shared with the store and frozen: to read, never to change. */
export type ReadonlyTokenEntry =
  | { readonly ok: true; readonly token: Readonly<OAuthToken> }
  | Extract<TokenEntry, { ok: false }>;

/**
 * A stored token as the console lists it, without its secrets: masked previews instead
 * (`maskSecret`, src/main/common/mask.ts), so listing needs no decryption (docs/storage.md "Listing
 * without secrets"). A preview is null exactly when the secret is null or empty.
 */
export interface ListedToken {
  readonly id: string;
  readonly userName: string | null;
  readonly clientId: string | null;
  readonly dataCenter: OAuthToken['dataCenter'];
  readonly environment: OAuthToken['environment'];
  readonly expiryTime: string | null;
  readonly apiDomain: string | null;
  readonly scopes: readonly string[] | null;
  readonly createdAt: number | null;
  readonly updatedAt: number | null;
  readonly lastRefreshedAt: number | null;
  readonly lastError: string | null;
  readonly accessTokenPreview: string | null;
  readonly refreshTokenPreview: string | null;
}

/** One listed row: a token without secrets, or a row that failed its integrity check. */
export type ListedEntry =
  | { readonly ok: true; readonly token: ListedToken }
  | Extract<TokenEntry, { ok: false }>;

/** A TokenStore that can also list unreadable rows (every TokenDesk store). */
export interface ListableTokenStore extends TokenStore {
  /** Every row, readable or not, in id order; the caller owns the tokens (copies). */
  listEntries(): Promise<TokenEntry[]>;
  /**
   * The same rows as `listEntries`, for read-only use (the console's list): entries may be the store's
   * own frozen objects, which saves a copy per row. While a row is unchanged the same token object may
   * come back (so a caller can memoise what it derives per object in a WeakMap); a changed row always
   * comes back as a new object.
   */
  readEntries(): Promise<readonly ReadonlyTokenEntry[]>;
  /**
   * Every row without its secrets, in id order, checked without decrypting (the console's list). Stores
   * that keep masked previews beside the envelope implement it; for the others the list is made from
   * `readEntries` (src/main/tokens/token-view.ts).
   */
  listWithoutSecrets?(): Promise<readonly ListedEntry[]>;
}
