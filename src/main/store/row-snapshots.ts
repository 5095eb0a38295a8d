import type Database from 'better-sqlite3';
import { createLogger } from '../log';
import type { ListedValues } from './row-codec';
import type { RowSecrets } from './row-crypto';
import {
  decodeGroupListing,
  decodeGroupSecrets,
  encodeGroupListing,
  encodeGroupSecrets,
  type SecretValues,
} from './snapshot-codec';
import type { SnapshotCrypto } from './snapshot-crypto';

const log = createLogger('store.row-snapshots');

/**
 * Row snapshots (docs/storage.md "Row snapshots"): for each group of 256 rows, a copy of the group's
 * listed values as a whole-store read last verified them row by row, with their MAC, and (once a read
 * with secrets has opened every envelope of the group) the group's secrets sealed in one AES-GCM
 * envelope. A cold list or getTokens then takes a group from its snapshot with one MAC (and one cipher)
 * instead of one per row. A snapshot serves only the rows it was made from: it is bound to each row's
 * listing MAC (which covers the row's id) as SQLite reads them now (`rows`), which every save changes;
 * triggers in the file also drop it whenever a row of its group is inserted, updated or deleted. A group
 * whose snapshot is missing, does not match or does not decode is read row by row exactly as without
 * snapshots, and is snapshotted again only when all of its rows passed their own checks.
 *
 * A group is the rows whose ids share `id / SNAPSHOT_GROUP_ROWS` (ids only grow, so groups fill in order).
 */
export const SNAPSHOT_GROUP_ROWS = 256;

const TRIGGERS = ['row_snapshots_on_insert', 'row_snapshots_on_update', 'row_snapshots_on_delete'] as const;

/** The schema step that adds the snapshots (sqlite-schema.ts v6), replacing v5's listing seals. */
export const ROW_SNAPSHOTS_SCHEMA = `
  DROP TRIGGER IF EXISTS listing_seals_on_insert;
  DROP TRIGGER IF EXISTS listing_seals_on_update;
  DROP TRIGGER IF EXISTS listing_seals_on_delete;
  DROP TABLE IF EXISTS listing_seals;
  CREATE TABLE IF NOT EXISTS row_snapshots (
    snapshot_group INTEGER PRIMARY KEY,
    listing BLOB NOT NULL,
    listing_mac BLOB NOT NULL,
    secrets BLOB
  );
  CREATE INDEX IF NOT EXISTS tokens_listing_macs ON tokens (id, list_mac);
  CREATE TRIGGER IF NOT EXISTS ${TRIGGERS[0]} AFTER INSERT ON tokens
  BEGIN DELETE FROM row_snapshots WHERE snapshot_group = NEW.id / ${SNAPSHOT_GROUP_ROWS}; END;
  CREATE TRIGGER IF NOT EXISTS ${TRIGGERS[1]} AFTER UPDATE ON tokens
  BEGIN DELETE FROM row_snapshots
    WHERE snapshot_group IN (OLD.id / ${SNAPSHOT_GROUP_ROWS}, NEW.id / ${SNAPSHOT_GROUP_ROWS}); END;
  CREATE TRIGGER IF NOT EXISTS ${TRIGGERS[2]} AFTER DELETE ON tokens
  BEGIN DELETE FROM row_snapshots WHERE snapshot_group = OLD.id / ${SNAPSHOT_GROUP_ROWS}; END;
`;

/**
 * Each non-empty group with what binds its snapshot: every row's listing MAC in id order (32 zero bytes
 * for a row without one), concatenated by SQLite so no row crosses into JavaScript. The group numbers
 * run from the lowest id's to the highest's, each group read as a range of `tokens_listing_macs`, an
 * index of just the ids and listing MACs that SQLite's planner takes for it (a twentieth of the table's
 * pages, already in id order, so the concatenation needs no sort; should SQLite ever take another order,
 * snapshots only stop matching and are made again). A listing MAC covers its row's id and every column a list shows, and changes at every
 * save.
 */
