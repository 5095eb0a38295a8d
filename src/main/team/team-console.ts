import type {
  MemberKeyView,
  TeamAuditEntry,
  TeamConnectionCheck,
  TeamConnectionSettings,
  TeamMemberView,
  TeamRemoveResult,
  TeamState,
} from '../../shared/ipc/team';
import type { AuditFilter } from '../../shared/ipc/views';
import type { Clock } from '../common/clock';
import { createLogger } from '../log';
import type { TokenSource } from '../sources/token-source';
import type { AsideSealing } from '../store/sealed-aside-table';
import type { TokenService } from '../tokens/token-service';
import type { ZohoFor } from '../zoho';
import type { MemberKey } from './member-key';
import { fingerprintOf, parsePublicKey } from './member-key';
import { checkTeamConnection, plainConnectionError } from './team-connection-check';
import { TeamStoreError } from './team-errors';
import { TeamLocalVault, teamSettingsUri } from './team-local-vault';
import { addMember, listMembers, removeMember } from './team-members';
import { TeamSession } from './team-session';
import { parseTeamSourceUri, type TeamSourceDescriptor } from './team-source';
import { type MemberAccess, TeamTokenStore } from './team-token-store';

const log = createLogger('team.console');

export type TeamConsoleEvent =
  | { readonly kind: 'changed'; readonly reason: 'local' | 'remote' | 'resync' | 'members' | 'connection' }
  | { readonly kind: 'status'; readonly message: string | null };

export interface TeamConsoleDeps {
  /** The unlocked local store: keeps this computer's member key and the connection settings. */
  readonly local: AsideSealing;
  readonly zoho: ZohoFor;
  readonly clock?: Clock;
  readonly onEvent: (event: TeamConsoleEvent) => void;
}

interface OpenTeam {
  readonly descriptor: TeamSourceDescriptor;
  readonly session: TeamSession;
  readonly source: TokenSource;
}

/**
 * The console's side of the team store (docs/team-store.md "In the console"), one per unlocked local
 * store: this computer's member key, the one team store it works with (settings sealed in the local
 * store), its open TeamSession (token actions, live changes, the unreachable banner), members and audit.
 * Closing it (the local store locks) closes the session, which destroys the member key and data keys.
 */
export class TeamConsole {
  private readonly vault: TeamLocalVault;
  private open: OpenTeam | null = null;
  private opening: Promise<OpenTeam | null> | null = null;
  /** Why the saved team store could not be opened (shown on the page until the next attempt). */
  private problem: string | null = null;
  private closed = false;
  /** Bumped when the team store changes (create, join, forget): an older opening is then discarded. */
  private generation = 0;

  constructor(private readonly deps: TeamConsoleDeps) {
    this.vault = new TeamLocalVault(deps.local);
  }

  async memberKey(): Promise<MemberKeyView> {
    const key = await this.vault.memberKey();
    try {
      return { name: key.name, publicKey: key.publicKeyText, fingerprint: key.fingerprint };
    } finally {
      key.close();
    }
  }

  /** The page's state; opens the saved team store on first call (and again after a failed attempt). */
  async state(): Promise<TeamState> {
    const memberKey = await this.memberKey();
    const settings = this.vault.connection();
    if (settings === null) return { memberKey, team: null };
    const open = await this.ensureOpen(settings);
    const { password: _password, ...shown } = settings;
    return {
      memberKey,
      team: {
        sourceId: open?.descriptor.id ?? parseTeamSourceUri(teamSettingsUri(settings)).descriptor.id,
        displayName: parseTeamSourceUri(teamSettingsUri(settings)).descriptor.displayName,
        settings: shown,
        access: open?.session.store.access ?? null,
        statusMessage: open?.session.statusMessage ?? null,
        problem: open ? null : this.problem,
      },
    };
  }

  async test(settings: TeamConnectionSettings): Promise<TeamConnectionCheck> {
    const key = await this.vault.memberKey();
    try {
      return await checkTeamConnection(this.completed(settings), key.publicKey);
    } finally {
      key.close();
    }
  }

