import { RowCrypto } from '../store/row-crypto';
import type { MemberKey } from './member-key';
import type { Query } from './team-connection';
import { TeamStoreError } from './team-errors';

/**
 * The team data keys this member has opened, by key version. A version is opened on first use from the
 * key wrapped for this member (`team_member_keys`); a removed member finds no wrapped key for a version
 * made after the removal, and is told so.
 */
export class TeamKeyring {
  private readonly opened = new Map<number, RowCrypto>();

  constructor(
    readonly teamId: string,
    readonly member: MemberKey,
  ) {}

  async crypto(q: Query, version: number): Promise<RowCrypto> {
    const open = this.opened.get(version);
    if (open) return open;
    const [row] = await q<{ wrapped_key: Buffer }>(
      'SELECT wrapped_key FROM team_member_keys WHERE member_id = $1 AND key_version = $2',
      [this.member.id, version],
    );
    if (!row) {
      const [member] = await q('SELECT 1 FROM team_members WHERE member_id = $1', [this.member.id]);
      throw member
        ? new TeamStoreError(
            'LOCKED',
            `The team data key version ${version} was not shared with this member.`,
          )
        : notAMember();
    }
    const dataKey = this.member.unwrapDataKey(row.wrapped_key, { teamId: this.teamId, keyVersion: version });
    try {
      const crypto = new RowCrypto(dataKey);
      this.opened.set(version, crypto);
      return crypto;
    } finally {
      dataKey.fill(0);
    }
  }

  /** The current key version (read in the caller's transaction; FOR SHARE waits for a running rotation). */
  async currentVersion(q: Query, forShare = false): Promise<number> {
    const [row] = await q<{ key_version: number }>(
      `SELECT key_version FROM team_keyring WHERE id = 1${forShare ? ' FOR SHARE' : ''}`,
    );
    if (!row) throw new TeamStoreError('NOT_A_TEAM_STORE', 'This database holds no team store yet.');
    return row.key_version;
  }

  /** Zeroes every opened data key and drops the member key (RowCrypto's own word for it is destroy). */
  close(): void {
    for (const crypto of this.opened.values()) crypto.destroy();
    this.opened.clear();
    this.member.close();
  }
}

export function notAMember(): TeamStoreError {
  return new TeamStoreError(
    'NOT_A_MEMBER',
    'This member key is not (or no longer) a member of the team store, so it cannot open its tokens.',
    { hint: 'Ask a member of the team to add your public key.' },
  );
}
