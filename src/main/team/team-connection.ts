import pg from 'pg';
import { createLogger } from '../log';
import { TokenStoreError } from '../store/token-store';
import { TeamStoreError, UNREACHABLE_RETRYING } from './team-errors';

const log = createLogger('team.connection');

export type TeamConnectionStatus = 'connected' | 'unreachable';

export interface TeamConnectionOptions {
  /** `postgres://user:password@host:port/database` (libpq URL; `?sslmode=require` for TLS). */
  readonly connectionString: string;
  /** The schema holding the team store's tables (created on first use). Default `tokendesk`. */
  readonly schema?: string;
  /** How long an operation keeps retrying while the server is unreachable before it fails. Default 30 s. */
  readonly retryForMs?: number;
  /** Connections kept open. Default 4. */
  readonly maxConnections?: number;
  /** Shown in pg_stat_activity (an operator sees who is connected). Default `tokendesk`. */
  readonly applicationName?: string;
}

export type Query = <R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  params?: readonly unknown[],
) => Promise<R[]>;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const RETRY_DELAYS_MS = [50, 100, 250, 500, 1_000, 2_000];

/**
 * SQLSTATE classes and socket errors that mean "the connection or the server went away", as opposed to
 * an error in the statement: admin shutdown / pg_terminate_backend (57P01), crash shutdown, server
 * starting up or shutting down, and class 08 (connection exception).
 */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  if (typeof code === 'string' && CONNECTION_ERRNOS.has(code)) return true;
  // node-postgres reports a socket closed under it in words only.
  return /Connection terminated|not queryable|timeout exceeded when trying to connect|Connection ended/i.test(
    error.message,
  );
}

/** Thrown inside `transaction` when the connection broke while COMMIT was on the wire: outcome unknown. */
class CommitOutcomeUnknown extends Error {}

/**
 * The team store's connection pool. Every statement runs in the store's schema (search_path). An operation
 * that fails because the server is unreachable is retried with back-off for `retryForMs`, while status
 * listeners are told "unreachable" (the console shows UNREACHABLE_RETRYING); a transaction is retried
 * only when it failed before COMMIT was sent, so PostgreSQL rolled it back and re-running it cannot apply
 * anything twice.
 */
export class TeamConnection {
  readonly pool: pg.Pool;
  readonly schema: string;
  private readonly retryForMs: number;
  private status: TeamConnectionStatus = 'connected';
  private readonly listeners = new Set<(status: TeamConnectionStatus) => void>();
  private closed = false;

  constructor(readonly options: TeamConnectionOptions) {
    this.schema = options.schema ?? 'tokendesk';
    if (!SCHEMA_NAME.test(this.schema)) {
      throw new TeamStoreError(
        'NOT_A_TEAM_STORE',
        'The team store schema name must be lower-case letters, digits and underscores.',
      );
    }
    this.retryForMs = options.retryForMs ?? 30_000;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 4,
      connectionTimeoutMillis: 5_000,
      options: `-c search_path=${this.schema}`,
      application_name: options.applicationName ?? 'tokendesk',
    });
    // An idle connection killed by the server must not crash the process; the next use reconnects.
    this.pool.on('error', (error) => {
      log.warn('Idle team store connection lost', { error: error.message });
    });
  }

  get currentStatus(): TeamConnectionStatus {
    return this.status;
  }

  /** Calls `listener` on every change between connected and unreachable; returns the unsubscribe. */
  onStatus(listener: (status: TeamConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One statement outside a transaction (reads, and writes that are one statement), retried when unreachable. */
  query: Query = async (sql, params) =>
    this.withRetry(async () => (await this.pool.query(sql, params as unknown[])).rows);

  /**
   * `body` inside BEGIN ... COMMIT on one connection. Connection failures before COMMIT roll back and run
   * `body` again from the start (so it must only read and write through `q`); any other error rolls back
   * and is thrown.
   */
  async transaction<T>(
    body: (q: Query) => Promise<T>,
    options: { readonly readOnly?: boolean } = {},
  ): Promise<T> {
    return this.withRetry(async () => {
      const client = await this.pool.connect();
      // A checked-out connection that the server cuts emits 'error' between queries; the failing query
      // reports it, so the event itself only needs a listener (an unheard 'error' would crash the process).
      const onError = () => undefined;
      client.on('error', onError);
      let broken: Error | undefined;
      try {
        await client.query(options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
        const q: Query = async (sql, params) => (await client.query(sql, params as unknown[])).rows;
        const result = await body(q);
        try {
          await client.query('COMMIT');
        } catch (error) {
          // A read that lost its connection at COMMIT changed nothing: it is simply run again.
          if (isConnectionError(error) && !options.readOnly) throw new CommitOutcomeUnknown();
          throw error;
        }
        return result;
      } catch (error) {
        if (isConnectionError(error) || error instanceof CommitOutcomeUnknown) broken = error as Error;
        else await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onError);
        // A broken connection is destroyed, not returned to the pool.
        client.release(broken);
      }
    });
  }

  /** Holds one connection for `body` (LISTEN, session-level work); released (or destroyed) after. */
  async withClient<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const onError = () => undefined;
    client.on('error', onError);
    let broken: Error | undefined;
    try {
      return await body(client);
    } catch (error) {
      if (isConnectionError(error)) broken = error as Error;
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.pool.end();
  }

  private async withRetry<T>(operation: () => Promise<T>): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await operation();
        this.setStatus('connected');
        return result;
      } catch (error) {
        if (error instanceof CommitOutcomeUnknown) {
          this.setStatus('unreachable');
          throw new TeamStoreError(
            'UNREACHABLE',
            'The connection to the team store dropped while a change was being committed, so it may or may not have been saved. Reload the list to see which.',
          );
        }
        if (error instanceof pg.DatabaseError && !isConnectionError(error)) {
          // PostgreSQL's messages name tables, constraints and roles, never bound values: safe to show.
          throw new TokenStoreError('STORAGE', `Team store database error: ${error.message}`, {
            cause: error,
          });
        }
        if (!isConnectionError(error) || this.closed) throw error;
        this.setStatus('unreachable');
        const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
        if (Date.now() - started + delay > this.retryForMs) {
          throw new TeamStoreError(
            'UNREACHABLE',
            `The team store is unreachable (${(error as Error).message}). Nothing was changed.`,
            { cause: error, hint: 'Check the database server and the network, then try again.' },
          );
        }
        log.warn(UNREACHABLE_RETRYING, { attempt: attempt + 1, error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private setStatus(next: TeamConnectionStatus): void {
    if (next === this.status) return;
    this.status = next;
    for (const listener of this.listeners) listener(next);
  }
}