  /** Creates a team store there, with this computer as its first, managing member, and works with it. */
  async create(settings: TeamConnectionSettings, memberName?: string): Promise<TeamState> {
    await this.rename(memberName);
    return this.connect(settings, (options) => TeamTokenStore.create(options));
  }

  /**
   * Works with an existing team store this computer's key is a member of. `memberName` is the name this
   * computer writes beside its fingerprint in the team's audit log.
   */
  async join(settings: TeamConnectionSettings, memberName?: string): Promise<TeamState> {
    await this.rename(memberName);
    return this.connect(settings, (options) => TeamTokenStore.open(options));
  }

  private async rename(memberName: string | undefined): Promise<void> {
    if (memberName !== undefined && memberName.trim() !== '') {
      await this.vault.renameMemberKey(memberName.trim());
    }
  }

  /** Forgets the team store on this computer (membership and tokens stay in the database). */
  async forget(): Promise<TeamState> {
    this.generation++;
    await this.opening;
    await this.closeSession();
    this.vault.forgetConnection();
    this.problem = null;
    this.deps.onEvent({ kind: 'changed', reason: 'connection' });
    return this.state();
  }

  async members(): Promise<TeamMemberView[]> {
    const members = await listMembers(this.require().session.store);
    return members.map(({ addedBy: _addedBy, ...m }) => m);
  }

  /** The fingerprint of a public key someone sent, to compare before adding it. */
  checkMemberKey(publicKey: string): { fingerprint: string } {
    return { fingerprint: fingerprintOf(parsePublicKey(publicKey)) };
  }

  async addMember(input: {
    readonly publicKey: string;
    readonly name: string;
    readonly access: MemberAccess;
  }): Promise<TeamMemberView> {
    const { addedBy: _addedBy, ...member } = await addMember(this.require().session.store, input);
    this.deps.onEvent({ kind: 'changed', reason: 'members' });
    return member;
  }

  async removeMember(memberId: string): Promise<TeamRemoveResult> {
    const { session } = this.require();
    if (memberId === session.store.member.id) {
      throw new TeamStoreError(
        'UNKNOWN_MEMBER',
        'You cannot remove yourself here: ask another member who manages the team store to remove you.',
      );
    }
    const before = await listMembers(session.store);
    const removedName = before.find((m) => m.memberId === memberId)?.name ?? 'that member';
    const result = await removeMember(session.store, memberId);
    const tokenCount = (await session.store.listEntries()).filter((e) => e.ok).length;
    this.deps.onEvent({ kind: 'changed', reason: 'members' });
    return {
      removedName,
      reencrypted: result.reencrypted,
      unreadableCount: result.unreadableIds.length,
      advice: result.advice,
      tokenCount,
    };
  }

  async audit(filter: AuditFilter): Promise<TeamAuditEntry[]> {
    return this.require().session.store.audit.list(filter);
  }

  /** True when `sourceId` names the team store this console works with. */
  owns(sourceId: string | undefined): boolean {
    if (sourceId === undefined) return false;
    const settings = this.open ? null : this.vault.connection();
    const id =
      this.open?.descriptor.id ??
      (settings ? parseTeamSourceUri(teamSettingsUri(settings)).descriptor.id : null);
    return id === sourceId;
  }

  /** The team store as a token source (transfers), opened if it is not yet. */
  async source(): Promise<TokenSource> {
    return (await this.opened()).source;
  }

  /** The console's TokenService over the team store: audited in the team store under this member's name. */
  async service(): Promise<TokenService> {
    return (await this.opened()).session.service;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.closeSession();
  }

  private async opened(): Promise<OpenTeam> {
    const settings = this.vault.connection();
    if (settings === null) throw noTeamStore();
    const open = await this.ensureOpen(settings);
    if (!open) throw new TeamStoreError('UNREACHABLE', this.problem ?? 'The team store could not be opened.');
    return open;
  }

  private require(): OpenTeam {
    if (!this.open) throw noTeamStore();
    return this.open;
  }

