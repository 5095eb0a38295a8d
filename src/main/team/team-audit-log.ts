import {
  type AuditAction,
  type AuditFilter,
  type AuditOutcome,
  OWN_STORE_SOURCE,
} from '../../shared/ipc/views';
import { DEFAULT_AUDIT_LIMIT, sanitiseRecord } from '../audit/audit-log';
import type { TeamConnection } from './team-connection';

/** The team store's own actions, beside the console's. */
export type TeamAuditAction = AuditAction | 'member-add' | 'member-remove';

export interface TeamAuditRecord {
  readonly action: TeamAuditAction;
  readonly outcome: AuditOutcome;
  readonly detail: string;
  readonly tokenId?: string | null;
  readonly userName?: string | null;
  /** The token source acted on, by display name; null: the team store itself. */
  readonly source?: string | null;
}

export interface TeamAuditEntry {
  readonly id: number;
  readonly at: number;
  /** The member or server behind the action: its name and key fingerprint. */
  readonly actor: string;
  readonly action: TeamAuditAction;
  readonly outcome: AuditOutcome;
  readonly tokenId: string | null;
  readonly userName: string | null;
  readonly detail: string;
  readonly source: string | null;
}

/**
 * The audit log inside the team store, shared by every member and server: each row names its actor. The
 * app role may only INSERT and SELECT (docs/team-store.md "Database roles"), and a trigger refuses
 * UPDATE, DELETE and TRUNCATE, so a member cannot rewrite what the team did. Rows pass through the same
 * sanitising as the local audit log (no token-shaped value reaches a row).
 */
export class TeamAuditLog {
  constructor(
    private readonly connection: TeamConnection,
    /** e.g. `Ana's laptop (SZ757-Q3SCO-OGWCS)`. */
    readonly actor: string,
    private readonly now: () => number = Date.now,
  ) {}

  async record(entry: TeamAuditRecord): Promise<TeamAuditEntry> {
    const clean = sanitiseRecord({ ...entry, action: entry.action as AuditAction });
    const at = this.now();
    const [row] = await this.connection.query<{ id: string }>(
      `INSERT INTO team_audit (at, actor, action, outcome, token_id, user_name, detail, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        at,
        this.actor,
        entry.action,
        clean.outcome,
        clean.tokenId,
        clean.userName,
        clean.detail,
        clean.source,
      ],
    );
    return {
      id: Number(row!.id),
      at,
      actor: this.actor,
      action: entry.action,
      outcome: clean.outcome,
      tokenId: clean.tokenId,
      userName: clean.userName,
      detail: clean.detail,
      source: clean.source,
    };
  }

  /** Newest first, filtered like the local audit log. */
  async list(
    filter: Omit<AuditFilter, 'action'> & { action?: TeamAuditAction } = {},
  ): Promise<TeamAuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.action !== undefined) add('action = ?', filter.action);
    if (filter.outcome === 'partial') {
      // Rows from before the `partial` outcome stay as written (the log is append-only): a failure whose
      // detail opens with "Partly done:" is one too (src/shared/audit-outcome.ts).
      where.push(
        "(outcome = 'partial' OR (outcome = 'failure' AND (detail ILIKE 'partly done:%' OR detail ILIKE 'clear all, partly done:%')))",
      );
    } else if (filter.outcome === 'failure') {
      where.push(
        "(outcome = 'failure' AND NOT (detail ILIKE 'partly done:%' OR detail ILIKE 'clear all, partly done:%'))",
      );
    } else if (filter.outcome !== undefined) add('outcome = ?', filter.outcome);
    if (filter.source === OWN_STORE_SOURCE) where.push('source IS NULL');
    else if (filter.source !== undefined) add('source = ?', filter.source);
    if (filter.tokenId !== undefined) add('token_id = ?', filter.tokenId);
    if (filter.since !== undefined) add('at >= ?', filter.since);
    if (filter.text !== undefined && filter.text !== '') {
      params.push(`%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      const p = `$${params.length}`;
      where.push(`(user_name ILIKE ${p} OR detail ILIKE ${p} OR actor ILIKE ${p})`);
    }
    params.push(filter.limit ?? DEFAULT_AUDIT_LIMIT);
    const rows = await this.connection.query<{
      id: string;
      at: string;
      actor: string;
      action: TeamAuditAction;
      outcome: AuditOutcome;
      token_id: string | null;
      user_name: string | null;
      detail: string;
      source: string | null;
    }>(
      `SELECT id, at, actor, action, outcome, token_id, user_name, detail, source FROM team_audit
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: Number(r.at),
      actor: r.actor,
      action: r.action,
      outcome: r.outcome,
      tokenId: r.token_id,
      userName: r.user_name,
      detail: r.detail,
      source: r.source,
    }));
  }
}
