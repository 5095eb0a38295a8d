import { basename } from 'node:path';
import { AppError, type AppErrorOptions } from '../errors';
import type { MysqlTableOptions } from './mysql-table-backend';

/**
 * Where a source lives, parsed from the URIs the CLI and the console's forms share:
 * `local`, `filestore:PATH`, `sqlite:PATH[?table=NAME]`,
 * `mysql://USER:PASS@HOST:PORT/DB[?table=NAME&tls=required|insecure]`, and the team store:
 * `postgres://USER:PASS@HOST:PORT/DB[?schema=NAME&sslmode=...]` (also `postgresql://`).
 */
export type SourceLocation =
  | { readonly kind: 'local' }
  | { readonly kind: 'filestore'; readonly path: string }
  | { readonly kind: 'sqlite'; readonly path: string; readonly table: string }
  | ({ readonly kind: 'mysql' } & MysqlTableOptions & { readonly table: string; readonly database: string })
  | TeamStoreLocation;

/**
 * A team store on PostgreSQL (docs/team-store.md "As a token source"). The password stays inside
 * `connectionString` (what the driver takes), so no field of its own can end up in a message or a log.
 */
export interface TeamStoreLocation {
  readonly kind: 'postgres';
  /** The URI without `schema`, every other query parameter (`sslmode=...`) kept for the driver. */
  readonly connectionString: string;
  /** The schema holding the team store; `tokendesk` unless `?schema=` names another. */
  readonly schema: string;
  /** `host` or `host:port`, as written. */
  readonly host: string;
  readonly user: string;
  readonly database: string;
}

export class SourceUriError extends AppError {
  declare readonly code: 'BAD_SOURCE';

  constructor(code: 'BAD_SOURCE', message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'SourceUriError';
  }
}

const URI_FORMS =
  'Use local, filestore:PATH, sqlite:PATH[?table=NAME], mysql://USER:PASS@HOST:PORT/DB[?table=NAME] or postgres://USER:PASS@HOST:PORT/DB[?schema=NAME].';

/** The team store's default schema (docs/team-store.md "What is in the database"). */
export const TEAM_STORE_SCHEMA = 'tokendesk';

/** The scheme of a URI (`local`, `filestore`, `mysql`, ...), lower case; what the registry dispatches on. */
export function schemeOf(uri: string): string {
  const trimmed = uri.trim();
  if (trimmed === 'local') return 'local';
  const colon = trimmed.indexOf(':');
  return colon > 0 ? trimmed.slice(0, colon).toLowerCase() : '';
}

function splitQuery(rest: string): { path: string; query: URLSearchParams } {
  const q = rest.lastIndexOf('?');
  return q < 0
    ? { path: rest, query: new URLSearchParams() }
    : { path: rest.slice(0, q), query: new URLSearchParams(rest.slice(q + 1)) };
}

export function parseSourceUri(uri: string): SourceLocation {
  const trimmed = uri.trim();
  const scheme = schemeOf(trimmed);
  if (scheme === 'local') return { kind: 'local' };
  if (scheme === 'filestore') {
    const path = trimmed.slice('filestore:'.length);
    if (!path)
      throw new SourceUriError('BAD_SOURCE', 'filestore: needs the path of the token file.', {
        hint: URI_FORMS,
      });
    return { kind: 'filestore', path };
  }
  if (scheme === 'sqlite') {
    const { path, query } = splitQuery(trimmed.slice('sqlite:'.length));
    if (!path)
      throw new SourceUriError('BAD_SOURCE', 'sqlite: needs the path of the database file.', {
        hint: URI_FORMS,
      });
    return { kind: 'sqlite', path, table: query.get('table') ?? 'oauthtoken' };
  }
  if (scheme === 'mysql' || scheme === 'mariadb') {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new SourceUriError('BAD_SOURCE', 'That MySQL address is not a valid URI.', { hint: URI_FORMS });
    }
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'zohooauth';
    const tls = url.searchParams.get('tls');
    if (tls !== null && !['required', 'insecure', 'true', 'false'].includes(tls)) {
      throw new SourceUriError('BAD_SOURCE', 'tls= takes required or insecure.');
    }
    return {
      kind: 'mysql',
      host: url.hostname || 'localhost',
      port: url.port ? Number(url.port) : 3306,
      user: url.username ? decodeURIComponent(url.username) : 'root',
      password: decodeURIComponent(url.password),
      database,
      table: url.searchParams.get('table') ?? 'oauthtoken',
      tls:
        tls === 'required' || tls === 'true'
          ? { rejectUnauthorized: true }
          : tls === 'insecure'
            ? { rejectUnauthorized: false }
            : null,
    };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') return parseTeamStoreUri(trimmed);
  throw new SourceUriError('BAD_SOURCE', `"${redactUri(trimmed)}" is not a source TokenDesk knows.`, {
    hint: URI_FORMS,
  });
}

const TEAM_URI_FORM = 'postgres://user:password@host:5432/database';

function parseTeamStoreUri(uri: string): TeamStoreLocation {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new SourceUriError('BAD_SOURCE', `A team store URI looks like ${TEAM_URI_FORM}.`, {
      hint: URI_FORMS,
    });
  }
  if (url.hostname === '' || url.pathname.length <= 1) {
    throw new SourceUriError(
      'BAD_SOURCE',
      `A team store URI needs a host and a database: ${TEAM_URI_FORM}.`,
      {
        hint: URI_FORMS,
      },
    );
  }
  const schema = url.searchParams.get('schema') ?? TEAM_STORE_SCHEMA;
  // The schema is put into SQL as an identifier, so only the plain form PostgreSQL folds to itself.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new SourceUriError('BAD_SOURCE', 'The schema must be lower-case letters, digits and underscores.');
  }
  url.searchParams.delete('schema');
  return {
    kind: 'postgres',
    connectionString: url.toString(),
    schema,
    host: url.host,
    user: decodeURIComponent(url.username),
    database: decodeURIComponent(url.pathname.slice(1)),
  };
}

/** The URI without its password: what may be shown, logged and audited. */
export function redactUri(uri: string): string {
  // Up to the last `@` of the authority, as URL parsers read it: a password with a raw `@` is hidden whole.
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^/?#]*@/i, '$1:***@');
}

/** A short name for lists and the audit log. */
export function displayNameOf(location: SourceLocation): string {
  switch (location.kind) {
    case 'local':
      return 'This computer (encrypted)';
    case 'filestore':
      return `FileStore ${basename(location.path)}`;
    case 'sqlite':
      return `SQLite ${basename(location.path)} (${location.table})`;
    case 'mysql':
      return `MySQL ${location.user}@${location.host}:${location.port}/${location.database}.${location.table}`;
    case 'postgres':
      return `Team store ${location.user ? `${location.user}@` : ''}${location.host}/${location.database}${location.schema === TEAM_STORE_SCHEMA ? '' : ` (${location.schema})`}`;
  }
}
