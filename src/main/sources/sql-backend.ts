import { isSdkUserName } from '../store/sdk-user-name';
import type { LookupStep } from '../store/token-matching';
import { isWellFormedId } from '../store/token-matching';
import { TokenStoreError } from '../store/token-store';
import { nullIfEmpty, SDK_COLUMNS, SDK_VALUE_COLUMNS, type SdkColumn, type SdkRow } from './sdk-row';
import type { RowSnapshot, SdkRowBackend, UnreadableRow } from './sdk-row-backend';

/** What differs between the SQL engines; every statement is parameterised (`?`), identifiers quoted. */
export interface SqlDialect {
  readonly quote: (identifier: string) => string;
  /** Null-safe equality of a column and a parameter. */
  readonly nullSafeEquals: (column: string) => string;
  /** The id column as an integer (ids are decimal strings in a varchar column). */
  readonly idAsInteger: string;
  readonly isDuplicateKey: (error: unknown) => boolean;
  /**
   * Which row a lookup finds when several answer it. `key`: the first in primary-key order, read a row at a
   * time so the server stops scanning at the first match (the order of the SDK DBStore's `... LIMIT 1` on
   * MySQL's clustered key). `integer`: the lowest numeric id, as the file source finds it.
   */
  readonly matchOrder: 'key' | 'integer';
}

export interface SqlRunner {
  all(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /**
   * Hands each row to `onRow` as it arrives, as an array in the SELECT's column order: a whole-table read
   * then keeps no driver object per row, only the row it makes of it, and never holds the whole result
   * twice (docs/sources.md "Listing a MySQL table"). Optional: without it `all` is used.
   */
  eachRow?(sql: string, onRow: (cells: readonly unknown[]) => void): Promise<void>;
  /** Rows matched by an UPDATE or DELETE (not only those whose values changed). */
  run(sql: string, params: readonly unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** A table name is spliced into SQL (it cannot be a parameter): only plain identifiers are accepted. */
export function checkTableName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) {
    throw new TokenStoreError(
      'STORAGE',
      'The table name may only hold letters, digits and underscores, starting with a letter.',
    );
  }
  return name;
}

const INSERT_ATTEMPTS = 20;
/** Rows per read after the first row of a lookup was turned down. */
const PAGE_AFTER_FIRST = 20;

function isReadable(row: SdkRow): boolean {
  return row.id !== null && isWellFormedId(row.id);
}

/**
 * The id as a number when it is well formed (what `isWellFormedId` accepts: 1 to 15 digits, no leading
 * zero), else null. One pass over the characters: a list checks 10,000 of them.
 */
export function idNumber(id: string | null): number | null {
  if (id === null || id.length === 0 || id.length > 15) return null;
  let n = 0;
  for (let i = 0; i < id.length; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9 || (i === 0 && digit === 0)) return null;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * The SDK's `oauthtoken` table on an SQL engine. Ids: one above the highest numeric id (the SDK's
 * `max(id)` compares text, so it repeats ids past 9 rows), plus `headroom`, inserted under the primary
 * key: a taken id (another writer won the race) is retried with the next one, so no id is ever doubled
 * and no token lost. Updates and conditional deletes name every column's old value.
 */
export class SqlSdkBackend implements SdkRowBackend {
  private readonly table: string;
  private readonly columnList: string;
  /** The last list's rows in the order they came (the key's order). */
  private lastArrival: readonly SdkRow[] = [];
  /** What the last list returned (its rows are never changed: a write makes a new row object). */
  private lastSnapshot: RowSnapshot | null = null;
  /** Every value column equal to its parameter (null-safe): the guard of a conditional write. */
  private readonly sameAsBefore: string;

  constructor(
    private readonly sql: SqlRunner,
    private readonly dialect: SqlDialect,
    table: string,
    /** Ids skipped above the highest, so an SDK insert in flight (it read `max(id)` already) keeps its id. */
    private readonly headroom: number,
    readonly maxLengths?: Readonly<Partial<Record<SdkColumn, number>>>,
  ) {
    this.table = dialect.quote(checkTableName(table));
    this.columnList = SDK_COLUMNS.map((c) => dialect.quote(c)).join(', ');
    this.sameAsBefore = SDK_VALUE_COLUMNS.map((c) => dialect.nullSafeEquals(dialect.quote(c))).join(' AND ');
  }

