import { randomUUID } from 'node:crypto';
import { createLogger } from '../log';
import type { OAuthToken } from '../store/oauth-token';
import { generateDataKey } from '../store/row-crypto';
import {
  fillFound,
  isWellFormedId,
  type Lookup,
  type LookupStep,
  matchSteps,
  planSave,
  stepMatches,
} from '../store/token-matching';
import {
  type ListableTokenStore,
  type ReadonlyTokenEntry,
  type TokenEntry,
  TokenStoreError,
} from '../store/token-store';
import type { CrossProcessRefreshLock } from '../tokens/token-refresher';
import { type MemberKey, wrapDataKeyFor } from './member-key';
import { TeamAuditLog } from './team-audit-log';
import { TeamChangeFeed } from './team-change-feed';
import { type Query, TeamConnection, type TeamConnectionOptions } from './team-connection';
import { TeamStoreError } from './team-errors';
import { notAMember, TeamKeyring } from './team-keyring';
import { TeamRefreshLock } from './team-refresh-lock';
import {
  decodeRow,
  encodeRow,
  INSERT_ROW,
  ROW_COLUMNS,
  type TeamTokenRow,
  toPgText,
  UPDATE_ROW,
} from './team-row-codec';
import { migrateTeamSchema } from './team-schema';

const log = createLogger('team.store');

/** What a member may do (docs/team-store.md "Read-only members"). */
export type MemberAccess = 'manage' | 'read-only';

export interface TeamTokenStoreOptions extends TeamConnectionOptions {
  /** This TokenDesk's (or server's) unlocked member key; the store owns it from here on. */
  readonly member: MemberKey;
}

/** Serialises saves of one team store (lookup + insert/update), across every process and machine. */
const SAVE_LOCK = 'tokendesk/team/save';

/** Reads run in READ ONLY transactions: one snapshot, and safe to run again if the connection drops. */
const READ = { readOnly: true } as const;

/** The blind-index column of each token-value lookup. */
const BLIND_INDEXED = {
  accessToken: 'access_token_bidx',
  grantToken: 'grant_token_bidx',
  refreshToken: 'refresh_token_bidx',
} as const;

/**
 * The TokenStore on PostgreSQL that several TokenDesks and SDK servers share (docs/team-store.md). Rows use
 * the local store's format: one AES-256-GCM envelope per row bound to its plain columns, blind indexes for
 * lookups by value (row-crypto.ts). The data key is the team's, wrapped per member (member-key.ts); every
 * row records the key version it is sealed under, and removing a member moves every row to a new version
 * in one transaction (team-members.ts).
 *
 * No decrypted-row cache: every read goes to the server, so what a member sees is what is committed now.
 */
export class TeamTokenStore implements ListableTokenStore, CrossProcessRefreshLock {
  private closed = false;
  private readonly refreshLock: TeamRefreshLock;
  /** The team's audit log, recording as this member (its name and key fingerprint). */
  readonly audit: TeamAuditLog;

  private constructor(
    readonly connection: TeamConnection,
    readonly keyring: TeamKeyring,
    readonly access: MemberAccess,
  ) {
    this.audit = new TeamAuditLog(connection, `${keyring.member.name} (${keyring.member.fingerprint})`);
    this.refreshLock = new TeamRefreshLock(connection);
  }

  /** Creates a new team store in the (empty) schema, with this member as its first, managing member. */
  static async create(options: TeamTokenStoreOptions): Promise<TeamTokenStore> {
    const connection = new TeamConnection(options);
    try {
      await migrateTeamSchema(connection);
      const teamId = randomUUID();
      const member = options.member;
      await connection.transaction(async (q) => {
        const [existing] = await q(`SELECT value FROM team_meta WHERE key = 'team_id' FOR UPDATE`);
        if (existing) {
          throw new TeamStoreError(
            'ALREADY_A_MEMBER',
            'A team store already exists in this database schema; ask one of its members to add you instead.',
          );
        }
        const dataKey = generateDataKey();
        try {
          await q(`INSERT INTO team_meta (key, value) VALUES ('team_id', $1)`, [teamId]);
          await q('INSERT INTO team_keyring (id, key_version) VALUES (1, 1)');
          await q(
            `INSERT INTO team_members (member_id, display_name, public_key, access, added_by, added_at)
             VALUES ($1, $2, $3, 'manage', NULL, $4)`,
            [member.id, member.name, member.publicKey, Date.now()],
          );
          await q('INSERT INTO team_member_keys (member_id, key_version, wrapped_key) VALUES ($1, 1, $2)', [
            member.id,
            wrapDataKeyFor(member.publicKey, dataKey, { teamId, keyVersion: 1 }),
          ]);
        } finally {
          dataKey.fill(0);
        }
      });
      log.info('Team store created', { schema: connection.schema, member: member.fingerprint });
      return await TeamTokenStore.unlock(connection, member);
    } catch (error) {
      options.member.close();
      await connection.close();
      throw error;
    }
  }

