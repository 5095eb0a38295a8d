import type { DataCenterId } from '../../../shared/datacenters';
import type { TokenStatus, TokenView } from '../../../shared/ipc/views';
import { matchesSource, type SourceFilter, sourceIdOf } from './token-sources';

/** Status words: always text, never colour alone. */
export const STATUS_LABELS: Readonly<Record<TokenStatus, string>> = {
  valid: 'Valid',
  expiring: 'Expiring soon',
  expired: 'Expired, refreshable',
  reauth: 'Needs re-authorisation',
  unreadable: 'Unreadable',
  'demo-ended': 'From an earlier demo run',
};

export const STATUS_DESCRIPTIONS: Readonly<Record<TokenStatus, string>> = {
  valid: 'The access token is valid.',
  expiring: 'The access token expires within 5 minutes; it is refreshed on next use.',
  expired: 'The access token has expired, but the refresh token can get a new one.',
  reauth: 'Zoho no longer accepts the refresh token (revoked or evicted). Sign in again.',
  unreadable: 'This row failed its integrity check (tampered, or encrypted with another key). Delete it.',
  'demo-ended':
    'Issued by the built-in Zoho simulator in a demo run that has ended. The simulator keeps its tokens only while it runs, so this one works nowhere, even after demo mode starts again. Delete it (nothing to revoke) and add a demo account again.',
};

/** Most urgent first, so an ascending sort puts the tokens that need a person on top. */
const STATUS_RANK: Readonly<Record<TokenStatus, number>> = {
  unreadable: 0,
  reauth: 1,
  'demo-ended': 2,
  expired: 3,
  expiring: 4,
  valid: 5,
};

export type StatusFilter = TokenStatus | 'all' | 'attention';
export type DataCenterFilter = DataCenterId | 'all';

export interface TokenQuery {
  readonly search: string;
  readonly status: StatusFilter;
  readonly dataCenter: DataCenterFilter;
  /** Which token source's rows (docs/sources.md); absent: every source. */
  readonly source?: SourceFilter;
}

export const EMPTY_QUERY: TokenQuery = { search: '', status: 'all', dataCenter: 'all', source: 'all' };

const NEEDS_ATTENTION: ReadonlySet<TokenStatus> = new Set(['expired', 'reauth', 'unreadable', 'demo-ended']);

function matchesStatus(status: TokenStatus, filter: StatusFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'attention') return NEEDS_ATTENTION.has(status);
  return status === filter;
}

/** The texts a search looks in: who, which client (id and the name given to it), and the labels. */
function searchable(t: TokenView): readonly (string | null)[] {
  return [t.userName, t.clientId, t.clientName, t.label, t.note, t.orgName];
}

/**
 * Search matches the user's email, the client id or name, the token's label or note, or the CRM
 * organisation its test reached: case-insensitively, and composed (NFC) on both sides as main stores
 * text, so "é" typed either way finds it. Blank search matches all.
 */
export function filterTokens(tokens: readonly TokenView[], query: TokenQuery): TokenView[] {
  const needle = query.search.trim().normalize('NFC').toLowerCase();
  return tokens.filter((t) => {
    if (!matchesStatus(t.status, query.status)) return false;
    if (query.dataCenter !== 'all' && t.dataCenter !== query.dataCenter) return false;
    if (query.source !== undefined && !matchesSource(t, query.source)) return false;
    if (needle === '') return true;
    return searchable(t).some((text) => text?.toLowerCase().includes(needle) ?? false);
  });
}

export function isFiltered(query: TokenQuery): boolean {
  return (
    query.search.trim() !== '' ||
    query.status !== 'all' ||
    query.dataCenter !== 'all' ||
    (query.source ?? 'all') !== 'all'
  );
}

export const SORT_KEYS = [
  'user',
  'source',
  'dataCenter',
  'clientId',
  'status',
  'expiresAt',
  'lastRefreshedAt',
  'lastTest',
] as const;
export type TokenSortKey = (typeof SORT_KEYS)[number];

export interface TokenSort {
  readonly key: TokenSortKey;
  readonly desc: boolean;
}

type SortValue = string | number | null;

/** A source's name as the table shows it (the Source column sorts by what the person reads). */
export type SourceNameOf = (sourceId: string) => string;

function sortValue(t: TokenView, key: TokenSortKey, sourceName: SourceNameOf): SortValue {
  switch (key) {
    case 'user':
      return t.userName?.toLowerCase() ?? null;
    case 'dataCenter':
      return t.dataCenter === null ? null : `${t.dataCenter}|${t.environment ?? ''}`;
    case 'clientId':
      return t.clientId;
    case 'status':
      return STATUS_RANK[t.status];
    case 'expiresAt':
      return t.expiresAt;
    case 'lastRefreshedAt':
      return t.lastRefreshedAt;
    case 'lastTest':
      // Failed tests sort before passed ones, then by time: "what broke" first.
      return t.lastTest === null ? null : (t.lastTest.ok ? 1 : 0) * 1e15 + t.lastTest.at;
    case 'source':
      return sourceName(sourceIdOf(t));
  }
}

/** One collator for every comparison: `localeCompare` builds one per call, which shows at 10k rows. */
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/**
 * Stable sort by one column. Missing values always go last, in either direction, so "sort by expiry"
 * never buries real expiries under blank rows. Ties keep the user order so the table does not shuffle.
 */
export function sortTokens(
  tokens: readonly TokenView[],
  sort: TokenSort | null,
  sourceName: SourceNameOf = (id) => id,
): TokenView[] {
  if (sort === null) return [...tokens];
  const dir = sort.desc ? -1 : 1;
  const decorated = tokens.map((t, index) => ({ t, index, v: sortValue(t, sort.key, sourceName) }));
  decorated.sort((x, y) => {
    if (x.v === null && y.v === null) return x.index - y.index;
    if (x.v === null) return 1;
    if (y.v === null) return -1;
    const c = compareValues(x.v, y.v) * dir;
    return c !== 0 ? c : x.index - y.index;
  });
  return decorated.map((d) => d.t);
}

export function countByStatus(tokens: readonly TokenView[]): Record<TokenStatus, number> {
  const counts: Record<TokenStatus, number> = {
    valid: 0,
    expiring: 0,
    expired: 0,
    reauth: 0,
    unreadable: 0,
    'demo-ended': 0,
  };
  for (const t of tokens) counts[t.status] += 1;
  return counts;
}

/** Which row gets focus after a key press in the grid; null when the key is not a navigation key. */
export function nextRowIndex(key: string, current: number, count: number, pageSize: number): number | null {
  if (count === 0) return null;
  const clamp = (n: number) => Math.max(0, Math.min(count - 1, n));
  switch (key) {
    case 'ArrowDown':
      return clamp(current + 1);
    case 'ArrowUp':
      return clamp(current - 1);
    case 'PageDown':
      return clamp(current + pageSize);
    case 'PageUp':
      return clamp(current - pageSize);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** Clear-all confirmation: the count itself, or "delete N tokens" (any case, extra spaces ignored). */
export function isClearConfirmation(typed: string, count: number): boolean {
  const text = typed.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === String(count)) return true;
  return text === `delete ${count} ${count === 1 ? 'token' : 'tokens'}` || text === `delete ${count} tokens`;
}
