import { DATA_CENTER_IDS, ENVIRONMENTS } from '../../shared/datacenters';
import type { OAuthToken } from './oauth-token';
import { emailOfUserName, isSdkUserName, userNamesMatch } from './sdk-user-name';
import { TokenStoreError } from './token-store';

/**
 * The store-independent half of every TokenStore: which lookups a token implies (docs/zoho.md
 * "Matching rules", in precedence order) and how a found row and an incoming token combine. Each store
 * only has to answer one `LookupStep` at a time, so the memory and SQLite stores cannot drift apart.
 */

/**
 * One lookup. A store answers it with its first matching row, or null: the lowest id in TokenDesk's stores,
 * the first in the table's key order in an SDK table (the row the SDK itself would find).
 */
export type LookupStep =
  | { readonly by: 'id'; readonly id: string }
  | {
      readonly by: 'user';
      readonly userName: string;
      /**
       * `exact`: that name. `sdk-form-of-email`: the SDK's `<email>:<zgid>` form of `userName`, a bare email
       * (sdk-user-name.ts: one person under either form).
       */
      readonly match: 'exact' | 'sdk-form-of-email';
      // null means "not given by the token": any stored value matches.
      readonly clientId: string | null;
      readonly dataCenter: string | null;
      readonly environment: string | null;
    }
  | { readonly by: 'accessToken'; readonly value: string }
  | { readonly by: 'grantToken'; readonly value: string }
  | { readonly by: 'refreshToken'; readonly value: string };

export type Lookup = (step: LookupStep) => OAuthToken | null;

const NOT_FOUND_DETAILS_MESSAGE = 'Given user authentication details not found.';

/** The SDK's stores treat an empty CSV field as null; an empty string never identifies anything. */
function isSet(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && value !== '';
}

/** Decimal ids only (up to 15 digits, exact as a JS number): anything else can never name a row. */
export function isWellFormedId(id: string): boolean {
  return /^[1-9][0-9]{0,14}$/.test(id);
}

/**
 * The steps of the first matching rule that applies (docs/zoho.md): 1. user name; 2. access token without
 * client credentials; 3. refresh token, or grant token with client id+secret: grant first, then refresh.
 * Only that rule's steps run: a user-name token never falls through to a token-value match.
 */
export function matchSteps(token: OAuthToken): LookupStep[] {
  if (isSet(token.userName)) {
    const identity = {
      clientId: isSet(token.clientId) ? token.clientId : null,
      dataCenter: isSet(token.dataCenter) ? token.dataCenter : null,
      environment: isSet(token.environment) ? token.environment : null,
    };
    const name = token.userName;
    // The name as given first, then the same person under the other form (sdk-user-name.ts).
    return [
      { by: 'user', userName: name, match: 'exact', ...identity },
      isSdkUserName(name)
        ? { by: 'user', userName: emailOfUserName(name), match: 'exact', ...identity }
        : { by: 'user', userName: name, match: 'sdk-form-of-email', ...identity },
    ];
  }
  if (isSet(token.accessToken) && !isSet(token.clientId) && !isSet(token.clientSecret)) {
    return [{ by: 'accessToken', value: token.accessToken }];
  }
  const hasClient = isSet(token.clientId) && isSet(token.clientSecret);
  if (isSet(token.refreshToken) || (isSet(token.grantToken) && hasClient)) {
    const steps: LookupStep[] = [];
    if (isSet(token.grantToken)) steps.push({ by: 'grantToken', value: token.grantToken });
    if (isSet(token.refreshToken)) steps.push({ by: 'refreshToken', value: token.refreshToken });
    return steps;
  }
  return [];
}

/** Whether `stored` answers `step`; what a store without query support (memory) filters with. */
export function stepMatches(step: LookupStep, stored: OAuthToken): boolean {
  switch (step.by) {
    case 'id':
      return stored.id === step.id;
    case 'user':
      return (
        stored.userName !== null &&
        userNameAnswers(step, stored.userName) &&
        (step.clientId === null || stored.clientId === step.clientId) &&
        (step.dataCenter === null || stored.dataCenter === step.dataCenter) &&
        (step.environment === null || stored.environment === step.environment)
      );
    case 'accessToken':
      return stored.accessToken === step.value;
    case 'grantToken':
      return stored.grantToken === step.value;
    case 'refreshToken':
      return stored.refreshToken === step.value;
  }
}

