import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATA_CENTER_IDS, DATA_CENTERS, ENVIRONMENTS } from '../../shared/datacenters';
import { tempDir } from '../store/test-support/temp-store';
import { accountResolver } from './account-from-api-domain';
import { SourceRegistry } from './source-registry';
import { displayNameOf, parseSourceUri, redactUri, type SourceUriError } from './source-uri';

describe('source URIs', () => {
  it('parses every form the CLI and the console take', () => {
    expect(parseSourceUri('local')).toEqual({ kind: 'local' });
    expect(parseSourceUri('filestore:/srv/app/sdk_tokens.txt')).toEqual({
      kind: 'filestore',
      path: '/srv/app/sdk_tokens.txt',
    });
    expect(parseSourceUri('sqlite:./zohooauth.db?table=tokens')).toEqual({
      kind: 'sqlite',
      path: './zohooauth.db',
      table: 'tokens',
    });
    expect(parseSourceUri('mysql://app:p%40ss@db.example:3307/crm?table=oauth&tls=required')).toEqual({
      kind: 'mysql',
      host: 'db.example',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'crm',
      table: 'oauth',
      tls: { rejectUnauthorized: true },
    });
    expect(parseSourceUri('mysql://root@localhost/')).toMatchObject({
      database: 'zohooauth',
      table: 'oauthtoken',
      password: '',
    });
  });

  it('parses a team store URI (postgres:// or postgresql://), keeping the password inside the connection string', () => {
    const parsed = parseSourceUri(
      'postgres://app:p%40ss@db.example:5433/crm?schema=sales&sslmode=verify-full',
    );
    expect(parsed).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://app:p%40ss@db.example:5433/crm?sslmode=verify-full',
      schema: 'sales',
      host: 'db.example:5433',
      user: 'app',
      database: 'crm',
    });
    expect(displayNameOf(parsed)).toBe('Team store app@db.example:5433/crm (sales)');
    expect(parseSourceUri('POSTGRESQL://h/db')).toMatchObject({ kind: 'postgres', schema: 'tokendesk' });
    expect(displayNameOf(parseSourceUri('postgresql://h/db'))).toBe('Team store h/db');
    expect(redactUri('postgres://app:p%40ss@db.example:5433/crm')).toBe(
      'postgres://app:***@db.example:5433/crm',
    );
    // A password with a raw "@" is hidden whole (URL parsers read the authority up to its last "@").
    expect(redactUri('postgres://app:p@ss@db/crm?x=1')).toBe('postgres://app:***@db/crm?x=1');
  });

  it('refuses a team store URI without a host or database, or with a schema SQL would not take as is', () => {
    for (const [uri, words] of [
      ['postgres://u:hunter2@host', 'needs a host and a database'],
      ['postgres://u:hunter2@/crm', 'A team store URI looks like postgres://'],
      ['postgres://u:hunter2@h/crm?schema=Bad-Name', 'lower-case letters, digits and underscores'],
      ['postgres://u:hunter2@h:99999/crm', 'A team store URI looks like postgres://'],
    ] as const) {
      expect(() => parseSourceUri(uri), uri).toThrow(words);
      try {
        parseSourceUri(uri);
      } catch (error) {
        expect((error as SourceUriError).code).toBe('BAD_SOURCE');
        expect(
          JSON.stringify({ ...(error as SourceUriError), message: (error as Error).message }),
        ).not.toContain('hunter2');
      }
    }
  });

  it('refuses an unknown kind without echoing a password', () => {
    expect(() => parseSourceUri('ftp://u:secret@host/x')).toThrow(
      '"ftp://u:***@host/x" is not a source TokenDesk knows.',
    );
    expect(redactUri('mysql://app:hunter2@db:3306/zohooauth')).toBe('mysql://app:***@db:3306/zohooauth');
  });
});

describe('data center and environment from the API domain', () => {
  const resolve = accountResolver();
  it('knows every data center, production, sandbox and developer', () => {
    for (const dataCenter of DATA_CENTER_IDS) {
      for (const environment of ENVIRONMENTS) {
        expect(resolve(DATA_CENTERS[dataCenter].apiDomains[environment])).toEqual({
          dataCenter,
          environment,
        });
        expect(resolve(`${DATA_CENTERS[dataCenter].apiDomains[environment]}/`)).toEqual({
          dataCenter,
          environment,
        });
      }
    }
    expect(resolve('https://www.zohoapis.com.au')).toEqual({ dataCenter: 'AU', environment: 'production' });
    expect(resolve('https://developer.zohoapis.com.cn')).toEqual({
      dataCenter: 'CN',
      environment: 'developer',
    });
  });

  it('derives nothing from an unknown, look-alike or missing domain', () => {
    expect(resolve(null)).toBeNull();
    expect(resolve('')).toBeNull();
    expect(resolve('https://www.zohoapis.com.evil.example')).toBeNull();
    expect(resolve('http://www.zohoapis.com')).toBeNull();
  });
});

describe('SQLite table sources', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());
  const registry = new SourceRegistry();
  const resolve = accountResolver();

  it('a missing file, a missing table and a table with the wrong columns are said plainly, and nothing is changed', async () => {
    await expect(registry.open(`sqlite:${join(dir, 'nope.db')}`, { resolve })).rejects.toThrow(
      'The SQLite file nope.db was not found or cannot be opened.',
    );
    const path = join(dir, 'zohooauth.db');
    const db = new Database(path);
    db.exec(
      "CREATE TABLE oauthtoken (id varchar(10) PRIMARY KEY, user_name varchar(255)); INSERT INTO oauthtoken VALUES ('1', 'keep@example.com')",
    );
    db.close();
    await expect(registry.open(`sqlite:${path}?table=other`, { resolve })).rejects.toThrow(
      'The SQLite file has no table named other.',
    );
    await expect(registry.open(`sqlite:${path}`, { resolve })).rejects.toThrow(
      "The table oauthtoken is not in the SDK's layout: it lacks client_id",
    );
    await expect(registry.open(`sqlite:${path}?table=x;drop`, { resolve })).rejects.toThrow(
      'The table name may only hold letters',
    );
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT * FROM oauthtoken').all()).toEqual([
      { id: '1', user_name: 'keep@example.com' },
    ]);
    check.close();
  });
});
