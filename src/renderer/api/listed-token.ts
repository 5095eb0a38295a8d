import type { TokenView } from '../../shared/ipc/views';

/**
 * A row of the token table: a TokenView plus the token source main listed it from (docs/sources.md),
 * absent for the local encrypted store. Main lists one source at a time, so neither the view nor the wire
 * form carries it: the api layer marks the rows of a source's list (listSourceTokens), and every action on
 * the row sends it back as the request's `sourceId` (token ids of different sources overlap).
 */
export type ListedToken = TokenView & {
  readonly sourceId?: string;
  /**
   * Why this member may not change the row's source (a read-only team member, docs/team-store.md): the
   * actions that would change it are turned off with this as their reason.
   */
  readonly readOnlyReason?: string;
};

/** The source a row was listed from; undefined for a local row (or any plain TokenView). */
export function sourceOf(token: TokenView): string | undefined {
  return (token as ListedToken).sourceId;
}

/** Why the row's source may not be changed by this member; undefined: it may. */
export function readOnlyReasonOf(token: TokenView): string | undefined {
  return (token as ListedToken).readOnlyReason;
}
