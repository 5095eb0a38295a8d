import { basename } from 'node:path';
import { AppError, type AppErrorOptions } from '../errors';
import type { MysqlTableOptions } from './mysql-table-backend';

/**
 * Where a source lives, parsed from the URIs the CLI and the console's forms share:
 * `local`, `filestore:PATH`, `sqlite:PATH[?table=NAME]`,
 * `mysql://USER:PASS@HOST:PORT/DB[?table=NAME&tls=required|insecure]`.
 */
export type SourceLocation =
  | { readonly kind: 'local' }
  | { readonly kind: 'filestore'; readonly path: string }
  | { readonly kind: 'sqlite'; readonly path: string; readonly table: string }
  | ({ readonly kind: 'mysql' } & MysqlTableOptions & { readonly table: string; readonly database: string });

export class SourceUriError extends AppError {
  declare readonly code: 'BAD_SOURCE';

  constructor(code: 'BAD_SOURCE', message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'SourceUriError';
  }
}

const URI_FORMS =
  'Use local, filestore:PATH, sqlite:PATH[?table=NAME] or mysql://USER:PASS@HOST:PORT/DB[?table=NAME].';

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
  throw new SourceUriError('BAD_SOURCE', `"${redactUri(trimmed)}" is not a source TokenDesk knows.`, {
    hint: URI_FORMS,
  });
}

/** The URI without its password: what may be shown, logged and audited. */
export function redactUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
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
  }
}