const groupsQuery = (columns: string) => `WITH RECURSIVE
    numbers(snapshot_group) AS (
      SELECT (SELECT min(id) FROM tokens) / ${SNAPSHOT_GROUP_ROWS} WHERE (SELECT min(id) FROM tokens) IS NOT NULL
      UNION ALL SELECT snapshot_group + 1 FROM numbers
        WHERE snapshot_group < (SELECT max(id) FROM tokens) / ${SNAPSHOT_GROUP_ROWS}),
    groups(snapshot_group, rows) AS (
      SELECT snapshot_group, (SELECT CAST(group_concat(ifnull(list_mac, zeroblob(32)), '') AS BLOB)
        FROM tokens WHERE id >= snapshot_group * ${SNAPSHOT_GROUP_ROWS}
          AND id < (snapshot_group + 1) * ${SNAPSHOT_GROUP_ROWS})
      FROM numbers)
  SELECT g.snapshot_group, g.rows, ${columns}
  FROM groups AS g LEFT JOIN row_snapshots AS s USING (snapshot_group)`;
const SELECT_GROUPS = groupsQuery('s.listing, s.listing_mac, NULL');
const SELECT_GROUPS_WITH_SECRETS = groupsQuery('s.listing, s.listing_mac, s.secrets');
const UPSERT = `INSERT INTO row_snapshots (snapshot_group, listing, listing_mac, secrets) VALUES (?, ?, ?, ?)
  ON CONFLICT (snapshot_group) DO UPDATE SET
    listing = excluded.listing, listing_mac = excluded.listing_mac, secrets = excluded.secrets`;
const SELECT_TRIGGERS = `SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'tokens'
  AND name IN (${TRIGGERS.map((t) => `'${t}'`).join(', ')})`;
const DATA_VERSION = 'PRAGMA data_version';

type GroupRow = [
  group: number,
  rows: Buffer | null,
  listing: Buffer | null,
  mac: Buffer | null,
  secrets: Buffer | null,
];
type NonEmptyGroupRow = [number, Buffer, Buffer | null, Buffer | null, Buffer | null];

/** One group of rows as a whole-store read meets it. */
export interface SnapshotGroup {
  readonly group: number;
  /** What the snapshot is bound to: the group's rows (their listing MACs) as they are now. */
  readonly rows: Buffer;
  /** The group's listed values from a snapshot that matches, else null (check the rows one by one). */
  readonly listed: ListedValues[] | null;
  /** Their secrets (same order), when asked for and sealed for exactly these rows, else null. */
  readonly secrets: SecretValues[] | null;
  /** The matching snapshot's listing bytes and MAC, kept when only the secrets are added to it. */
  readonly stored: { readonly listing: Buffer; readonly mac: Buffer } | null;
}

/** A snapshot made by a read that checked every row of the group, for `store`. */
export interface MadeSnapshot {
  readonly listing: Buffer;
  readonly mac: Buffer;
  readonly secrets: Buffer | null;
}

/** The snapshots of one connection's file: read with a whole-store read, written after it. */
export class RowSnapshots {
  private readonly selectGroups: Database.Statement<[], GroupRow>;
  private readonly selectGroupsWithSecrets: Database.Statement<[], GroupRow>;
  private readonly upsert: Database.Statement<[number, Buffer, Buffer, Buffer | null]>;
  private readonly selectDataVersion: Database.Statement<[], number>;
  private readonly writeAll: Database.Transaction<(made: ReadonlyMap<number, MadeSnapshot>) => void>;
  /** False when a trigger that drops stale snapshots is missing: stored snapshots are then never used. */
  private readonly trusted: boolean;

  constructor(private readonly db: Database.Database) {
    this.selectGroups = db.prepare<[], GroupRow>(SELECT_GROUPS).raw(true);
    this.selectGroupsWithSecrets = db.prepare<[], GroupRow>(SELECT_GROUPS_WITH_SECRETS).raw(true);
    this.upsert = db.prepare(UPSERT);
    this.selectDataVersion = db.prepare<[], number>(DATA_VERSION).pluck(true);
    this.writeAll = db.transaction((made: ReadonlyMap<number, MadeSnapshot>) => {
      for (const [group, s] of made) this.upsert.run(group, s.listing, s.mac, s.secrets);
    });
    this.trusted = db.prepare<[], number>(SELECT_TRIGGERS).pluck(true).get() === TRIGGERS.length;
    if (!this.trusted)
      log.warn('Row snapshot triggers missing: every whole-store read checks rows one by one');
  }

