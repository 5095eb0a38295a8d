import Database from 'better-sqlite3';
import { type KeyProtector, KeyProtectorError } from '../store/key-protector';
import type { OAuthToken } from '../store/oauth-token';
import { deriveSubkey } from '../store/row-crypto';
import { SqliteTokenStore } from '../store/sqlite-token-store';
import { type PendingRevokeRecord, SqlitePendingRevokeStore } from '../tokens/pending-revoke-store';
import { BackupError } from './backup-errors';
import type { BackupHeader, parseBackup } from './backup-file';

/**
 * The checks a restore makes before it replaces anything (docs/storage.md "Backup and restore"): the
 * backup's key opens with the given protector, the decrypted database is intact and every row
 * authenticates; and afterwards, what the replaced store held that the backup lacks is kept.
 */

/** Unwraps the backup's data key with the given passphrase (or the keychain) and decrypts the snapshot. */
export async function decryptBackup(
  parsed: ReturnType<typeof parseBackup>,
  protector: KeyProtector,
): Promise<Buffer> {
  let dataKey: Buffer;
  try {
    dataKey = await protector.unwrap(parsed.header.wrappedKey);
  } catch (error) {
    if (error instanceof KeyProtectorError && error.code === 'WRONG_PASSPHRASE') {
      throw new BackupError('BACKUP_WRONG_PASSPHRASE', 'That passphrase does not open this backup.', {
        hint: 'Use the passphrase the store had when the backup was made (the current one, unless you changed it since).',
        cause: error,
      });
    }
    if (error instanceof KeyProtectorError && error.code === 'CORRUPT') {
      throw new BackupError('BACKUP_DAMAGED', 'The key in this backup file is damaged.', { cause: error });
    }
    throw error;
  } finally {
    protector.destroy?.();
  }
  const fileKey = deriveSubkey(dataKey, 'backup-file');
  dataKey.fill(0);
  try {
    return parsed.open(fileKey);
  } finally {
    fileKey.fill(0);
  }
}

/**
 * Opens the decrypted snapshot as a store would and reads every row: SQLite's integrity check, the
 * tables and wrapped key the header promised, and every envelope authenticated. Returns the row count.
 */
export async function checkRestoreCandidate(
  candidate: string,
  header: BackupHeader,
  protector: KeyProtector,
) {
  const raw = new Database(candidate);
  try {
    const check = raw.pragma('quick_check', { simple: true });
    const wrapped = raw
      .prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'wrapped_data_key'")
      .get()?.value;
    if (check !== 'ok' || wrapped !== header.wrappedKey)
      throw new Error('snapshot does not match its header');
  } catch (error) {
    throw new BackupError(
      'BACKUP_DAMAGED',
      'The database inside the backup is damaged, so it cannot be restored.',
      { hint: 'Nothing was replaced. Restore another backup.', cause: error },
    );
  } finally {
    raw.close();
  }
  const opened = await SqliteTokenStore.open({
    path: candidate,
    protector,
  });
  try {
    const entries = await opened.listEntries();
    const unreadable = entries.filter((e) => !e.ok).map((e) => (e.ok ? '' : e.id));
    if (unreadable.length > 0) {
      throw new BackupError(
        'BACKUP_ROWS_UNREADABLE',
        `Token row${unreadable.length === 1 ? '' : 's'} ${unreadable.join(', ')} in the backup failed the integrity check, so it was not restored.`,
        { hint: 'Nothing was replaced. Restore another backup.' },
      );
    }
    return entries.length;
  } finally {
    opened.close();
    // Back to one file (the store opened it in WAL mode), so the copy into the live file reads one file.
    const single = new Database(candidate);
    single.pragma('journal_mode = DELETE');
    single.close();
  }
}

/**
 * Puts into the restored store what the replaced one held and the backup lacks, sealed under the restored
 * key: a token whose refresh token the backup does not have (added or re-authorised since the backup; a
 * token of the same user and client is updated to it, the newer grant), and a pending revoke. Dropping
 * either would leave a refresh token working at Zoho that nobody holds.
 */
export async function keepLive(
  restored: SqliteTokenStore,
  tokens: readonly OAuthToken[],
  pending: readonly PendingRevokeRecord[],
): Promise<{ tokens: number; pending: number }> {
  const held = new Set((await restored.getTokens()).map((t) => t.refreshToken));
  let keptTokens = 0;
  for (const token of tokens) {
    if (token.refreshToken === null || held.has(token.refreshToken)) continue;
    await restored.saveToken({ ...token, id: null });
    keptTokens++;
  }
  const pendingStore = new SqlitePendingRevokeStore(restored);
  const waiting = new Set(pendingStore.list().map((p) => p.refreshToken));
  let keptPending = 0;
  for (const { id: _id, ...record } of pending) {
    if (record.refreshToken === null || waiting.has(record.refreshToken)) continue;
    pendingStore.add(record);
    keptPending++;
  }
  return { tokens: keptTokens, pending: keptPending };
}

export function describeKind(kind: string): string {
  if (kind === 'passphrase') return 'a master passphrase';
  if (kind === 'safeStorage') return 'the system keychain';
  return `"${kind}"`;
}
