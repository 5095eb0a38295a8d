import type { Clock } from '../common/clock';
import { createLogger } from '../log';
import type { TokenService } from '../tokens/token-service';
import type { ZohoFor } from '../zoho';
import type { TeamChangeFeed } from './team-change-feed';
import type { TeamConnectionStatus } from './team-connection';
import { UNREACHABLE_RETRYING } from './team-errors';
import { createTeamTokenService } from './team-service';
import type { TeamServiceAuditLog } from './team-service-audit-log';
import type { TeamTokenStore } from './team-token-store';

const log = createLogger('team.session');

/** Why the token list should be read again. */
export type TeamListChange = 'local' | 'remote' | 'resync';

/**
 * What a console needs to work on a team store: the console's TokenService over it, told about every
 * change any member or server commits (LISTEN/NOTIFY, so the list is re-read only when something
 * changed), and one connection status for the banner: `team store unreachable, retrying` while either
 * the store's connections or the change feed are down, none once both are back.
 */
export class TeamSession {
  private readonly listListeners = new Set<(change: TeamListChange) => void>();
  private readonly statusListeners = new Set<(message: string | null) => void>();
  private poolStatus: TeamConnectionStatus;
  private feedStatus: TeamConnectionStatus;
  private lastMessage: string | null = null;

  private constructor(
    readonly store: TeamTokenStore,
    private readonly feed: TeamChangeFeed,
    readonly service: TokenService,
    private readonly audit: TeamServiceAuditLog,
  ) {
    this.poolStatus = store.connection.currentStatus;
    this.feedStatus = feed.currentStatus;
    store.connection.onStatus((status) => {
      this.poolStatus = status;
      this.publishStatus();
    });
    feed.onStatus((status) => {
      this.feedStatus = status;
      this.publishStatus();
    });
    feed.onChange((change) => {
      if (change.kind === 'resync') this.emit('resync');
      else if (change.table === 'team_tokens') this.emit('remote');
    });
  }

  static async start(
    store: TeamTokenStore,
    options: { readonly zoho: ZohoFor; readonly clock?: Clock },
  ): Promise<TeamSession> {
    let session: TeamSession | null = null;
    const { service, audit } = createTeamTokenService(store, {
      zoho: options.zoho,
      ...(options.clock ? { clock: options.clock } : {}),
      onChanged: () => session?.emit('local'),
    });
    const feed = await store.openChangeFeed();
    session = new TeamSession(store, feed, service, audit);
    return session;
  }

  /** The banner text: UNREACHABLE_RETRYING while the team store cannot be reached, else null. */
  get statusMessage(): string | null {
    return this.poolStatus === 'unreachable' || this.feedStatus === 'unreachable'
      ? UNREACHABLE_RETRYING
      : null;
  }

  onListChanged(listener: (change: TeamListChange) => void): () => void {
    this.listListeners.add(listener);
    return () => this.listListeners.delete(listener);
  }

  onStatusMessage(listener: (message: string | null) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listListeners.clear();
    this.statusListeners.clear();
    await this.feed.close();
    await this.service.close();
    const failures = await this.audit.flush();
    if (failures > 0) log.warn('Audit rows not written to the team store', { failures });
    await this.store.close();
  }

  private emit(change: TeamListChange): void {
    for (const listener of this.listListeners) listener(change);
  }

  private publishStatus(): void {
    const message = this.statusMessage;
    if (message === this.lastMessage) return;
    this.lastMessage = message;
    for (const listener of this.statusListeners) listener(message);
  }
}