  /** Opens an existing team store as this member. Throws NOT_A_MEMBER when the key was never added. */
  static async open(options: TeamTokenStoreOptions): Promise<TeamTokenStore> {
    const connection = new TeamConnection(options);
    try {
      await migrateTeamSchema(connection);
      return await TeamTokenStore.unlock(connection, options.member);
    } catch (error) {
      options.member.close();
      await connection.close();
      throw error;
    }
  }

  private static async unlock(connection: TeamConnection, member: MemberKey): Promise<TeamTokenStore> {
    const [team] = await connection.query<{ value: string }>(
      `SELECT value FROM team_meta WHERE key = 'team_id'`,
    );
    if (!team) {
      throw new TeamStoreError('NOT_A_TEAM_STORE', 'This database schema holds no team store yet.', {
        hint: 'Create the team store first.',
      });
    }
    const [me] = await connection.query<{ access: MemberAccess }>(
      'SELECT access FROM team_members WHERE member_id = $1',
      [member.id],
    );
    if (!me) throw notAMember();
    const keyring = new TeamKeyring(team.value, member);
    // Opens the current key now, so a member whose wrapped key does not open learns it at unlock.
    await connection.transaction(async (q) => keyring.crypto(q, await keyring.currentVersion(q)));
    return new TeamTokenStore(connection, keyring, me.access);
  }

  get member(): MemberKey {
    return this.keyring.member;
  }

  async findToken(token: OAuthToken): Promise<OAuthToken | null> {
    this.assertOpen();
    return this.connection.transaction(async (q) => {
      const lookup = this.lookupIn(q, await this.keyring.currentVersion(q));
      for (const step of matchSteps(token)) {
        const found = await lookup(step);
        if (found) return fillFound(found, token);
      }
      return null;
    }, READ);
  }

  async findTokenById(id: string): Promise<OAuthToken | null> {
    this.assertOpen();
    if (!isWellFormedId(id)) return null;
    return this.connection.transaction(
      async (q) => this.lookupIn(q, await this.keyring.currentVersion(q))({ by: 'id', id }),
      READ,
    );
  }

