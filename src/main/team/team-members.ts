import { createLogger } from '../log';
import { generateDataKey, RowCrypto } from '../store/row-crypto';
import { fingerprintOf, memberIdOf, parsePublicKey, wrapDataKeyFor } from './member-key';
import type { Query } from './team-connection';
import { TeamStoreError } from './team-errors';
import { decodeRow, encodeRow, ROW_COLUMNS, type TeamTokenRow, UPDATE_ROW } from './team-row-codec';
import type { MemberAccess, TeamTokenStore } from './team-token-store';

const log = createLogger('team.members');

/** One member as every member sees it (no key material beyond the public key's fingerprint). */
export interface TeamMember {
  readonly memberId: string;
  readonly name: string;
  readonly fingerprint: string;
  readonly access: MemberAccess;
  readonly addedBy: string | null;
  readonly addedAt: number;
  /** True for the member key this store was opened with. */
  readonly isYou: boolean;
}

export interface RemoveResult {
  /** Rows now sealed under the new data key. */
  readonly reencrypted: number;
  /** Rows that were already unreadable and stay so (their old envelope cannot be re-sealed). */
  readonly unreadableIds: readonly string[];
  readonly keyVersion: number;
  /**
   * Said to the person who removed the member, in these words: re-encryption protects what is written
   * from now on, not what the removed member could already read.
   */
  readonly advice: string;
}

export const REMOVED_MEMBER_ADVICE =
  'The removed member cannot open anything written from now on, but every token they could read before may still be in their hands: revoke those tokens (and re-authorise them) if that member should lose access to Zoho, and change the database password they used.';

export async function listMembers(store: TeamTokenStore): Promise<TeamMember[]> {
  store.assertOpen();
  const rows = await store.connection.query<{
    member_id: string;
    display_name: string;
    public_key: Buffer;
    access: MemberAccess;
    added_by: string | null;
    added_at: string;
  }>(
    'SELECT member_id, display_name, public_key, access, added_by, added_at FROM team_members ORDER BY added_at, member_id',
  );
  return rows.map((r) => ({
    memberId: r.member_id,
    name: r.display_name,
    fingerprint: fingerprintOf(r.public_key),
    access: r.access,
    addedBy: r.added_by,
    addedAt: Number(r.added_at),
    isYou: r.member_id === store.member.id,
  }));
}

/**
 * Adds a member by the public key they shared: the current data key is wrapped for it. The caller shows
 * the returned fingerprint, and the newcomer compares it with the one their TokenDesk shows for its own
 * key, before trusting the team store. Only a managing member can add.
 */