  async snapshot(): Promise<RowSnapshot> {
    const collected = new SnapshotRows();
    if (!this.sql.eachRow) {
      for (const raw of await this.sql.all(`SELECT * FROM ${this.table}`, [])) collected.add(toRow(raw));
      return collected.snapshot();
    }
    // Rows come in the key's order; a row equal to the one at its place in the last list is that object
    // (docs/sources.md "Listing a MySQL table"), so a list of an unchanged table keeps no new copies.
    const last = this.lastArrival;
    const arrival: SdkRow[] = [];
    let unchanged = this.lastSnapshot !== null;
    let before: SdkRow | null = null;
    await this.sql.eachRow(`SELECT ${this.columnList} FROM ${this.table}`, (cells) => {
      const same = last[arrival.length];
      if (same !== undefined && holdsCells(same, cells)) {
        before = same;
      } else {
        before = cellsToRow(cells, before);
        unchanged = false;
      }
      arrival.push(before);
    });
    // The same rows in the same order as the last list: its snapshot, already sorted into id order.
    if (unchanged && arrival.length === last.length) return this.lastSnapshot!;
    for (const row of arrival) collected.add(row);
    this.lastArrival = arrival;
    this.lastSnapshot = collected.snapshot();
    return this.lastSnapshot;
  }

  async firstMatch(step: LookupStep, answers: (row: SdkRow) => boolean): Promise<SdkRow | null> {
    if (step.by === 'id') {
      const [raw] = await this.sql.all(`SELECT * FROM ${this.table} WHERE id = ?`, [step.id]);
      const row = raw ? toRow(raw) : null;
      return row && isReadable(row) && answers(row) ? row : null;
    }
    const { where, params } = this.stepFilter(step);
    if (this.dialect.matchOrder === 'integer') {
      const order = ` ORDER BY ${this.dialect.idAsInteger}, id`;
      const raw = await this.sql.all(`SELECT * FROM ${this.table} WHERE ${where}${order}`, params);
      for (const r of raw) {
        const row = toRow(r);
        if (isReadable(row) && answers(row)) return row;
      }
      return null;
    }
    // One row first: nearly always the only candidate, and LIMIT 1 lets the server stop scanning there.
    // Rows the exact rule turns down (another client, another spelling) are paged past by key. The scan
    // reads only the key and the filtered columns, and the whole row is then read by key in the same
    // statement: a scan that copies every column of each row it passes costs the server about twice as
    // much (docs/sources.md "Which row a lookup finds").
    let after: string | null = null;
    for (let limit = 1; ; limit = PAGE_AFTER_FIRST) {
      const candidates = `SELECT id FROM ${this.table} WHERE (${where})${after === null ? '' : ' AND id > ?'} ORDER BY id LIMIT ${limit}`;
      const raw = await this.sql.all(
        `SELECT t.* FROM (${candidates}) AS f STRAIGHT_JOIN ${this.table} AS t ON t.id = f.id ORDER BY f.id`,
        after === null ? params : [...params, after],
      );
      for (const r of raw) {
        const row = toRow(r);
        if (isReadable(row) && answers(row)) return row;
        // The stored key as it is (an empty id reads as null), so the next page starts after it.
        after = String(r.id ?? r.ID ?? '');
      }
      if (raw.length < limit) return null;
    }
  }

  /** The step as a parameterised condition that every answering row meets (a superset: the caller decides). */
  private stepFilter(step: Exclude<LookupStep, { by: 'id' }>): { where: string; params: unknown[] } {
    switch (step.by) {
      case 'user': {
        // One cheap test per scanned row: the name as given (the exact step), or the SDK's `email:<zgid>`
        // forms of a bare email (`%`, `_` and `!` escaped). The caller applies the exact rule to the rows.
        const byName =
          step.match === 'exact' || isSdkUserName(step.userName)
            ? { where: 'user_name = ?', params: [step.userName] as unknown[] }
            : {
                where: "user_name LIKE ? ESCAPE '!'",
                params: [`${step.userName.replace(/[!%_]/g, '!$&')}:%`] as unknown[],
              };
        return step.clientId === null
          ? byName
          : { where: `${byName.where} AND client_id = ?`, params: [...byName.params, step.clientId] };
      }
      case 'accessToken':
        return { where: 'access_token = ?', params: [step.value] };
      case 'grantToken':
        return { where: 'grant_token = ?', params: [step.value] };
      case 'refreshToken':
        return { where: 'refresh_token = ?', params: [step.value] };
    }
  }

