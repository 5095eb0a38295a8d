import { timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import { createLogger } from '../log';

const log = createLogger('store.listing-seals');

/**
 * Listing seals (docs/storage.md "Listing seals"): one MAC over a whole group of listed rows, so a cold
 * list checks each group with one HMAC instead of one per row. A seal is only a shortcut: a group whose
 * seal is missing or does not match is checked row by row with the listing MACs, exactly as without
 * seals, and a group is sealed only after every one of its rows passed that check. So a seal can never
 * vouch for a row its own MAC would reject; the worst a stale or forged seal does is cost the per-row check.
 *
 * A group is the rows whose ids share `id / SEAL_GROUP_ROWS` (ids only grow, so groups fill in order).
 * Triggers written in the file drop a group's seal whenever one of its rows is inserted, updated or
 * deleted, by any connection; the seal's MAC catches whatever bypasses them.
 */
export const SEAL_GROUP_ROWS = 256;

export function sealGroupOf(id: number): number {
  return Math.floor(id / SEAL_GROUP_ROWS);
}

/** The schema step that adds the seals (sqlite-schema.ts v5). */
export const LISTING_SEALS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS listing_seals (
    seal_group INTEGER PRIMARY KEY,
    seal BLOB NOT NULL
  );
  CREATE TRIGGER IF NOT EXISTS listing_seals_on_insert AFTER INSERT ON tokens
  BEGIN DELETE FROM listing_seals WHERE seal_group = NEW.id / ${SEAL_GROUP_ROWS}; END;
  CREATE TRIGGER IF NOT EXISTS listing_seals_on_update AFTER UPDATE ON tokens
  BEGIN DELETE FROM listing_seals
    WHERE seal_group IN (OLD.id / ${SEAL_GROUP_ROWS}, NEW.id / ${SEAL_GROUP_ROWS}); END;
  CREATE TRIGGER IF NOT EXISTS listing_seals_on_delete AFTER DELETE ON tokens
  BEGIN DELETE FROM listing_seals WHERE seal_group = OLD.id / ${SEAL_GROUP_ROWS}; END;
`;

const SELECT_SEALS = 'SELECT seal_group, seal FROM listing_seals';
const UPSERT_SEAL = `INSERT INTO listing_seals (seal_group, seal) VALUES (?, ?)
  ON CONFLICT (seal_group) DO UPDATE SET seal = excluded.seal`;
const DATA_VERSION = 'PRAGMA data_version';

/** The seals of one connection's file: read with a list, written after a list checked groups row by row. */
export class ListingSeals {
  private readonly selectSeals: Database.Statement<[], [number, Buffer]>;
  private readonly upsertSeal: Database.Statement<[number, Buffer]>;
  private readonly selectDataVersion: Database.Statement<[], number>;
  private readonly writeSeals: Database.Transaction<(seals: ReadonlyMap<number, Buffer>) => void>;

  constructor(private readonly db: Database.Database) {
    this.selectSeals = db.prepare<[], [number, Buffer]>(SELECT_SEALS).raw(true);
    this.upsertSeal = db.prepare(UPSERT_SEAL);
    this.selectDataVersion = db.prepare<[], number>(DATA_VERSION).pluck(true);
    this.writeSeals = db.transaction((seals: ReadonlyMap<number, Buffer>) => {
      for (const [group, seal] of seals) this.upsertSeal.run(group, seal);
    });
  }

  /** The stored seals by group, and the data version they were read at (inside the caller's snapshot). */
  read(): { readonly seals: Map<number, Buffer>; readonly dataVersion: number } {
    const seals = new Map<number, Buffer>();
    for (const [group, seal] of this.selectSeals.all()) seals.set(group, seal);
    return { seals, dataVersion: this.selectDataVersion.get() ?? 0 };
  }

  /**
   * Stores seals made by a list whose rows were read at `dataVersion`, unless another connection has
   * committed since (then the rows may have changed under them: the next list checks those groups row
   * by row again). Best effort: a busy or read-only database just leaves the groups unsealed. Written
   * without an fsync (synchronous NORMAL for this one commit): a seal lost in a crash only costs one
   * per-row check, and the next durable commit syncs it anyway.
   */
  store(seals: ReadonlyMap<number, Buffer>, dataVersion: number): void {
    if (seals.size === 0 || this.db.inTransaction) return;
    const synchronous = Number(this.db.pragma('synchronous', { simple: true }));
    try {
      if (synchronous > 1) this.db.pragma('synchronous = NORMAL');
      if ((this.selectDataVersion.get() ?? 0) !== dataVersion) return;
      this.writeSeals.immediate(seals);
    } catch (error) {
      log.debug('Listing seals not stored', { reason: (error as { code?: string }).code ?? 'error' });
    } finally {
      if (synchronous > 1) this.db.pragma(`synchronous = ${synchronous}`);
    }
  }
}

/** Whether `stored` is the seal just computed (constant time). */
export function sealMatches(stored: Buffer | undefined, computed: Buffer): boolean {
  return stored !== undefined && stored.length === computed.length && timingSafeEqual(stored, computed);
}
