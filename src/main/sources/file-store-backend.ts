import { randomBytes } from 'node:crypto';
import {
  type BigIntStats,
  close,
  closeSync,
  fstatSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { LookupStep } from '../store/token-matching';
import { TokenStoreError } from '../store/token-store';
import { type Edit, lineIndexOf, spliceRow, type Version, wholeFile } from './file-store-edits';
import { FILESTORE_HEADER, parseFile } from './file-store-format';
import { type FileStamp, type StampOf, sameStamp, stampKey, stampOf, stampVouches } from './file-version';
import { watchFileChanges } from './file-watch';
import { firstIndexOfId, SDK_COLUMNS, type SdkRow } from './sdk-row';
import type { RowSnapshot, SdkRowBackend } from './sdk-row-backend';

export { FILESTORE_HEADER } from './file-store-format';

/** Attempts at a write before giving up when the integration keeps changing the file under it. */
const WRITE_ATTEMPTS = 5;

/**
 * Windows cannot always replace a file another handle holds, so the replaced version is only held open
 * (see `commit`) elsewhere.
 */
const HOLD_REPLACED_VERSION = process.platform !== 'win32';

export interface FileStoreOptions {
  /** How a stat becomes a stamp (tests stand in a file system whose times tick coarsely). */
  readonly stampOf?: StampOf;
}

/**
 * The SDK FileStore's CSV file. Re-read on use: every call stats the file and re-parses when it changed
 * (comparing the bytes while its times are too recent to vouch for it), so a token the integration wrote is
 * seen at once. A write is a temp file beside it (same mode) renamed over it, after checking that the file
 * still holds exactly what the write was based on; if not, the change is made again on the new content.
 * Lines TokenDesk cannot read are kept byte for byte; a changed row is spliced into the bytes it was read
 * from.
 */
export class FileStoreBackend implements SdkRowBackend {
  private version: Version | null = null;
  /** The file as TokenDesk's own last write left it: a watch event for exactly that is not news. */
  private ownWriteKey: string | null = null;
  private readonly stampOf: StampOf;

  constructor(
    private readonly path: string,
    options: FileStoreOptions = {},
  ) {
    this.stampOf = options.stampOf ?? stampOf;
  }

  /** Creates the file with the SDK's header (as the SDK does on first use) when it does not exist. */
  static create(path: string, options?: FileStoreOptions): FileStoreBackend {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, FILESTORE_HEADER.join(','));
      closeSync(fd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw storageError(path, error);
    }
    return new FileStoreBackend(path, options);
  }

  check(row: SdkRow): void {
    // Lines are the records: a value with a line break could not be read back by any SDK.
    if (SDK_COLUMNS.some((c) => /[\r\n]/.test(row[c] ?? ''))) {
      throw new TokenStoreError(
        'MALFORMED_TOKEN',
        'A value holds a line break, which an SDK token file cannot store; nothing was written.',
      );
    }
  }

  async snapshot(): Promise<RowSnapshot> {
    // Never changed in place (a write makes new arrays), so the caller may keep it.
    return this.current().parsed.snapshot;
  }

  async firstMatch(step: LookupStep, answers: (row: SdkRow) => boolean): Promise<SdkRow | null> {
    const { rows } = this.current().parsed.snapshot;
    if (step.by === 'id') {
      for (let i = firstIndexOfId(rows, step.id); i < rows.length && rows[i]!.id === step.id; i++) {
        if (answers(rows[i]!)) return rows[i]!;
      }
      return null;
    }
    for (const row of rows) if (answers(row)) return row;
    return null;
  }

  async insert(row: SdkRow, floor: number): Promise<string> {
    let id = '';
    this.rewrite((v) => {
      // The SDK's scheme: one above the highest id in the file (kept unreadable lines included).
      let max = floor;
      for (const line of v.parsed.lines) {
        const n = Number(line.kind === 'row' ? line.row.id : /^\s*"?(\d+)/.exec(line.text)?.[1]);
        if (Number.isSafeInteger(n) && n > max) max = n;
      }
      id = String(max + 1);
      return wholeFile(v, [...v.parsed.lines, { kind: 'row', row: { ...row, id } }]);
    });
    return id;
  }

  async replace(expected: SdkRow, next: SdkRow): Promise<boolean> {
    let replaced = false;
    this.rewrite((v) => {
      replaced = false;
      const at = lineIndexOf(v, expected.id ?? '');
      if (at !== -1) {
        const line = at === undefined ? undefined : v.parsed.lines[at];
        if (line?.kind !== 'row' || !SDK_COLUMNS.every((c) => line.row[c] === expected[c])) return null;
        replaced = true;
        return spliceRow(v, at!, next);
      }
      // The id is on several lines (a hand-edited file): each that still holds `expected` takes `next`.
      return wholeFile(
        v,
        v.parsed.lines.map((line) => {
          if (line.kind !== 'row' || line.row.id !== expected.id) return line;
          if (!SDK_COLUMNS.every((c) => line.row[c] === expected[c])) return line;
          replaced = true;
          return { kind: 'row', row: next };
        }),
      );
    });
    return replaced;
  }

  async remove(id: string, expectedRefreshToken?: string | null): Promise<boolean> {
    let ok = true;
    this.rewrite((v) => {
      ok = true;
      return wholeFile(
        v,
        v.parsed.lines.filter((line) => {
          if (line.kind !== 'row' || line.row.id !== id) return true;
          if (expectedRefreshToken !== undefined && line.row.refresh_token !== expectedRefreshToken) {
            ok = false;
            return true;
          }
          return false;
        }),
      );
    });
    return ok;
  }

  async removeAll(): Promise<void> {
    // Unreadable lines are not tokens TokenDesk can name; "clear all" removes the tokens it lists.
    this.rewrite((v) =>
      wholeFile(
        v,
        v.parsed.lines.filter((line) => line.kind === 'raw' && line.text.trim() !== ''),
      ),
    );
  }

  async close(): Promise<void> {
    this.version = null;
  }

  /**
   * Calls `onChange` when something else (the integration) changed the file: debounced, and not for
   * TokenDesk's own writes, which the caller already knows about.
   */
  watch(onChange: () => void): () => void {
    return watchFileChanges(this.path, () => {
      let key: string | null = null;
      try {
        key = stampKey(this.stampOf(statSync(this.path, { bigint: true })));
      } catch {
        // Gone or unreadable: the next read says so in words; the list should ask.
      }
      if (key !== null && key === this.ownWriteKey) return;
      onChange();
    });
  }

  /**
   * The file as it is now. `trustStamp`: an unchanged stamp is enough even while it is too recent to vouch
   * for the content; only for planning a write, whose `commit` compares the bytes before replacing.
   */
  private current(trustStamp = false): Version {
    const checkedAt = Date.now();
    let stats: BigIntStats;
    try {
      stats = statSync(this.path, { bigint: true });
    } catch (error) {
      throw storageError(this.path, error);
    }
    const stamp = this.stampOf(stats);
    const known = this.version;
    if (known && sameStamp(known.stamp, stamp)) {
      if (trustStamp || stampVouches(stamp, known.confirmedAt)) return known;
      const bytes = this.readBytes();
      if (bytes.equals(known.bytes)) {
        known.confirmedAt = checkedAt;
        return known;
      }
      return this.load(bytes, stamp, Number(stats.mode) & 0o777, checkedAt);
    }
    return this.load(this.readBytes(), stamp, Number(stats.mode) & 0o777, checkedAt);
  }

  private readBytes(): Buffer {
    try {
      return readFileSync(this.path);
    } catch (error) {
      throw storageError(this.path, error);
    }
  }

  private load(bytes: Buffer, stamp: FileStamp, mode: number, confirmedAt: number): Version {
    const text = bytes.toString('utf8');
    const parsed = parseFile(this.path, text, bytes.length);
    this.version = { stamp, mode, bytes, parsed, confirmedAt, lineOfId: null };
    return this.version;
  }

  /** Read, change, and replace the file atomically, unless it changed meanwhile: then again, on the new content. */
  private rewrite(change: (version: Version) => Edit): void {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const version = this.current(attempt === 0);
      const edit = change(version);
      if (edit === null) return;
      if (this.commit(version, edit)) return;
      this.version = null;
    }
    throw new TokenStoreError(
      'CONFLICT',
      'The token file kept changing while TokenDesk tried to write it; nothing was written.',
      { hint: 'Try again when the integration is idle.' },
    );
  }

  /** Replaces `base` by the edit's bytes if the file still is `base`; false (nothing written) if not. */
  private commit(base: Version, edit: NonNullable<Edit>): boolean {
    const temp = join(dirname(this.path), `.${basename(this.path)}.${randomBytes(6).toString('hex')}.tmp`);
    let tempFd: number | null = null;
    let replaced: number | null = null;
    let renamed = false;
    try {
      // The same permissions as the file it replaces (the stat of this read).
      tempFd = openSync(temp, 'wx', base.mode);
      for (let at = 0; at < edit.out.length; ) at += writeSync(tempFd, edit.out, at);
      // Held open across the rename, the replaced version's blocks are freed when this handle closes, off
      // this thread, instead of inside the rename (a whole file's worth on every save).
      try {
        replaced = openSync(this.path, 'r');
      } catch (error) {
        throw storageError(this.path, error);
      }
      if (!this.stillIs(base, replaced)) return false;
      if (!HOLD_REPLACED_VERSION) {
        closeSync(replaced);
        replaced = null;
      }
      const confirmedAt = Date.now();
      renameSync(temp, this.path);
      renamed = true;
      this.remember(base, edit, tempFd, confirmedAt);
      return true;
    } finally {
      if (tempFd !== null) closeSync(tempFd);
      if (!renamed) rmSync(temp, { force: true });
      if (replaced !== null) close(replaced, () => {});
    }
  }

  /**
   * Compare before replace: the file (open as `fd`) still holds exactly `base`. The stamp settles it when
   * it differs or vouches for the content; otherwise the bytes do (two writes of one size within a
   * timestamp tick look alike to a stat).
   */
  private stillIs(base: Version, fd: number): boolean {
    let stamp: FileStamp;
    try {
      stamp = this.stampOf(fstatSync(fd, { bigint: true }));
    } catch (error) {
      throw storageError(this.path, error);
    }
    if (!sameStamp(stamp, base.stamp)) return false;
    if (stampVouches(stamp, base.confirmedAt)) return true;
    let now: Buffer;
    try {
      now = readFileSync(fd);
    } catch (error) {
      throw storageError(this.path, error);
    }
    return now.equals(base.bytes);
  }

  /** What was just written becomes the known version, so the next call does not parse the file again. */
  private remember(base: Version, edit: NonNullable<Edit>, fd: number, confirmedAt: number): void {
    this.version = null;
    this.ownWriteKey = null;
    let stamp: FileStamp;
    try {
      // The handle of the file just renamed into place: its stamp, whatever took the path since.
      stamp = this.stampOf(fstatSync(fd, { bigint: true }));
    } catch {
      return;
    }
    this.ownWriteKey = stampKey(stamp);
    if (edit.parsed === null) return;
    this.version = {
      stamp,
      mode: base.mode,
      bytes: edit.out,
      parsed: edit.parsed,
      confirmedAt,
      lineOfId: edit.sameIds ? base.lineOfId : null,
    };
  }
}

function storageError(path: string, error: unknown): TokenStoreError {
  const code = (error as NodeJS.ErrnoException).code;
  const name = basename(path);
  if (code === 'ENOENT') {
    return new TokenStoreError('STORAGE', `The token file ${name} was not found.`, {
      hint: 'Check the path, or whether the integration moved or deleted the file.',
      cause: error,
    });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new TokenStoreError('STORAGE', `TokenDesk may not read or write the token file ${name}.`, {
      hint: 'Check the file’s permissions.',
      cause: error,
    });
  }
  return new TokenStoreError('STORAGE', `The token file ${name} could not be read or written.`, {
    cause: error,
  });
}