  async insert(row: SdkRow, floor: number): Promise<string> {
    const columns = SDK_COLUMNS.map((c) => this.dialect.quote(c)).join(', ');
    const marks = SDK_COLUMNS.map(() => '?').join(', ');
    let next = 0;
    for (let attempt = 0; attempt < INSERT_ATTEMPTS; attempt++) {
      const [max] = await this.sql.all(`SELECT MAX(${this.dialect.idAsInteger}) AS m FROM ${this.table}`, []);
      const highest = Math.max(Number(max?.m ?? 0) || 0, floor, next);
      // The headroom on every attempt: a retry must not take the id an SDK insert in flight is about to use.
      next = highest + 1 + this.headroom;
      const id = String(next);
      try {
        await this.sql.run(`INSERT INTO ${this.table} (${columns}) VALUES (${marks})`, [
          id,
          ...SDK_VALUE_COLUMNS.map((c) => row[c]),
        ]);
        return id;
      } catch (error) {
        if (!this.dialect.isDuplicateKey(error)) throw error;
      }
    }
    throw new TokenStoreError('CONFLICT', 'No free id was found for the new token; nothing was written.');
  }

  replace(expected: SdkRow, next: SdkRow): Promise<boolean> {
    return this.conditionalUpdate(expected, next, '', []);
  }

  async replaceFirstMatch(step: LookupStep, expected: SdkRow, next: SdkRow): Promise<boolean> {
    // Only where the first match is the first in key order, which a subquery can name in the same
    // statement (the SQLite source's lowest numeric id would need the whole candidate list).
    if (this.dialect.matchOrder !== 'key' || step.by === 'id') return false;
    const { where, params } = this.stepFilter(step);
    // The row is the one a fresh lookup would find: no row before it in key order passes the server's
    // filter (a superset of the exact rule, which the caller applied to `expected`).
    const first = ` AND id = (SELECT id FROM (SELECT id FROM ${this.table} WHERE (${where}) ORDER BY id LIMIT 1) AS f)`;
    return this.conditionalUpdate(expected, next, first, params);
  }

  private async conditionalUpdate(
    expected: SdkRow,
    next: SdkRow,
    andAlso: string,
    andAlsoParams: readonly unknown[],
  ): Promise<boolean> {
    // Only the columns that change are set (a refresh sets two of nine: less for the server to write);
    // every old value is named, so a row changed meanwhile matches nothing. With nothing to change the
    // statement still reports whether the row is as expected.
    const changing = SDK_VALUE_COLUMNS.filter((c) => next[c] !== expected[c]);
    const set =
      changing.length === 0 ? 'id = id' : changing.map((c) => `${this.dialect.quote(c)} = ?`).join(', ');
    const matched = await this.sql.run(
      `UPDATE ${this.table} SET ${set} WHERE id = ? AND ${this.sameAsBefore}${andAlso}`,
      [
        ...changing.map((c) => next[c]),
        expected.id,
        ...SDK_VALUE_COLUMNS.map((c) => expected[c]),
        ...andAlsoParams,
      ],
    );
    return matched > 0;
  }

  async remove(id: string, expectedRefreshToken?: string | null): Promise<boolean> {
    if (expectedRefreshToken === undefined) {
      await this.sql.run(`DELETE FROM ${this.table} WHERE id = ?`, [id]);
      return true;
    }
    const removed = await this.sql.run(
      `DELETE FROM ${this.table} WHERE id = ? AND ${this.dialect.nullSafeEquals('refresh_token')}`,
      [id, expectedRefreshToken],
    );
    if (removed > 0) return true;
    const still = await this.sql.all(`SELECT id FROM ${this.table} WHERE id = ?`, [id]);
    return still.length === 0;
  }

