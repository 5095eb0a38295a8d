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
import type { ReadonlyTokenEntry } from '../store/token-store';
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

function expiryOf(token: Readonly<OAuthToken>): number | null {
  if (token.expiryTime === null) return null;
  const n = Number(token.expiryTime);
  return Number.isFinite(n) ? n : null;
}

interface Previews {
  readonly access: string | null;
  readonly refresh: string | null;
}

/**
 * Masked previews per frozen token object (a store's cached row, see ListableTokenStore.readEntries):
 * a frozen token's secrets cannot change, so its previews are computed once. Weak keys: an entry goes
 * when the store drops the row, and only masks (what the renderer sees anyway) are kept here.
 */
const previewsOf = new WeakMap<Readonly<OAuthToken>, Previews>();

function previews(token: Readonly<OAuthToken>): Previews {
  let found = previewsOf.get(token);
  if (found === undefined) {
    found = { access: maskSecret(token.accessToken), refresh: maskSecret(token.refreshToken) };
    if (Object.isFrozen(token)) previewsOf.set(token, found);
  }
  return found;
}

/** The renderer's view of a stored token: masked previews only, never a raw secret. */
export function toTokenView(
  token: Readonly<OAuthToken>,
  note: TokenNote | null | undefined,
  now: number,
  expiringWindowMs = EXPIRING_WINDOW_MS,
): TokenView {
  const masked = previews(token);
  return {
    id: token.id ?? '',
    userName: consoleUserName(token.userName),
    clientId: token.clientId,
    dataCenter: token.dataCenter,
    environment: token.environment,
    apiDomain: token.apiDomain,
    scopes: [...(token.scopes ?? [])],
    status: tokenStatus(token, note, now, expiringWindowMs),
    accessTokenPreview: masked.access,
    refreshTokenPreview: masked.refresh,
    expiresAt: expiryOf(token),
    createdAt: token.createdAt,
    updatedAt: token.updatedAt,
    lastRefreshedAt: token.lastRefreshedAt,
    lastError: token.lastError,
    lastTest: note?.lastTest ?? null,
  };
}

export function entryToView(
  entry: ReadonlyTokenEntry,
  notes: ReadonlyMap<string, TokenNote>,
  now: number,
  expiringWindowMs = EXPIRING_WINDOW_MS,
): TokenView {
  if (entry.ok) return toTokenView(entry.token, notes.get(entry.token.id ?? ''), now, expiringWindowMs);
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
  };
}
