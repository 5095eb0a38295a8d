import { createHash } from 'node:crypto';
import {
  displayNameOf,
  parseSourceUri,
  SourceUriError,
  TEAM_STORE_SCHEMA,
  type TeamStoreLocation,
} from '../sources/source-uri';
import type { MemberKey } from './member-key';
import { TeamStoreError } from './team-errors';
import { TeamTokenStore } from './team-token-store';

/**
 * The team store as a token source: a `postgres://` (or `postgresql://`) URI, parsed by the sources'
 * `parseSourceUri` like every other source. The descriptor has the registry's shape (id, kind,
 * displayName, plaintextAtRest, redactedUri); the URI's optional `?schema=` names the schema holding the
 * team store (default `tokendesk`), every other query parameter goes to the PostgreSQL driver
 * (`sslmode=require` for TLS).
 */
export const TEAM_SOURCE_KIND = 'postgres';

export interface TeamSourceDescriptor {
  readonly id: string;
  readonly kind: typeof TEAM_SOURCE_KIND;
  readonly displayName: string;
  /** False: every secret is sealed with the team's data key before it reaches the database. */
  readonly plaintextAtRest: false;
  readonly redactedUri: string;
}

export interface TeamSourceLocation {
  /** The URI without `schema`, as the driver takes it. */
  readonly connectionString: string;
  readonly schema: string;
  readonly descriptor: TeamSourceDescriptor;
}

export function isTeamSourceUri(uri: string): boolean {
  return /^postgres(ql)?:\/\//i.test(uri.trim());
}

/** Parses a team store URI; throws a TeamStoreError naming what is wrong (never echoing a password). */
export function parseTeamSourceUri(uri: string): TeamSourceLocation {
  let location: ReturnType<typeof parseSourceUri> | null = null;
  try {
    if (isTeamSourceUri(uri)) location = parseSourceUri(uri);
  } catch (error) {
    if (!(error instanceof SourceUriError)) throw error;
    throw new TeamStoreError('NOT_A_TEAM_STORE', error.message, { hint: error.hint });
  }
  if (location?.kind !== 'postgres') {
    throw new TeamStoreError(
      'NOT_A_TEAM_STORE',
      'A team store URI looks like postgres://user:password@host:5432/database.',
    );
  }
  return describeTeamStore(location);
}

/** The registry's descriptor of a parsed team store location (its id a hash of the redacted URI). */
export function describeTeamStore(location: TeamStoreLocation): TeamSourceLocation {
  const shown = new URL(location.connectionString);
  if (shown.password !== '') shown.password = '***';
  if (location.schema !== TEAM_STORE_SCHEMA) shown.searchParams.set('schema', location.schema);
  const redactedUri = shown.toString();
  return {
    connectionString: location.connectionString,
    schema: location.schema,
    descriptor: {
      id: `${TEAM_SOURCE_KIND}-${createHash('sha256').update(redactedUri).digest('hex').slice(0, 12)}`,
      kind: TEAM_SOURCE_KIND,
      displayName: displayNameOf(location),
      plaintextAtRest: false,
      redactedUri,
    },
  };
}

/** Opens the team store a URI names, as `member`; the source's `close` closes the store. */
export async function openTeamSource(uri: string, member: MemberKey) {
  const location = parseTeamSourceUri(uri);
  const store = await TeamTokenStore.open({
    connectionString: location.connectionString,
    schema: location.schema,
    member,
  });
  return { descriptor: location.descriptor, store, close: () => store.close() };
}