export async function addMember(
  store: TeamTokenStore,
  input: { readonly publicKey: string; readonly name: string; readonly access: MemberAccess },
): Promise<TeamMember> {
  requireManage(store, 'add members');
  const publicKey = parsePublicKey(input.publicKey);
  const name = input.name.trim();
  if (name === '' || name.length > 200) {
    throw new TeamStoreError('INVALID_MEMBER_KEY', 'Give the new member a name of 1 to 200 characters.');
  }
  const memberId = memberIdOf(publicKey);
  const addedAt = Date.now();
  await store.connection.transaction(async (q) => {
    const [existing] = await q('SELECT 1 FROM team_members WHERE member_id = $1', [memberId]);
    if (existing) {
      throw new TeamStoreError(
        'ALREADY_A_MEMBER',
        `That key (${fingerprintOf(publicKey)}) is already a member.`,
      );
    }
    // FOR SHARE: a rotation running now finishes first, and the newcomer gets the key it made.
    const version = await store.keyring.currentVersion(q, true);
    const dataKey = await dataKeyOf(store, q, version);
    try {
      await q(
        `INSERT INTO team_members (member_id, display_name, public_key, access, added_by, added_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [memberId, name, publicKey, input.access, store.member.id, addedAt],
      );
      await q('INSERT INTO team_member_keys (member_id, key_version, wrapped_key) VALUES ($1, $2, $3)', [
        memberId,
        version,
        wrapDataKeyFor(publicKey, dataKey, { teamId: store.keyring.teamId, keyVersion: version }),
      ]);
    } finally {
      dataKey.fill(0);
    }
  });
  const fingerprint = fingerprintOf(publicKey);
  log.info('Team member added', { fingerprint, access: input.access });
  await store.audit.record({
    action: 'member-add',
    outcome: 'success',
    detail: `Added member "${name}" (${fingerprint}) with ${input.access} access.`,
  });
  return {
    memberId,
    name,
    fingerprint,
    access: input.access,
    addedBy: store.member.id,
    addedAt,
    isYou: false,
  };
}

/**
 * Removes a member: a new data key, wrapped for every remaining member, and every row re-sealed under it,
 * all in one transaction (a failure leaves the old key, members and rows exactly as they were). The old
 * key's wrapped copies are deleted, so nothing in the database opens with it any more.
 */
export async function removeMember(store: TeamTokenStore, memberId: string): Promise<RemoveResult> {
  requireManage(store, 'remove members');
  const newKey = generateDataKey();
  const next = new RowCrypto(newKey);
  let removedName = '';
  try {
    const result = await store.connection.transaction(async (q) => {
      // Taken first, as every save takes it (FOR SHARE): saves wait for the rotation, then use the new key.
      const [bumped] = await q<{ key_version: number }>(
        'UPDATE team_keyring SET key_version = key_version + 1 WHERE id = 1 RETURNING key_version',
      );
      const version = bumped!.key_version;
      const [target] = await q<{ display_name: string }>(
        'SELECT display_name FROM team_members WHERE member_id = $1',
        [memberId],
      );
      if (!target)
        throw new TeamStoreError('UNKNOWN_MEMBER', 'That member is not (or no longer) in the team store.');
      removedName = target.display_name;
      await q('DELETE FROM team_members WHERE member_id = $1', [memberId]);
      const remaining = await q<{ member_id: string; public_key: Buffer; access: MemberAccess }>(
        'SELECT member_id, public_key, access FROM team_members',
      );
      if (!remaining.some((m) => m.access === 'manage')) {
        throw new TeamStoreError(
          'LAST_MEMBER',
          'That is the last member who can manage the team store; give another member manage access first.',
        );
      }
      for (const m of remaining) {
        await q('INSERT INTO team_member_keys (member_id, key_version, wrapped_key) VALUES ($1, $2, $3)', [
          m.member_id,
          version,
          wrapDataKeyFor(m.public_key, newKey, { teamId: store.keyring.teamId, keyVersion: version }),
        ]);
      }
      const rows = await q<TeamTokenRow>(`SELECT ${ROW_COLUMNS} FROM team_tokens ORDER BY id FOR UPDATE`);
      const unreadableIds: string[] = [];
      let reencrypted = 0;
      for (const row of rows) {
        const entry = decodeRow(row, await store.keyring.crypto(q, row.key_version));
        if (!entry.ok) {
          unreadableIds.push(entry.id);
          continue;
        }
        // The same columns, re-sealed under the new key (and blind indexes under its index key).
        await q(UPDATE_ROW, encodeRow(entry.token, row.id, next, version));
        reencrypted++;
      }
      await q('DELETE FROM team_member_keys WHERE key_version < $1', [version]);
      return { reencrypted, unreadableIds, keyVersion: version, advice: REMOVED_MEMBER_ADVICE };
    });
    log.info('Team member removed; data key rotated', {
      keyVersion: result.keyVersion,
      rows: result.reencrypted,
      unreadable: result.unreadableIds.length,
    });
    await store.audit.record({
      action: 'member-remove',
      outcome: 'success',
      detail: `Removed member "${removedName}"; ${result.reencrypted} tokens re-encrypted under data key version ${result.keyVersion}.`,
    });
    return result;
  } finally {
    next.destroy();
    newKey.fill(0);
  }
}

function requireManage(store: TeamTokenStore, what: string): void {
  store.assertOpen();
  if (store.access !== 'manage') {
    throw new TeamStoreError(
      'READ_ONLY',
      `Your membership of this team store is read-only, so you cannot ${what}.`,
    );
  }
}

/** The data key of `version`, unwrapped for this member (to wrap it for a newcomer). */
async function dataKeyOf(store: TeamTokenStore, q: Query, version: number): Promise<Buffer> {
  const [row] = await q<{ wrapped_key: Buffer }>(
    'SELECT wrapped_key FROM team_member_keys WHERE member_id = $1 AND key_version = $2',
    [store.member.id, version],
  );
  if (!row) throw new TeamStoreError('LOCKED', 'This member holds no copy of the current team data key.');
  return store.member.unwrapDataKey(row.wrapped_key, { teamId: store.keyring.teamId, keyVersion: version });
}
