import type Database from 'better-sqlite3';
import { DELETE_META, SELECT_META, UPSERT_META } from './sqlite-queries';

/**
 * A store's data key is wrapped by one protector, and optionally by a second of another kind: the usual
 * case is a keychain store that also opens with a passphrase, so the `tokendesk` command (which has no
 * keychain) can open it. Both wrap the same data key; either opens the store (docs/storage.md "Key
 * protectors"). The second lives in its own meta rows beside the first, so a file written before it
 * existed reads as a store with one protector.
 */
export const META_EXTRA_WRAPPED_KEY = 'extra_wrapped_data_key';
export const META_EXTRA_PROTECTOR_KIND = 'extra_protector_kind';

export interface WrappedKey {
  readonly wrapped: string;
  readonly kind: string;
}

/** The second protector's wrapped key, or null when the store has only one. */
export function readExtraWrappedKey(db: Database.Database): WrappedKey | null {
  const select = db.prepare<[string], { value: string }>(SELECT_META);
  const wrapped = select.get(META_EXTRA_WRAPPED_KEY)?.value;
  const kind = select.get(META_EXTRA_PROTECTOR_KIND)?.value;
  return wrapped === undefined || kind === undefined ? null : { wrapped, kind };
}

/** Stores (or replaces) the second protector's wrapped key; run inside the caller's transaction. */
export function writeExtraWrappedKey(db: Database.Database, key: WrappedKey): void {
  const upsert = db.prepare<[string, string]>(UPSERT_META);
  upsert.run(META_EXTRA_WRAPPED_KEY, key.wrapped);
  upsert.run(META_EXTRA_PROTECTOR_KIND, key.kind);
}

/** Forgets the second protector; run inside the caller's transaction. True when there was one. */
export function deleteExtraWrappedKey(db: Database.Database): boolean {
  const remove = db.prepare<[string]>(DELETE_META);
  const removed = remove.run(META_EXTRA_WRAPPED_KEY).changes;
  remove.run(META_EXTRA_PROTECTOR_KIND);
  return removed > 0;
}