/** Whether a stored user name answers a lookup step by user (the whole rule: sdk-user-name.ts). */
export function userNameAnswers(step: Extract<LookupStep, { by: 'user' }>, stored: string): boolean {
  return step.match === 'exact'
    ? stored === step.userName
    : isSdkUserName(stored) && userNamesMatch(step.userName, stored);
}

/** Runs the steps in order and returns the first hit. */
export function runSteps(steps: readonly LookupStep[], lookup: Lookup): OAuthToken | null {
  for (const step of steps) {
    const found = lookup(step);
    if (found) return found;
  }
  return null;
}

const MERGED_FIELDS = [
  'userName',
  'clientId',
  'clientSecret',
  'refreshToken',
  'accessToken',
  'grantToken',
  'expiryTime',
  'redirectUrl',
  'apiDomain',
  'dataCenter',
  'environment',
  'scopes',
  'lastRefreshedAt',
] as const satisfies readonly (keyof OAuthToken)[];

/** findToken's answer: the stored token, with the passed token's values where the stored one has none. */
export function fillFound(stored: OAuthToken, passed: OAuthToken): OAuthToken {
  const result = copyToken(stored);
  for (const field of MERGED_FIELDS) {
    if (result[field] === null && passed[field] !== null) assign(result, field, passed[field]);
  }
  if (result.lastError === null) result.lastError = passed.lastError;
  return result;
}

export type SavePlan =
  | { readonly kind: 'update'; readonly token: OAuthToken }
  | { readonly kind: 'insert'; readonly token: OAuthToken };

/**
 * Decides what saveToken writes. A match by id (else by the rules) is updated, keeping stored values for
 * fields the token lacks; no match inserts (the store assigns the id). `lastError` is the exception to
 * "keep stored values": a save records the outcome of the latest operation, so null clears it.
 */
export function planSave(token: OAuthToken, lookup: Lookup, now: number): SavePlan {
  validateToken(token);
  const steps: LookupStep[] = [];
  if (token.id !== null && isWellFormedId(token.id)) steps.push({ by: 'id', id: token.id });
  steps.push(...matchSteps(token));
  const stored = runSteps(steps, lookup);
  if (stored) {
    const merged = copyToken(stored);
    for (const field of MERGED_FIELDS) {
      if (token[field] !== null) assign(merged, field, token[field]);
    }
    // The SDK finds its token by `<email>:<zgid>`: a save under the bare email keeps that name.
    if (
      stored.userName !== null &&
      token.userName !== null &&
      isSdkUserName(stored.userName) &&
      !isSdkUserName(token.userName) &&
      userNamesMatch(token.userName, stored.userName)
    ) {
      merged.userName = stored.userName;
    }
    merged.lastError = token.lastError;
    merged.updatedAt = now;
    return { kind: 'update', token: merged };
  }
  const hasSecretToken = isSet(token.grantToken) || isSet(token.refreshToken) || isSet(token.accessToken);
  if ((token.id !== null || isSet(token.userName)) && !hasSecretToken) {
    throw new TokenStoreError('NOT_FOUND_DETAILS', NOT_FOUND_DETAILS_MESSAGE);
  }
  const fresh = copyToken(token);
  fresh.id = null;
  fresh.createdAt = now;
  fresh.updatedAt = now;
  return { kind: 'insert', token: fresh };
}

/** Rejects values a store could not round-trip or that would break the identity rules. */
function validateToken(token: OAuthToken): void {
  if (token.dataCenter !== null && !(DATA_CENTER_IDS as readonly string[]).includes(token.dataCenter)) {
    throw new TokenStoreError('MALFORMED_TOKEN', 'The token has an unknown data center.');
  }
  if (token.environment !== null && !(ENVIRONMENTS as readonly string[]).includes(token.environment)) {
    throw new TokenStoreError('MALFORMED_TOKEN', 'The token has an unknown environment.');
  }
}

/** A deep-enough copy: stores never hand out or keep a caller's object (or its scopes array). */
export function copyToken(token: OAuthToken): OAuthToken {
  return { ...token, scopes: token.scopes === null ? null : [...token.scopes] };
}

function assign<K extends keyof OAuthToken>(target: OAuthToken, field: K, value: OAuthToken[K]): void {
  target[field] = value;
  // Never share the caller's scopes array with stored state.
  if (field === 'scopes' && target.scopes !== null) target.scopes = [...target.scopes];
}