  async removeAll(): Promise<void> {
    await this.sql.run(`DELETE FROM ${this.table}`, []);
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

function toRow(raw: Record<string, unknown>): SdkRow {
  // Column names come back as created: the SDK's lower case, or upper case on some servers.
  const get = (column: string): string | null => {
    const v = column in raw ? raw[column] : raw[column.toUpperCase()];
    return nullIfEmpty(v === null || v === undefined ? null : String(v));
  };
  return {
    id: get('id'),
    user_name: get('user_name'),
    client_id: get('client_id'),
    client_secret: get('client_secret'),
    refresh_token: get('refresh_token'),
    access_token: get('access_token'),
    grant_token: get('grant_token'),
    expiry_time: get('expiry_time'),
    redirect_url: get('redirect_url'),
    api_domain: get('api_domain'),
  };
}

/** One value as the SDK reads it: text, with an empty or missing value as null. */
function cellText(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  return typeof v === 'string' ? v : String(v);
}

/**
 * A row read as an array in SDK_COLUMNS order. Columns that the rows of one integration share (client,
 * secret, expiry, redirect URL, API domain) take the row before's string when equal, so a list keeps one
 * copy of such a value instead of one per row, and the row's own copy is garbage at once.
 */
function cellsToRow(cells: readonly unknown[], before: SdkRow | null): SdkRow {
  return {
    id: cellText(cells[0]),
    user_name: cellText(cells[1]),
    client_id: shared(cellText(cells[2]), before?.client_id),
    client_secret: shared(cellText(cells[3]), before?.client_secret),
    refresh_token: cellText(cells[4]),
    access_token: cellText(cells[5]),
    grant_token: shared(cellText(cells[6]), before?.grant_token),
    expiry_time: shared(cellText(cells[7]), before?.expiry_time),
    redirect_url: shared(cellText(cells[8]), before?.redirect_url),
    api_domain: shared(cellText(cells[9]), before?.api_domain),
  };
}

/** Whether `row` holds exactly these values (as `cellsToRow` would read them). */
function holdsCells(row: SdkRow, cells: readonly unknown[]): boolean {
  return (
    row.id === cellText(cells[0]) &&
    row.user_name === cellText(cells[1]) &&
    row.client_id === cellText(cells[2]) &&
    row.client_secret === cellText(cells[3]) &&
    row.refresh_token === cellText(cells[4]) &&
    row.access_token === cellText(cells[5]) &&
    row.grant_token === cellText(cells[6]) &&
    row.expiry_time === cellText(cells[7]) &&
    row.redirect_url === cellText(cells[8]) &&
    row.api_domain === cellText(cells[9])
  );
}

/** The row before's string when equal (the same text either way). */
function shared(value: string | null, before: string | null | undefined): string | null {
  return value !== null && value === before ? before : value;
}

/** A whole read's rows, sorted into readable (in id order at the end) and unreadable as they come. */
class SnapshotRows {
  private readonly rows: SdkRow[] = [];
  private readonly unreadable: UnreadableRow[] = [];
  private sorted = true;
  private previous = 0;

  add(row: SdkRow): void {
    const n = idNumber(row.id);
    if (n === null) {
      this.unreadable.push({
        id: row.id,
        userName: row.user_name,
        error: new TokenStoreError(
          'UNREADABLE_ROW',
          'This row’s id is not a number, so TokenDesk leaves it as it is.',
        ),
      });
      return;
    }
    if (n < this.previous) this.sorted = false;
    this.previous = n;
    this.rows.push(row);
  }

  snapshot(): RowSnapshot {
    return { rows: this.sorted ? this.rows : inIdOrder(this.rows), unreadable: this.unreadable };
  }
}

/**
 * Readable rows in numeric id order. A table's key is text, so its rows come in text order ('10' before
 * '9'); among ids of one length text order is numeric order, so grouping by length (keeping the order
 * within each group) sorts them in one pass. Any other order (another collation) is sorted outright.
 */
export function inIdOrder(rows: readonly SdkRow[]): SdkRow[] {
  // Where each length's rows start (ids have 1 to 15 digits), then each row placed after the last of its
  // length: one array, no array per length.
  const starts = new Array<number>(17).fill(0);
  for (const row of rows) starts[row.id!.length + 1]!++;
  for (let length = 1; length < starts.length; length++) starts[length]! += starts[length - 1]!;
  const ordered = new Array<SdkRow>(rows.length);
  for (const row of rows) ordered[starts[row.id!.length]!++] = row;
  for (let i = 1; i < ordered.length; i++) {
    const a = ordered[i - 1]!.id!;
    const b = ordered[i]!.id!;
    if (a.length === b.length && a > b) return [...rows].sort((x, y) => Number(x.id) - Number(y.id));
  }
  return ordered;
}

/** The SDK's table, as its DBStore and the Kaizen SQLite sample create it. */
export function sdkTableDdl(quotedTable: string): string {
  return `CREATE TABLE ${quotedTable} (id varchar(10) NOT NULL, user_name varchar(255), client_id varchar(255), client_secret varchar(255), refresh_token varchar(255), access_token varchar(255), grant_token varchar(255), expiry_time varchar(20), redirect_url varchar(255), api_domain varchar(255), primary key (id))`;
}

/** A table "with the wrong columns": what is missing, in words; null when every SDK column is there. */
export function missingColumns(present: readonly string[]): string | null {
  const have = new Set(present.map((c) => c.toLowerCase()));
  const missing = SDK_COLUMNS.filter((c) => !have.has(c));
  return missing.length === 0 ? null : missing.join(', ');
}
