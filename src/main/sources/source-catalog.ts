import type { SourceHealth, SourceSettings, SourceView } from '../../shared/ipc/sources';
import { AppError } from '../errors';
import type { AccountResolver } from './account-from-api-domain';
import type { SourceRegistry } from './source-registry';
import type { SourceSettingsVault, StoredSource } from './source-settings-vault';
import { displayNameOf, parseSourceUri } from './source-uri';
import type { TokenSource } from './token-source';

/** The URI a source's settings stand for (what the registry opens). */
export function settingsUri(settings: SourceSettings): string {
  switch (settings.kind) {
    case 'filestore':
      return `filestore:${settings.path}`;
    case 'sqlite':
      return `sqlite:${settings.path}?table=${settings.table}`;
    case 'mysql': {
      const url = new URL('mysql://localhost');
      url.hostname = settings.host;
      url.port = String(settings.port);
      url.username = encodeURIComponent(settings.user);
      url.password = encodeURIComponent(settings.password ?? '');
      url.pathname = `/${encodeURIComponent(settings.database)}`;
      url.searchParams.set('table', settings.table);
      if (settings.tls !== 'off') url.searchParams.set('tls', settings.tls);
      return url.toString();
    }
  }
}

function withoutPassword(settings: SourceSettings): Record<string, unknown> {
  const { password: _password, ...rest } = settings as SourceSettings & { password?: string };
  return rest;
}

function healthOf(error: unknown): SourceHealth {
  return {
    ok: false,
    message: error instanceof AppError ? error.message : 'The source could not be opened.',
    tokenCount: null,
    unreadableCount: null,
  };
}

/**
 * The sources configured in the console: kept sealed in the vault, opened on first use and kept open
 * (one TokenSource per configured source, so its services keep their per-token state).
 */
export class SourceCatalog {
  private readonly open = new Map<string, Promise<TokenSource>>();
  private readonly watches = new Map<string, () => void>();

  constructor(
    private readonly vault: SourceSettingsVault,
    private readonly registry: SourceRegistry,
    private readonly resolve: AccountResolver,
    /** A source's integration changed it while it is open (a watched FileStore file): lists are stale. */
    private readonly onSourceChanged?: (id: string) => void,
  ) {}

  /**
   * Every configured source with its health: reachable, and how many tokens it holds, which reads each
   * source whole. `health: false` opens and reads nothing: the names for a caller that reads the sources'
   * lists itself (the token table), so one refresh reads each source once.
   */
  async list(options: { readonly health?: boolean } = {}): Promise<SourceView[]> {
    if (options.health === false) return this.vault.list().map((stored) => this.view(stored, null, null));
    const views: SourceView[] = [];
    for (const stored of this.vault.list()) {
      let health: SourceHealth;
      let source: TokenSource | null = null;
      try {
        source = await this.get(stored.id);
        const entries = await source.store.listEntries();
        const unreadable = entries.filter((e) => !e.ok).length;
        health = {
          ok: true,
          message: null,
          tokenCount: entries.length - unreadable,
          unreadableCount: unreadable,
        };
      } catch (error) {
        this.forget(stored.id);
        health = healthOf(error);
      }
      views.push(this.view(stored, source, health));
    }
    return views;
  }

  /** "Test connection": opens the settings once and says in plain words what failed. */
  async test(settings: SourceSettings, existingId?: string): Promise<SourceHealth> {
    const complete = this.withStoredPassword(settings, existingId);
    try {
      const source = await this.registry.open(settingsUri(complete), { resolve: this.resolve });
      try {
        const entries = await source.store.listEntries();
        const unreadable = entries.filter((e) => !e.ok).length;
        return {
          ok: true,
          message: null,
          tokenCount: entries.length - unreadable,
          unreadableCount: unreadable,
        };
      } finally {
        await source.close();
      }
    } catch (error) {
      return healthOf(error);
    }
  }

  async add(settings: SourceSettings): Promise<SourceView> {
    const health = await this.test(settings);
    if (!health.ok)
      throw new AppError('SOURCE_UNREACHABLE', health.message ?? 'The source could not be opened.');
    const stored = this.vault.add(settings);
    return (await this.list()).find((v) => v.id === stored.id)!;
  }

  async update(id: string, settings: SourceSettings): Promise<SourceView> {
    this.stored(id);
    const complete = this.withStoredPassword(settings, id);
    const health = await this.test(complete);
    if (!health.ok)
      throw new AppError('SOURCE_UNREACHABLE', health.message ?? 'The source could not be opened.');
    await this.forget(id);
    this.vault.update(id, complete);
    return (await this.list()).find((v) => v.id === id)!;
  }

  async remove(id: string): Promise<void> {
    this.stored(id);
    await this.forget(id);
    this.vault.remove(id);
  }

  /** The open source for a configured id. */
  get(id: string): Promise<TokenSource> {
    let opening = this.open.get(id);
    if (!opening) {
      const stored = this.stored(id);
      opening = this.registry.open(settingsUri(stored.settings), { resolve: this.resolve });
      this.open.set(id, opening);
      const onChanged = this.onSourceChanged;
      opening.then(
        (source) => {
          // Still the open one (not forgotten meanwhile): watch it while it stays open.
          if (onChanged && source.watch && this.open.get(id) === opening) {
            this.watches.set(
              id,
              source.watch(() => onChanged(id)),
            );
          }
        },
        () => this.open.delete(id),
      );
    }
    return opening;
  }

  async close(): Promise<void> {
    for (const id of [...this.open.keys()]) await this.forget(id);
  }

  private async forget(id: string): Promise<void> {
    const opening = this.open.get(id);
    this.open.delete(id);
    this.watches.get(id)?.();
    this.watches.delete(id);
    const source = await opening?.catch(() => null);
    await source?.close().catch(() => {});
  }

  private stored(id: string): StoredSource {
    const stored = this.vault.list().find((s) => s.id === id);
    if (!stored) throw new AppError('NOT_FOUND', 'That token source is not configured (any more).');
    return stored;
  }

  private withStoredPassword(settings: SourceSettings, id?: string): SourceSettings {
    if (settings.kind !== 'mysql' || settings.password !== undefined || !id) return settings;
    const stored = this.vault.list().find((s) => s.id === id)?.settings;
    return stored?.kind === 'mysql' ? { ...settings, password: stored.password } : settings;
  }

  private view(stored: StoredSource, source: TokenSource | null, health: SourceHealth | null): SourceView {
    return {
      id: stored.id,
      kind: stored.settings.kind,
      // The name the registry gives the opened source: the same function of the same settings.
      displayName:
        source?.descriptor.displayName ?? displayNameOf(parseSourceUri(settingsUri(stored.settings))),
      plaintextAtRest: true,
      settings: withoutPassword(stored.settings),
      hasPassword: stored.settings.kind === 'mysql' && (stored.settings.password ?? '') !== '',
      health,
    };
  }
}