  async saveToken(token: OAuthToken): Promise<void> {
    this.assertOpen();
    const id = await this.connection.transaction(async (q) => {
      await q('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `${SAVE_LOCK}/${this.connection.schema}`,
      ]);
      const version = await this.keyring.currentVersion(q, true);
      const crypto = await this.keyring.crypto(q, version);
      const plan = await planWithAsyncLookup(
        (lookup) => planSave(token, lookup, Date.now()),
        this.lookupIn(q, version),
      );
      if (plan.kind === 'update') {
        await q(UPDATE_ROW, encodeRow(plan.token, plan.token.id!, crypto, version));
        return plan.token.id!;
      }
      if (this.access === 'read-only') throw readOnly('add tokens');
      const [next] = await q<{ id: string }>(`SELECT nextval('team_token_ids')::text AS id`);
      await q(INSERT_ROW, encodeRow(plan.token, next!.id, crypto, version));
      return next!.id;
    });
    token.id = id;
  }

  /**
   * Throws the READ_ONLY refusal for `what` when this member may not change the store: callers ask first,
   * so a revoke is not made at Zoho for a row this member then could not delete.
   */
  assertWritable(what: string): void {
    if (this.access === 'read-only') throw readOnly(what);
  }

  async deleteToken(id: string): Promise<void> {
    this.assertOpen();
    if (this.access === 'read-only') throw readOnly('delete tokens');
    if (!isWellFormedId(id)) return;
    await this.connection.query('DELETE FROM team_tokens WHERE id = $1', [id]);
  }

  async getTokens(): Promise<OAuthToken[]> {
    const entries = await this.listEntries();
    const unreadable = entries.filter((e) => !e.ok).map((e) => (e.ok ? '' : e.id));
    if (unreadable.length > 0) log.warn('Skipped unreadable token rows', { ids: unreadable });
    return entries.flatMap((e) => (e.ok ? [e.token] : []));
  }

  async deleteTokens(): Promise<void> {
    this.assertOpen();
    if (this.access === 'read-only') throw readOnly('delete tokens');
    await this.connection.query('DELETE FROM team_tokens');
  }

  async listEntries(): Promise<TokenEntry[]> {
    this.assertOpen();
    return this.connection.transaction(async (q) => {
      const rows = await q<TeamTokenRow>(`SELECT ${ROW_COLUMNS} FROM team_tokens ORDER BY id`);
      const entries: TokenEntry[] = [];
      for (const row of rows) entries.push(decodeRow(row, await this.keyring.crypto(q, row.key_version)));
      return entries;
    }, READ);
  }

  async readEntries(): Promise<readonly ReadonlyTokenEntry[]> {
    return this.listEntries();
  }

  /**
   * Runs `work` (a refresh of `tokenId`) while no other process sharing this team store refreshes that
   * token: TokenRefresher calls this, then re-reads the row before it decides to call Zoho.
   */
  withRefreshLock<T>(tokenId: string, work: () => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.refreshLock.withTokenLock(tokenId, work);
  }

  /** Starts pushing this team store's committed changes to the caller (LISTEN/NOTIFY). */
  openChangeFeed(): Promise<TeamChangeFeed> {
    this.assertOpen();
    return TeamChangeFeed.start(
      this.connection.options.connectionString,
      this.connection.schema,
      `${this.connection.options.applicationName ?? 'tokendesk'}-changes`,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.keyring.close();
    await this.refreshLock.close();
    await this.connection.close();
  }

  assertOpen(): void {
    if (this.closed) throw new TokenStoreError('STORAGE', 'The team store is closed.');
  }

  /**
   * Answers one lookup step with the lowest-id matching row, decrypted. Blind indexes are computed under
   * the current key version: after a rotation every readable row carries it.
   */
  private lookupIn(q: Query, version: number): (step: LookupStep) => Promise<OAuthToken | null> {
    return async (step) => {
      let rows: TeamTokenRow[];
      switch (step.by) {
        case 'id':
          rows = await q(`SELECT ${ROW_COLUMNS} FROM team_tokens WHERE id = $1`, [step.id]);
          break;
        case 'user':
          rows = await q(
            `SELECT ${ROW_COLUMNS} FROM team_tokens
             WHERE user_name = $1 AND ($2::text IS NULL OR client_id = $2)
               AND ($3::text IS NULL OR data_center = $3) AND ($4::text IS NULL OR environment = $4)
             ORDER BY id LIMIT 1`,
            [
              toPgText(step.userName),
              toPgText(step.clientId),
              toPgText(step.dataCenter),
              toPgText(step.environment),
            ],
          );
          break;
        default: {
          const crypto = await this.keyring.crypto(q, version);
          rows = await q(
            `SELECT ${ROW_COLUMNS} FROM team_tokens WHERE ${BLIND_INDEXED[step.by]} = $1 ORDER BY id LIMIT 1`,
            [crypto.blindIndex(step.by, step.value)],
          );
        }
      }
      const row = rows[0];
      if (!row) return null;
      const entry = decodeRow(row, await this.keyring.crypto(q, row.key_version));
      if (!entry.ok) throw entry.error;
      return stepMatches(step, entry.token) ? entry.token : null;
    };
  }
}

function readOnly(what: string): TeamStoreError {
  return new TeamStoreError(
    'READ_ONLY',
    `Your membership of this team store is read-only, so you cannot ${what}.`,
    { hint: 'A member who manages the team store can change your access.' },
  );
}

/** Thrown by the synchronous lookup to ask for a step's answer; never escapes planWithAsyncLookup. */
const NEED_ANSWER = Symbol('need-answer');

/**
 * Runs a decision written against the synchronous `Lookup` of token-matching.ts (the rules every store
 * shares) over lookups that need a round trip: each step it asks is answered from the database, then the
 * decision runs again with that answer known. It asks at most a handful of steps.
 */
async function planWithAsyncLookup<T>(
  decide: (lookup: Lookup) => T,
  fetch: (step: LookupStep) => Promise<OAuthToken | null>,
): Promise<T> {
  const answers = new Map<string, OAuthToken | null>();
  for (;;) {
    let missing: LookupStep | null = null;
    try {
      return decide((step) => {
        const key = JSON.stringify(step);
        const answer = answers.get(key);
        if (answer !== undefined) return answer;
        missing = step;
        throw NEED_ANSWER;
      });
    } catch (error) {
      if (error !== NEED_ANSWER || missing === null) throw error;
      answers.set(JSON.stringify(missing), await fetch(missing));
    }
  }
}
