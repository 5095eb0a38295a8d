import pg from 'pg';
import { createLogger } from '../log';
import { isConnectionError, type TeamConnection } from './team-connection';

const log = createLogger('team.refresh-lock');

/** Most tokens refreshing at once in one process; each holds one connection of its own while it does. */
const LOCK_CONNECTIONS = 8;

/**
 * One refresh per token at a time across every process and machine sharing the team store: a PostgreSQL
 * advisory lock per token, taken in a transaction that lasts for the refresh (released on COMMIT, or by
 * the server if the process dies). The caller re-reads the row once it holds the lock, so a process that
 * waited uses the token another one just refreshed instead of calling Zoho again.
 *
 * The locks live on their own small pool: the work done while holding one (re-read, save) goes through
 * the store's pool, so lock holders can never take every connection that work needs.
 */
export class TeamRefreshLock {
  private readonly pool: pg.Pool;

  constructor(private readonly connection: TeamConnection) {
    this.pool = new pg.Pool({
      connectionString: connection.options.connectionString,
      max: LOCK_CONNECTIONS,
      connectionTimeoutMillis: 5_000,
      application_name: 'tokendesk-refresh-lock',
    });
    this.pool.on('error', (error) => log.warn('Idle refresh-lock connection lost', { error: error.message }));
  }

  async withTokenLock<T>(tokenId: string, work: () => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      // Unreachable now: the work's own reads and writes retry and say so; without the lock the worst
      // case is one extra refresh, never a lost token.
      if (!isConnectionError(error)) throw error;
      log.warn('Refreshing without the team lock: the team store is unreachable', {
        error: (error as Error).message,
      });
      return work();
    }
    const onError = () => undefined; // reported by the failing query; see TeamConnection.transaction
    client.on('error', onError);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `tokendesk/team/refresh/${this.connection.schema}/${tokenId}`,
      ]);
      const result = await work();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isConnectionError(error)) broken = error as Error;
      else await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
