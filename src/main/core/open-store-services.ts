import type { Clipboard } from '../common/clipboard';
import type { Clock } from '../common/clock';
import { SourceCatalog } from '../sources/source-catalog';
import { localSource, SourceRegistry } from '../sources/source-registry';
import { refuseDeleteAnywayOutsideLocal, SourceServices } from '../sources/source-services';
import { SourceSettingsVault } from '../sources/source-settings-vault';
import type { TokenSource } from '../sources/token-source';
import { TeamConsole } from '../team/team-console';
import { SqlitePendingRevokeStore } from '../tokens/pending-revoke-store';
import { TokenService } from '../tokens/token-service';
import type { Notify } from './core-deps';
import type { StoreLifecycle } from './store-lifecycle';
import type { ZohoRouting } from './zoho-routing';

export interface OpenStoreServicesOptions {
  readonly lifecycle: StoreLifecycle;
  readonly zoho: ZohoRouting;
  readonly clipboard: Clipboard;
  readonly clock: Clock;
  readonly notify: Notify;
  /** Tells every window the token list changed (`tokens.changed`). */
  readonly changed: (reason: string) => void;
}

interface Sources {
  readonly catalog: SourceCatalog;
  readonly vault: SourceSettingsVault;
  readonly services: SourceServices;
}

/**
 * What the core builds on the unlocked store: its TokenService (per-token flights, back-offs, pending
 * revoke retries), the token sources' catalog and services (docs/sources.md), and the push of its database
 * state. Each is built on first use for the store open now and closed when the store locks.
 */
export class OpenStoreServices {
  private readonly registry = new SourceRegistry();
  private service: { for: object; service: TokenService } | null = null;
  private sourcesFor: { for: object; sources: Sources } | null = null;
  private watched: { for: object; stop: () => void } | null = null;
  private teamFor: { for: object; team: TeamConsole } | null = null;

  constructor(private readonly options: OpenStoreServicesOptions) {}

  /** The encrypted store's TokenService; throws STORE_LOCKED while locked. */
  tokens(): TokenService {
    const open = this.options.lifecycle.require();
    if (this.service?.for !== open) {
      // The previous store's service stops its timers (pending-revoke retries) before it is replaced.
      void this.service?.service.close();
      const { zoho, clipboard, clock, changed } = this.options;
      this.service = {
        for: open,
        service: new TokenService({
          store: open.store,
          audit: open.audit,
          notes: open.notes,
          zoho: zoho.tokenZoho,
          clipboard,
          clock,
          onChanged: changed,
          pendingRevokes: new SqlitePendingRevokeStore(open.store),
        }),
      };
    }
    return this.service.service;
  }

  /** The token sources of the open store: one catalog and one set of per-source services. */
  sources(): Sources {
    const open = this.options.lifecycle.require();
    if (this.sourcesFor?.for !== open) {
      void this.sourcesFor?.sources.catalog.close();
      const { zoho, clipboard, clock, changed } = this.options;
      const vault = new SourceSettingsVault(open.store);
      this.sourcesFor = {
        for: open,
        sources: {
          vault,
          // A watched FileStore file the integration wrote: the windows fetch the lists again.
          catalog: new SourceCatalog(vault, this.registry, zoho.resolveAccount, () => changed('source-file')),
          services: new SourceServices({
            zoho: zoho.tokenZoho,
            audit: open.audit,
            clipboard,
            clock,
            localNotes: open.notes,
            onChanged: (reason) => changed(reason),
          }),
        },
      };
    }
    return this.sourcesFor.sources;
  }

  /** The team store of the open store (docs/team-store.md "In the console"): its member key, settings, session. */
  team(): TeamConsole {
    const open = this.options.lifecycle.require();
    if (this.teamFor?.for !== open) {
      void this.teamFor?.team.close();
      const { zoho, clock, notify, changed } = this.options;
      this.teamFor = {
        for: open,
        team: new TeamConsole({
          local: open.store,
          zoho: zoho.tokenZoho,
          clock,
          onEvent: (event) => {
            if (event.kind === 'status') {
              notify('team.status', { message: event.message });
              return;
            }
            notify('team.changed', { reason: event.reason });
            changed('team');
          },
        }),
      };
    }
    return this.teamFor.team;
  }

  /** The source an action names: the encrypted store when none (or `local`). */
  async sourceFor(sourceId: string | undefined): Promise<TokenSource> {
    if (sourceId === undefined || sourceId === 'local') {
      return localSource(this.options.lifecycle.require().store);
    }
    if (this.team().owns(sourceId)) return this.team().source();
    return this.sources().catalog.get(sourceId);
  }

  /**
   * Throws before anything reaches Zoho when a revoke-and-delete may not run in the source: "delete
   * anyway" outside this computer's store, or a read-only team member (docs/team-store.md "Read-only").
   * One check for a single delete, clear all and a bulk delete alike.
   */
  async assertMayDelete(sourceId: string | undefined, deleteIfRevokeFails: boolean): Promise<void> {
    refuseDeleteAnywayOutsideLocal(sourceId, deleteIfRevokeFails);
    (await this.sourceFor(sourceId)).assertWritable?.('revoke or delete tokens');
  }

  async serviceFor(sourceId: string | undefined): Promise<TokenService> {
    if (sourceId === undefined || sourceId === 'local') return this.tokens();
    // Team tokens go through the team session's service: audited in the team store under this member.
    if (this.team().owns(sourceId)) return this.team().service();
    return this.sources().services.for(await this.sourceFor(sourceId));
  }

  /** The open store's database state is pushed to every window as it changes (busy, writes waiting). */
  watchDatabase(): void {
    const open = this.options.lifecycle.current;
    if (this.watched?.for === open) return;
    this.watched?.stop();
    this.watched = open
      ? {
          for: open,
          stop: open.store.onDatabaseStateChange(() =>
            this.options.notify('database.state', open.store.databaseState()),
          ),
        }
      : null;
  }

  /**
   * Drops everything built on the store (it is locking, or the app closes): the database watch, then the
   * TokenService (it clears a copied token from the clipboard and stops its timers), then the sources.
   */
  async close(): Promise<void> {
    this.watched?.stop();
    this.watched = null;
    await this.service?.service.close();
    this.service = null;
    await this.sourcesFor?.sources.catalog.close();
    this.sourcesFor = null;
    // Closes the team session: its member key and data keys are destroyed.
    await this.teamFor?.team.close();
    this.teamFor = null;
  }
}
