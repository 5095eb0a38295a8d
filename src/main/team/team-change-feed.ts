import pg from 'pg';
import { z } from 'zod';
import { createLogger } from '../log';
import type { TeamConnectionStatus } from './team-connection';
import { UNREACHABLE_RETRYING } from './team-errors';
import { CHANGE_CHANNEL } from './team-schema';

const log = createLogger('team.changes');

/** A change another member (or this one) committed: one row of `team_tokens` or `team_members`. */
export type TeamChange =
  | {
      readonly kind: 'row';
      readonly table: 'team_tokens' | 'team_members';
      readonly op: 'INSERT' | 'UPDATE' | 'DELETE';
      readonly id: string;
    }
  /** The feed reconnected: changes made while it was down were not seen, so reload once. */
  | { readonly kind: 'resync' };

const PayloadSchema = z.object({
  schema: z.string(),
  table: z.enum(['team_tokens', 'team_members']),
  op: z.enum(['INSERT', 'UPDATE', 'DELETE']),
  id: z.string(),
});

const RECONNECT_DELAYS_MS = [100, 250, 500, 1_000, 2_000, 5_000];

/**
 * Pushes every committed change of one team store to this process, through PostgreSQL LISTEN/NOTIFY (the
 * triggers in team-schema.ts): no table is polled. Notifications are sent at commit, so a listener never
 * sees a change that rolled back. The feed holds one connection of its own; when it drops, status
 * listeners are told "unreachable" at once (the console shows UNREACHABLE_RETRYING), the feed reconnects
 * with back-off, and then emits `resync`, because notifications sent while it was away are lost.
 */
export class TeamChangeFeed {
  private client: pg.Client | null = null;
  private closed = false;
  private status: TeamConnectionStatus = 'unreachable';
  private readonly changeListeners = new Set<(change: TeamChange) => void>();
  private readonly statusListeners = new Set<(status: TeamConnectionStatus, message: string) => void>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private attempt = 0;

  private constructor(
    private readonly connectionString: string,
    private readonly schema: string,
    private readonly applicationName: string,
  ) {}

  /** Connects and starts listening; resolves once the first LISTEN is in place. */
  static async start(
    connectionString: string,
    schema: string,
    applicationName = 'tokendesk-changes',
  ): Promise<TeamChangeFeed> {
    const feed = new TeamChangeFeed(connectionString, schema, applicationName);
    await feed.connect();
    return feed;
  }

  get currentStatus(): TeamConnectionStatus {
    return this.status;
  }

  onChange(listener: (change: TeamChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** `message` is what to show: "connected", or UNREACHABLE_RETRYING. */
  onStatus(listener: (status: TeamConnectionStatus, message: string) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.changeListeners.clear();
    this.statusListeners.clear();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: 5_000,
      application_name: this.applicationName,
    });
    // Registered before connecting: a failure at any point goes to the one reconnect path.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL || !message.payload) return;
      const parsed = PayloadSchema.safeParse(safeJson(message.payload));
      if (!parsed.success || parsed.data.schema !== this.schema) return;
      const { table, op, id } = parsed.data;
      this.emit({ kind: 'row', table, op, id });
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    const wasDown = this.client === null && this.attempt > 0;
    this.client = client;
    this.attempt = 0;
    this.setStatus('connected');
    if (wasDown) this.emit({ kind: 'resync' });
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    log.warn(UNREACHABLE_RETRYING, { error: error.message });
    this.setStatus('unreachable');
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)]!;
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().catch((error: unknown) => {
        log.warn(UNREACHABLE_RETRYING, { error: error instanceof Error ? error.message : String(error) });
        this.scheduleReconnect();
      });
    }, delay);
  }

  private emit(change: TeamChange): void {
    for (const listener of this.changeListeners) listener(change);
  }

  private setStatus(next: TeamConnectionStatus): void {
    if (next === this.status) return;
    this.status = next;
    const message = next === 'connected' ? 'connected' : UNREACHABLE_RETRYING;
    for (const listener of this.statusListeners) listener(next, message);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
