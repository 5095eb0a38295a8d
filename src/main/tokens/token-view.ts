import {
  DATA_CENTER_IDS,
  type DataCenterId,
  ENVIRONMENTS,
  type ZohoEnvironment,
} from '../../shared/datacenters';
import type { TokenStatus, TokenView } from '../../shared/ipc/views';
import { EXPIRING_WINDOW_MS } from '../../shared/token-status';
import { maskSecret } from '../common/mask';
import { isAccessTokenExpired, type OAuthToken } from '../store/oauth-token';
import type { ListedEntry, ListedToken, ReadonlyTokenEntry } from '../store/token-store';
import type { TokenNote } from './token-notes';
import { consoleUserName } from './user-name';

export { EXPIRING_WINDOW_MS };

/**
 * The status rule, in order: no refresh token, or Zoho said the refresh token is dead -> reauth;
 * access token past the SDK's 5,000 ms margin -> expired (a refresh will fix it); under the window ->
 * expiring; else valid.
 */
export function tokenStatus(
  token: Pick<OAuthToken, 'accessToken' | 'refreshToken' | 'expiryTime'>,
  note: TokenNote | null | undefined,
  now: number,
  expiringWindowMs = EXPIRING_WINDOW_MS,
): TokenStatus {
  if (!token.refreshToken || note?.reauthRequired) return 'reauth';
  if (isAccessTokenExpired(token, now)) return 'expired';
  return Number(token.expiryTime) - now < expiringWindowMs ? 'expiring' : 'valid';
}

function asDataCenter(value: string | null): DataCenterId | null {
  return (DATA_CENTER_IDS as readonly string[]).includes(value ?? '') ? (value as DataCenterId) : null;
}

function asEnvironment(value: string | null): ZohoEnvironment | null {
  return (ENVIRONMENTS as readonly string[]).includes(value ?? '') ? (value as ZohoEnvironment) : null;
}

function expiryOf(token: Pick<ListedToken, 'expiryTime'>): number | null {
  if (token.expiryTime === null) return null;
  const n = Number(token.expiryTime);
  return Number.isFinite(n) ? n : null;
}

/**
 * A token as the list shows it, for stores that do not list without secrets (ListableTokenStore
 * `listWithoutSecrets`). Memoised per frozen token object (a store's cached row: its secrets cannot
 * change), so its previews are computed once; weak keys, and only what the renderer sees is kept.
 */
const listedOf = new WeakMap<Readonly<OAuthToken>, ListedToken>();

export function listedToken(token: Readonly<OAuthToken>): ListedToken {
  let found = listedOf.get(token);
  if (found === undefined) {
    found = {
      id: token.id ?? '',
      userName: token.userName,
      clientId: token.clientId,
      dataCenter: token.dataCenter,
      environment: token.environment,
      expiryTime: token.expiryTime,
      apiDomain: token.apiDomain,
      scopes: token.scopes,
      createdAt: token.createdAt,
      updatedAt: token.updatedAt,
      lastRefreshedAt: token.lastRefreshedAt,
      lastError: token.lastError,
      accessTokenPreview: maskSecret(token.accessToken),
      refreshTokenPreview: maskSecret(token.refreshToken),
    };
    if (Object.isFrozen(token)) listedOf.set(token, found);
  }
  return found;
}

/**
 * Names and labels are kept apart from the token and its notes (token-labels.ts) and added to a listed
 * view by the core; a view made here has none.
 */
const NO_ANNOTATION = { clientName: null, label: null, note: null, orgName: null } as const;

/** The renderer's view of a stored token: masked previews only, never a raw secret. */
export function toTokenView(
  token: Readonly<OAuthToken>,
  note: TokenNote | null | undefined,
  now: number,
  expiringWindowMs = EXPIRING_WINDOW_MS,
): TokenView {
  return listedToView(listedToken(token), note, now, expiringWindowMs);
}

/**
 * The view of a listed token. A preview is null exactly when its secret is null or empty (maskSecret),
 * so the status rule reads the previews as it would the secrets.
 */
export function listedToView(
  token: ListedToken,
  note: TokenNote | null | undefined,
  now: number,
  expiringWindowMs = EXPIRING_WINDOW_MS,
): TokenView {
  const secretsPresent = {
    accessToken: token.accessTokenPreview,
    refreshToken: token.refreshTokenPreview,
    expiryTime: token.expiryTime,
  };
  return {
    id: token.id,
    userName: consoleUserName(token.userName),
    clientId: token.clientId,
    dataCenter: token.dataCenter,
    environment: token.environment,
    apiDomain: token.apiDomain,
    scopes: [...(token.scopes ?? [])],
    status: tokenStatus(secretsPresent, note, now, expiringWindowMs),
    accessTokenPreview: token.accessTokenPreview,
    refreshTokenPreview: token.refreshTokenPreview,
    expiresAt: expiryOf(token),
    createdAt: token.createdAt,
    updatedAt: token.updatedAt,
    lastRefreshedAt: token.lastRefreshedAt,
    lastError: token.lastError,
    lastTest: note?.lastTest ?? null,
    ...NO_ANNOTATION,
  };
}

export function entryToView(
  entry: ListedEntry | ReadonlyTokenEntry,
  notes: ReadonlyMap<string, TokenNote>,
  now: number,
  expiringWindowMs = EXPIRING_WINDOW_MS,
): TokenView {
  if (entry.ok) {
    const listed = 'accessTokenPreview' in entry.token ? entry.token : listedToken(entry.token);
    return listedToView(listed, notes.get(listed.id), now, expiringWindowMs);
  }
  return {
    id: entry.id,
    userName: consoleUserName(entry.userName),
    clientId: entry.clientId,
    dataCenter: asDataCenter(entry.dataCenter),
    environment: asEnvironment(entry.environment),
    apiDomain: null,
    scopes: [],
    status: 'unreadable',
    accessTokenPreview: null,
    refreshTokenPreview: null,
    expiresAt: null,
    createdAt: null,
    updatedAt: null,
    lastRefreshedAt: null,
    lastError: entry.error.message,
    lastTest: notes.get(entry.id)?.lastTest ?? null,
    ...NO_ANNOTATION,
  };
}
