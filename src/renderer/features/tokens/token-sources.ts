import type { TokenView } from '../../../shared/ipc/views';
import { type ListedToken, sourceOf } from '../../api/listed-token';

/** The local encrypted store's source id (what main assumes when a request names none). */
export const LOCAL_SOURCE_ID = 'local';
export const LOCAL_SOURCE_NAME = 'This computer';

/** Which sources the table shows: all of them, or one (by id). */
export type SourceFilter = 'all' | (string & {});

/** The source a row belongs to (ListedToken); local rows carry none. */
export function sourceIdOf(token: TokenView): string {
  return sourceOf(token) ?? LOCAL_SOURCE_ID;
}

/**
 * A row's key in the merged table: token ids of different sources overlap (each SDK store numbers its rows
 * from 1), so a source's rows are keyed by source and id. Local rows keep their bare id.
 */
export function tokenKey(token: TokenView): string {
  const source = sourceOf(token);
  return source === undefined || source === LOCAL_SOURCE_ID ? token.id : `${source}/${token.id}`;
}

/** The `sourceId` part of an action request for this row (nothing for a local row). */
export function sourceRequest(token: TokenView): { sourceId?: string } {
  const source = sourceOf(token);
  return source === undefined ? {} : { sourceId: source };
}

/** The rows of one source's list, marked with their source so actions go back to it. */
export function withSource(tokens: readonly TokenView[], sourceId: string): ListedToken[] {
  return tokens.map((t) => ({ ...t, sourceId }));
}

/** A row of this computer's encrypted store (bulk actions act on those only). */
export function isLocalRow(token: TokenView): boolean {
  return sourceOf(token) === undefined;
}

export function matchesSource(token: TokenView, filter: SourceFilter): boolean {
  return filter === 'all' || sourceIdOf(token) === filter;
}
