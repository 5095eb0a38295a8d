import type Database from 'better-sqlite3';
import { deleteExtraWrappedKey, type WrappedKey, writeExtraWrappedKey } from './extra-protector';
import type { KeyProtector } from './key-protector';
import { decodeRow, listingColumns, sealRow } from './row-codec';
import { type RowBinding, RowCrypto } from './row-crypto';
import { SELECT_ALL, UPDATE_LISTING, UPDATE_SECRETS, UPSERT_META } from './sqlite-queries';
import type { SqliteRowReader, SqliteTokenRow } from './sqlite-row-reader';
import { META_PROTECTOR_KIND, META_WRAPPED_KEY } from './sqlite-store-file';

export interface RotateResult {
  /** Rows now sealed under the new data key. */
  readonly reencrypted: number;
  /** Rows that were already unreadable; left as they were (still unreadable, never silently "repaired"). */
  readonly unreadableIds: readonly string[];
}

/** Re-seals one envelope kept outside `tokens` from the old data key to the new one. */
export type AsideReseal = (binding: RowBinding, sealed: Buffer | null) => Buffer;

/** What a re-key moves to the new key, besides the token rows. */
export interface RekeyTarget {
  /** The new data key's crypto and the new key as the protector wrapped it. */
  readonly next: RowCrypto;
  readonly wrapped: string;
  readonly protector: KeyProtector;
  /** The new key wrapped by the store's second protector, or null: the store then has only the first. */
  readonly extra: WrappedKey | null;
  /** Tables beside `tokens` whose envelopes follow the re-key (SqliteTokenStore.onRekey). */
  readonly asideResealers: readonly ((reseal: AsideReseal) => void)[];
}

/**
 * The body of a re-key, run inside the caller's immediate transaction: every readable row re-sealed under
 * `target.next` (decrypted under `current`, the key current at commit time: a save may have landed while
 * the new key was being wrapped), the aside tables moved, and the new wrapped key and protector kind
 * stored. Unreadable rows cannot be re-sealed and stay as they are.
 */
export function resealEveryRow(
  db: Database.Database,
  reader: SqliteRowReader,
  current: RowCrypto,
  target: RekeyTarget,
): RotateResult {
  const updateSecrets = db.prepare(UPDATE_SECRETS);
  const upsertMeta = db.prepare<[string, string]>(UPSERT_META);
  const unreadableIds: string[] = [];
  let reencrypted = 0;
  for (const row of reader.storedRows()) {
    const entry = reader.decode(row);
    if (!entry.ok) {
      unreadableIds.push(entry.id);
      continue;
    }
    const sealed = sealRow(entry.token, String(row.id), target.next);
    // The listing MAC binds the envelope's tag and is keyed by the data key: it is re-made too.
    const listing = listingColumns(row.id, entry.token, row, sealed.secrets_enc, target.next);
    updateSecrets.run({ id: row.id, ...sealed, ...listing });
    reencrypted++;
  }
  const move: AsideReseal = (binding, sealed) => target.next.seal(binding, current.open(binding, sealed));
  for (const reseal of target.asideResealers) reseal(move);
  upsertMeta.run(META_WRAPPED_KEY, target.wrapped);
  upsertMeta.run(META_PROTECTOR_KIND, target.protector.kind);
  if (target.extra === null) deleteExtraWrappedKey(db);
  else writeExtraWrappedKey(db, target.extra);
  return { reencrypted, unreadableIds };
}

/**
 * The v4 migration's fill (sqlite-schema.ts), inside its transaction: the masked previews and listing MAC
 * of every row whose envelope opens. A row that does not open keeps them NULL and is listed as
 * unreadable, as it was before. Returns how many rows were filled.
 */
export function fillListingColumns(db: Database.Database, dataKey: Buffer): number {
  const crypto = new RowCrypto(dataKey);
  try {
    const update = db.prepare(UPDATE_LISTING);
    let filled = 0;
    for (const row of db.prepare<[], SqliteTokenRow>(SELECT_ALL).all()) {
      const entry = decodeRow(row, crypto);
      if (!entry.ok || row.secrets_enc === null) continue;
      update.run({ id: row.id, ...listingColumns(row.id, entry.token, row, row.secrets_enc, crypto) });
      filled++;
    }
    return filled;
  } finally {
    crypto.destroy();
  }
}
