import { createHash } from 'node:crypto';
import type { MemberKey } from './member-key';
import { TeamStoreError } from './team-errors';
import { TeamTokenStore } from './team-token-store';

/**
 * The team store as a token source: a `postgres://` (or `postgresql://`) URI, for the source registry
 * beside the local store and the SDK layouts. The descriptor has the registry's shape (id, kind,
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
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    throw new TeamStoreError(
      'NOT_A_TEAM_STORE',
      'A team store URI looks like postgres://user:password@host:5432/database.',
    );
  }
  if (!/^postgres(ql)?:$/i.test(url.protocol) || url.hostname === '' || url.pathname.length <= 1) {
    throw new TeamStoreError(
      'NOT_A_TEAM_STORE',
      'A team store URI needs a host and a database: postgres://user:password@host:5432/database.',
    );
  }
  const schema = url.searchParams.get('schema') ?? 'tokendesk';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new TeamStoreError(
      'NOT_A_TEAM_STORE',
      'The schema must be lower-case letters, digits and underscores.',
    );
  }
  url.searchParams.delete('schema');
  const connectionString = url.toString();
  const shown = new URL(connectionString);
  if (shown.password !== '') shown.password = '***';
  if (schema !== 'tokendesk') shown.searchParams.set('schema', schema);
  const redactedUri = shown.toString();
  const database = decodeURIComponent(url.pathname.slice(1));
  return {
    connectionString,
    schema,
    descriptor: {
      id: `${TEAM_SOURCE_KIND}-${createHash('sha256').update(redactedUri).digest('hex').slice(0, 12)}`,
      kind: TEAM_SOURCE_KIND,
      displayName: `Team store ${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.host}/${database}${schema === 'tokendesk' ? '' : ` (${schema})`}`,
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