  private ensureOpen(settings: TeamConnectionSettings): Promise<OpenTeam | null> {
    if (this.open) return Promise.resolve(this.open);
    if (!this.opening) {
      const generation = this.generation;
      this.opening = this.start(settings, (options) => TeamTokenStore.open(options))
        .then(async (open) => {
          if (generation !== this.generation) {
            await open.session.close();
            return this.open;
          }
          this.open = open;
          this.problem = null;
          return open;
        })
        .catch((error: unknown) => {
          this.problem = plainConnectionError(error, settings);
          log.warn('The team store could not be opened', { problem: this.problem });
          return null;
        })
        .finally(() => {
          this.opening = null;
        });
    }
    return this.opening;
  }

  private async connect(
    typed: TeamConnectionSettings,
    openStore: (options: Parameters<typeof TeamTokenStore.open>[0]) => Promise<TeamTokenStore>,
  ): Promise<TeamState> {
    const settings = this.completed(typed);
    this.generation++;
    await this.opening;
    // The store is opened (or made) before anything changes here: a failure leaves the previous team
    // store, and its saved settings, as they were.
    const next = await this.start(settings, openStore);
    await this.closeSession();
    this.vault.saveConnection(settings);
    this.open = next;
    this.problem = null;
    this.deps.onEvent({ kind: 'changed', reason: 'connection' });
    return this.state();
  }

  /** Opens the store as this computer's member and starts its session; owns the member key it unlocks. */
  private async start(
    settings: TeamConnectionSettings,
    openStore: (options: Parameters<typeof TeamTokenStore.open>[0]) => Promise<TeamTokenStore>,
  ): Promise<OpenTeam> {
    const location = parseTeamSourceUri(teamSettingsUri(settings));
    const member: MemberKey = await this.vault.memberKey();
    // One quick attempt first: a wrong host or password is told in seconds, not after the 30 s of retries
    // an open store gives a connection that drops.
    const reachable = await checkTeamConnection(settings, member.publicKey);
    if (!reachable.ok) {
      member.close();
      throw new TeamStoreError('UNREACHABLE', reachable.message);
    }
    const store = await openStore({
      connectionString: location.connectionString,
      schema: location.schema,
      member,
      // What a database administrator sees in pg_stat_activity: which member's TokenDesk is connected.
      applicationName: teamApplicationName(member.fingerprint),
    });
    let session: TeamSession;
    try {
      session = await TeamSession.start(store, {
        zoho: this.deps.zoho,
        ...(this.deps.clock ? { clock: this.deps.clock } : {}),
      });
    } catch (error) {
      await store.close();
      throw error;
    }
    session.onListChanged((reason) => this.deps.onEvent({ kind: 'changed', reason }));
    session.onStatusMessage((message) => this.deps.onEvent({ kind: 'status', message }));
    const open: OpenTeam = {
      descriptor: location.descriptor,
      session,
      // The session owns the store: closing it as a source would close the team store under the console.
      source: {
        descriptor: location.descriptor,
        store,
        assertWritable: (what) => store.assertWritable(what),
        close: async () => {},
      },
    };
    if (this.closed) {
      await session.close();
      throw new TeamStoreError('LOCKED', 'The local store was locked while the team store opened.');
    }
    return open;
  }

  private async closeSession(): Promise<void> {
    const open = this.open;
    this.open = null;
    if (open)
      await open.session.close().catch((error: unknown) => log.warn('team session close failed', { error }));
  }

  /** On an edit, an empty password means "keep the saved one". */
  private completed(settings: TeamConnectionSettings): TeamConnectionSettings {
    if (settings.password !== '') return settings;
    const saved = this.vault.connection();
    const sameServer =
      saved !== null &&
      saved.host === settings.host &&
      saved.port === settings.port &&
      saved.user === settings.user &&
      saved.database === settings.database;
    return sameServer ? { ...settings, password: saved.password } : settings;
  }
}

/** The `application_name` of a console's connections to the team store. */
export function teamApplicationName(fingerprint: string): string {
  return `tokendesk ${fingerprint}`;
}

function noTeamStore(): TeamStoreError {
  return new TeamStoreError('NOT_A_TEAM_STORE', 'No team store is set up on this computer.', {
    hint: 'Create one, or join one, on the Team page.',
  });
}
