import pg from 'pg';
import type { TeamConnectionCheck, TeamConnectionSettings } from '../../shared/ipc/team';
import { AppError } from '../errors';
import { createLogger } from '../log';
import { memberIdOf } from './member-key';
import { teamSettingsUri } from './team-local-vault';
import { parseTeamSourceUri } from './team-source';

const log = createLogger('team.check');

/**
 * "Test connection" for a team store: connects once (no retry, 5 s at most), reads what is in the schema
 * and changes nothing (no migration, no table created). Says in plain words what failed or what was found.
 */
export function checkTeamConnection(
  settings: TeamConnectionSettings,
  memberPublicKey: Buffer,
): Promise<TeamConnectionCheck> {
  return checkTeamConnectionAt(parseTeamSourceUri(teamSettingsUri(settings)), settings, memberPublicKey);
}

/**
 * The same check for a location given as a URI (the `tokendesk` command's `--source postgres://...`):
 * `settings` are the URI's parts, for the words of a failure.
 */
export async function checkTeamConnectionAt(
  location: { readonly connectionString: string; readonly schema: string },
  settings: TeamConnectionSettings,
  memberPublicKey: Buffer,
): Promise<TeamConnectionCheck> {
  const client = new pg.Client({
    connectionString: location.connectionString,
    connectionTimeoutMillis: 5_000,
    application_name: 'tokendesk',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [meta] = (
      await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [
        `${location.schema}.team_meta`,
      ])
    ).rows;
    if (!meta?.found) {
      return {
        ok: true,
        found: 'empty',
        message: `Connected. There is no team store in schema "${location.schema}" yet: you can create one.`,
      };
    }
    const [team] = (await client.query(`SELECT 1 FROM ${location.schema}.team_meta WHERE key = 'team_id'`))
      .rows;
    if (!team) {
      return {
        ok: true,
        found: 'empty',
        message: `Connected. There is no team store in schema "${location.schema}" yet: you can create one.`,
      };
    }
    const [me] = (
      await client.query<{ access: string }>(
        `SELECT access FROM ${location.schema}.team_members WHERE member_id = $1`,
        [memberIdOf(memberPublicKey)],
      )
    ).rows;
    return me
      ? {
          ok: true,
          found: 'member',
          message: `Connected. You are a member of this team store (${me.access === 'manage' ? 'can manage it' : 'read-only'}).`,
        }
      : {
          ok: true,
          found: 'not-a-member',
          message:
            'Connected. A team store is here, but you are not a member yet: send your public key to one of its members.',
        };
  } catch (error) {
    return { ok: false, found: null, message: plainConnectionError(error, settings) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A PostgreSQL or network failure in words a person can act on; never the password. */
export function plainConnectionError(error: unknown, settings: TeamConnectionSettings): string {
  if (error instanceof AppError) return error.message;
  const code = (error as { code?: unknown })?.code;
  const text = error instanceof Error ? error.message : String(error);
  const at = `${settings.host}:${settings.port}`;
  switch (code) {
    case 'ECONNREFUSED':
      return `Nothing answers at ${at}: check the host and port, and that PostgreSQL is running.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host name "${settings.host}" is not known.`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return `No answer from ${at}: a firewall or the network may be in the way.`;
    case '28P01':
    case '28000':
      return `The database refused user "${settings.user}" with that password.`;
    case '3D000':
      return `There is no database named "${settings.database}" on ${at}.`;
    case '42501':
      return `User "${settings.user}" may not read the team store's tables (ask for the tokendesk_app role).`;
  }
  if (/timeout/i.test(text)) return `No answer from ${at} within 5 seconds.`;
  if (/does not support SSL/i.test(text)) {
    return `The server at ${at} does not accept TLS: set TLS to off, or turn TLS on at the server.`;
  }
  if (/self[- ]signed|certificate|altname/i.test(text)) {
    return `The server's TLS certificate could not be verified (${text}).`;
  }
  if (/no pg_hba\.conf entry/i.test(text)) {
    return `The server does not let user "${settings.user}" connect from this computer${settings.tls === 'off' ? ' without TLS' : ''} (pg_hba.conf).`;
  }
  log.warn('team store connection failed', { code: typeof code === 'string' ? code : null });
  return `The team store could not be reached: ${text.replaceAll(settings.password || '\u0000', '***')}`;
}
