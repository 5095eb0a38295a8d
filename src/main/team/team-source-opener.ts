import type { TeamConnectionSettings } from '../../shared/ipc/team';
import type { SourceOpener } from '../sources/source-registry';
import { parseSourceUri, SourceUriError, type TeamStoreLocation } from '../sources/source-uri';
import type { TokenSource } from '../sources/token-source';
import type { MemberKey } from './member-key';
import { checkTeamConnectionAt } from './team-connection-check';
import { TeamStoreError } from './team-errors';
import { TeamServiceAuditLog } from './team-service-audit-log';
import { describeTeamStore } from './team-source';
import { TeamTokenStore } from './team-token-store';

/**
 * The team store as a TokenSource of the source registry (the `tokendesk` command's `--source
 * postgres://...`, docs/team-store.md "As a token source"): opened with the member key `unlockMember`
 * gives (the store owns it from then on), every action audited in the team store under that member's
 * name, and a read-only member's writes refused before anything happens at Zoho. `close` waits for the
 * audit rows, then closes the store.
 */
export function teamSourceOpener(unlockMember: () => Promise<MemberKey>): SourceOpener {
  return async (uri) => {
    // A malformed URI stays the sources' BAD_SOURCE (the command line was wrong), not a team store error.
    const parsed = parseSourceUri(uri);
    if (parsed.kind !== 'postgres') throw new SourceUriError('BAD_SOURCE', 'Not a postgres:// URI.');
    const location = describeTeamStore(parsed);
    const member = await unlockMember();
    // One quick attempt first (5 s, no retry): a wrong host or password is told at once, not after the
    // 30 s of retries an open store gives a connection that drops.
    const reachable = await checkTeamConnectionAt(location, partsOf(parsed), member.publicKey);
    if (!reachable.ok) {
      member.close();
      throw new TeamStoreError('UNREACHABLE', reachable.message);
    }
    // Opening migrates the schema: only a store this key is a member of is opened, so a mistyped schema
    // never leaves tables on the server (creating a team store is the app's Team page).
    if (reachable.found !== 'member') {
      member.close();
      throw reachable.found === 'empty'
        ? new TeamStoreError(
            'NOT_A_TEAM_STORE',
            `There is no team store in schema "${location.schema}" on this server. Create one on the app's Team page first.`,
          )
        : new TeamStoreError('NOT_A_MEMBER', reachable.message);
    }
    // The store owns the member key from here on, and closes it when opening fails.
    const store = await TeamTokenStore.open({
      connectionString: location.connectionString,
      schema: location.schema,
      member,
    });
    const audit = new TeamServiceAuditLog(store.audit);
    const source: TokenSource = {
      descriptor: location.descriptor,
      store,
      audit,
      assertWritable: (what) => store.assertWritable(what),
      async close() {
        await audit.flush();
        await store.close();
      },
    };
    return source;
  };
}

/** A URI's parts in the console's settings shape, for the words of a failed first contact. */
function partsOf(location: TeamStoreLocation): TeamConnectionSettings {
  const url = new URL(location.connectionString);
  const sslmode = url.searchParams.get('sslmode');
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    database: location.database,
    user: location.user,
    password: decodeURIComponent(url.password),
    tls:
      sslmode === null || sslmode === 'disable' ? 'off' : sslmode === 'verify-full' ? 'required' : 'insecure',
    schema: location.schema,
  };
}