  /**
   * Every non-empty group in id order, with its snapshot where one matches the rows now in the file
   * (inside the caller's read snapshot), and the data version it was read at.
   */
  read(crypto: SnapshotCrypto, withSecrets: boolean): { groups: SnapshotGroup[]; dataVersion: number } {
    // Empty groups (rows null) dropped and the order made sure of here, not in SQL: a WHERE on the
    // concatenation would run it twice, and an ORDER BY would copy every snapshot into a sorter.
    const raw = (withSecrets ? this.selectGroupsWithSecrets : this.selectGroups)
      .all()
      .filter((row): row is NonEmptyGroupRow => row[1] !== null)
      .sort((a, b) => a[0] - b[0]);
    const groups = raw.map(([group, rows, listing, mac, secrets]) => {
      const none = { group, rows, listed: null, secrets: null, stored: null };
      if (!this.trusted || listing === null || mac === null) return none;
      if (!crypto.listingMatches(group, rows, listing, mac)) return none;
      try {
        const listed = decodeGroupListing(listing);
        const stored = { listing, mac };
        return {
          group,
          rows,
          listed,
          stored,
          secrets: secrets && openGroupSecrets(crypto, group, rows, mac, secrets, listed.length),
        };
      } catch (error) {
        log.debug('Row snapshot not used', { group, reason: (error as Error).name });
        return none;
      }
    });
    return { groups, dataVersion: this.selectDataVersion.get() ?? 0 };
  }

  /**
   * Stores snapshots made by a read at `dataVersion`, unless another connection has committed since (its
   * rows may have changed under them). Best effort: a busy or read-only database just leaves the groups
   * as they were. Written without an fsync (synchronous NORMAL for this one commit): a snapshot lost in a
   * crash only costs one per-row read, and the next durable commit syncs it anyway.
   */
  store(made: ReadonlyMap<number, MadeSnapshot>, dataVersion: number): void {
    if (made.size === 0 || this.db.inTransaction || !this.trusted) return;
    const synchronous = Number(this.db.pragma('synchronous', { simple: true }));
    try {
      if (synchronous > 1) this.db.pragma('synchronous = NORMAL');
      if ((this.selectDataVersion.get() ?? 0) !== dataVersion) return;
      this.writeAll.immediate(made);
    } catch (error) {
      log.debug('Row snapshots not stored', { reason: (error as { code?: string }).code ?? 'error' });
    } finally {
      if (synchronous > 1) this.db.pragma(`synchronous = ${synchronous}`);
    }
  }
}

/**
 * A snapshot of `group` from rows that each passed their own checks: their listed values (in id order),
 * and their secrets when the read opened every envelope. `stored` is the group's matching snapshot
 * without secrets, kept as it is when only the secrets are added.
 */
export function makeSnapshot(
  crypto: SnapshotCrypto,
  group: SnapshotGroup,
  listed: readonly ListedValues[],
  secrets: readonly RowSecrets[] | null,
): MadeSnapshot {
  const listing = group.stored?.listing ?? encodeGroupListing(listed);
  const mac = group.stored?.mac ?? crypto.listingMac(group.group, group.rows, listing);
  if (secrets === null) return { listing, mac, secrets: null };
  const plain = encodeGroupSecrets(secrets);
  try {
    return { listing, mac, secrets: crypto.sealSecrets(group.group, group.rows, mac, plain) };
  } finally {
    plain.fill(0);
  }
}

function openGroupSecrets(
  crypto: SnapshotCrypto,
  group: number,
  rows: Buffer,
  mac: Buffer,
  sealed: Buffer,
  count: number,
): SecretValues[] | null {
  const plain = crypto.openSecrets(group, rows, mac, sealed);
  if (plain === null) return null;
  try {
    return decodeGroupSecrets(plain, count);
  } catch {
    return null; // the listing still serves a list; a read with secrets opens the group's rows
  } finally {
    plain.fill(0);
  }
}
