import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditLog } from '../audit/audit-log';
import { SessionAuditLog } from '../audit/session-audit-log';
import { NoClipboard } from '../common/clipboard';
import { systemClock } from '../common/clock';
import { DB_FILE, defaultPassphraseProtector, StoreLifecycle } from '../core/store-lifecycle';
import { AppError } from '../errors';
import { accountResolver } from '../sources/account-from-api-domain';
import { localSource, SourceRegistry } from '../sources/source-registry';
import { SourceServices } from '../sources/source-services';
import type { TokenSource } from '../sources/token-source';
import { unlockMemberKeyFromEnv } from '../team/member-key-env';
import { teamSourceOpener } from '../team/team-source-opener';
import {
  createAccountsClient,
  createCrmClient,
  localEndpoints,
  type ZohoClients,
  zohoEndpoints,
  zohoFor,
} from '../zoho';
import { CLI_ENV, type CliEnvironment } from './cli-environment';

/** Asks for the passphrase (interactive terminals only); null when nobody can answer. */
export type PassphrasePrompt = () => Promise<string | null>;

/**
 * What one CLI run works with: the same core the window uses (store lifecycle, source registry, token
 * services, transfers), opened lazily, so `list --source filestore:...` on a machine without a local
 * store asks for nothing.
 */
export class CliSession {
  readonly registry = new SourceRegistry();
  readonly resolve;
  private readonly zohoClients: ZohoClients;
  private lifecycle: StoreLifecycle | null = null;
  private readonly opened: TokenSource[] = [];
  private servicesCache: SourceServices | null = null;
  private fallbackAudit: AuditLog | null = null;

  constructor(
    private readonly env: CliEnvironment,
    private readonly prompt: PassphrasePrompt,
  ) {
    this.resolve = accountResolver(env.simulator);
    const endpoints = env.simulator.length > 0 ? localEndpoints(env.simulator) : zohoEndpoints;
    this.zohoClients = {
      endpoints,
      accounts: createAccountsClient({ endpoints }),
      crm: createCrmClient({ endpoints }),
    };
    this.registry.register('local', async () => localSource((await this.unlockLocal(false)).store));
    // The team store, opened with the member key a server uses (docs/team-store.md "As a token source").
    const team = teamSourceOpener(() => unlockMemberKeyFromEnv(env.teamMember));
    this.registry.register('postgres', team);
    this.registry.register('postgresql', team);
  }

  get localStoreExists(): boolean {
    return existsSync(join(this.env.dataDir, DB_FILE));
  }

  /** Opens a source by URI (`create`: make the file or table, for an export destination). */
  async source(uri: string, create = false): Promise<TokenSource> {
    const source = await this.registry.open(uri, { resolve: this.resolve, create });
    this.opened.push(source);
    return source;
  }

  async services(): Promise<SourceServices> {
    if (!this.servicesCache) {
      this.servicesCache = new SourceServices({
        zoho: zohoFor(() => this.zohoClients),
        audit: await this.audit(),
        clipboard: new NoClipboard(),
        clock: systemClock,
        ...(this.lifecycle?.current ? { localNotes: this.lifecycle.current.notes } : {}),
      });
    }
    return this.servicesCache;
  }

  /**
   * The local store's audit log, so CLI actions are recorded where the window shows them. Without a local
   * store there is no log to write to (the actions still happen, as with the SDK itself).
   */
  async audit(): Promise<AuditLog> {
    if (this.lifecycle?.current) return this.lifecycle.current.audit;
    if (this.localStoreExists) return (await this.unlockLocal(false)).audit;
    this.fallbackAudit ??= new SessionAuditLog();
    return this.fallbackAudit;
  }

  /** The unlocked local store; `create` makes one (protected by the passphrase) when there is none. */
  async unlockLocal(create: boolean) {
    if (this.lifecycle?.current) return this.lifecycle.current;
    const lifecycle = new StoreLifecycle({
      dataDir: this.env.dataDir,
      keychain: null,
      clock: systemClock,
      passphraseProtector: defaultPassphraseProtector,
    });
    await lifecycle.start();
    if (lifecycle.state === 'uninitialised' && !create) {
      throw new AppError('NO_STORE', `There is no TokenDesk store in ${this.env.dataDir} yet.`, {
        hint: `Set ${CLI_ENV.dataDir}, or create one with tokendesk import.`,
      });
    }
    // A keychain store opens here only with the passphrase added beside the keychain (Settings > Security).
    if (lifecycle.protector === 'keychain' && !lifecycle.alsoPassphrase) {
      throw new AppError(
        'KEYCHAIN_ONLY',
        'This TokenDesk store is protected by the system keychain only, which the CLI cannot use.',
        {
          hint: 'In the app, open Settings > Security and add a passphrase; the CLI then opens the store with it.',
        },
      );
    }
    const passphrase = this.env.passphrase ?? (await this.prompt());
    if (!passphrase) {
      throw new AppError(
        'PASSPHRASE_REQUIRED',
        `The local store needs its passphrase: set ${CLI_ENV.passphrase}.`,
      );
    }
    if (lifecycle.state === 'uninitialised') {
      // Owner-only, as the app makes it: the folder holds the encrypted store and its settings.
      mkdirSync(this.env.dataDir, { recursive: true, mode: 0o700 });
      await lifecycle.setup({ protector: 'passphrase', passphrase });
    } else await lifecycle.unlock(passphrase);
    this.lifecycle = lifecycle;
    return lifecycle.require();
  }

  async close(): Promise<void> {
    for (const source of this.opened.splice(0)) await source.close().catch(() => {});
    this.lifecycle?.close();
  }
}
