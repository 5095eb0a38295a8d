import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isWellFormedId, type LookupStep } from '../store/token-matching';
import { TokenStoreError } from '../store/token-store';
import { joinLine, splitLine } from './csv-line';
import { watchFileChanges } from './file-watch';
import { nullIfEmpty, SDK_COLUMNS, type SdkRow } from './sdk-row';
import type { RowSnapshot, SdkRowBackend, UnreadableRow } from './sdk-row-backend';

/** The header the SDKs write (Node SDK `user_name`, Python `redirect_uri`: columns are positional). */
export const FILESTORE_HEADER = [
  'id',
  'user_mail',
  'client_id',
  'client_secret',
  'refresh_token',
  'access_token',
  'grant_token',
  'expiry_time',
  'redirect_url',
  'api_domain',
] as const;

/** A row keeps the text it was read from: an unchanged row is written back byte for byte (and fast). */
type Line =
  | { readonly kind: 'row'; readonly row: SdkRow; readonly text?: string }
  | { readonly kind: 'raw'; readonly text: string };

interface ParsedFile {
  readonly text: string;
  readonly header: string;
  /** 10, or 9 for a file of an older SDK (no api_domain), which stays 9 columns. */
  readonly columns: 9 | 10;
  readonly eol: '\n' | '\r\n';
  readonly finalEol: boolean;
  readonly lines: readonly Line[];
  readonly snapshot: RowSnapshot;
}

/** Attempts at a write before giving up when the integration keeps changing the file under it. */
const WRITE_ATTEMPTS = 5;

/**
 * The SDK FileStore's CSV file. Re-read on use: every call stats the file and re-parses when it changed, so
 * a token the integration wrote is seen at once. A write is a temp file beside it (same mode) renamed over
 * it, after checking that the file still holds exactly what the write was based on; if not, the change is
 * made again on the new content. Lines TokenDesk cannot read are kept byte for byte.
 */
export class FileStoreBackend implements SdkRowBackend {
  /** The file as last read or written: its stat key, its parse, and its bytes (what a write compares). */
  private cache: {
    readonly key: string;
    readonly parsed: ParsedFile;
    readonly bytes: Buffer;
    /** Its permission bits, which the file that replaces it keeps. */
    readonly mode: number;
  } | null = null;
  /** The file as TokenDesk's own last write left it: a watch event for exactly that is not news. */
  private ownWriteKey: string | null = null;

  constructor(private readonly path: string) {}

  /** Creates the file with the SDK's header (as the SDK does on first use) when it does not exist. */
  static create(path: string): FileStoreBackend {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, FILESTORE_HEADER.join(','));
      closeSync(fd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw storageError(path, error);
    }
    return new FileStoreBackend(path);
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
    return this.read().snapshot;
  }

  async candidates(step: LookupStep): Promise<readonly SdkRow[]> {
    return step.by === 'id'
      ? this.read().snapshot.rows.filter((r) => r.id === step.id)
      : this.read().snapshot.rows;
  }

  async insert(row: SdkRow, floor: number): Promise<string> {
    let id = '';
    this.rewrite((file) => {
      // The SDK's scheme: one above the highest id in the file (kept unreadable lines included).
      let max = floor;
      for (const line of file.lines) {
        const n = Number(line.kind === 'row' ? line.row.id : /^\s*"?(\d+)/.exec(line.text)?.[1]);
        if (Number.isSafeInteger(n) && n > max) max = n;
      }
      id = String(max + 1);
      return [...file.lines, { kind: 'row', row: { ...row, id } }];
    });
    return id;
  }

  async replace(expected: SdkRow, next: SdkRow): Promise<boolean> {
    let replaced = false;
    this.rewrite((file) => {
      replaced = false;
      return file.lines.map((line) => {
        if (line.kind !== 'row' || line.row.id !== expected.id) return line;
        if (!SDK_COLUMNS.every((c) => line.row[c] === expected[c])) return line;
        replaced = true;
        return { kind: 'row', row: next };
      });
    });
    return replaced;
  }

  async remove(id: string, expectedRefreshToken?: string | null): Promise<boolean> {
    let ok = true;
    this.rewrite((file) => {
      ok = true;
      return file.lines.filter((line) => {
        if (line.kind !== 'row' || line.row.id !== id) return true;
        if (expectedRefreshToken !== undefined && line.row.refresh_token !== expectedRefreshToken) {
          ok = false;
          return true;
        }
        return false;
      });
    });
    return ok;
  }

  async removeAll(): Promise<void> {
    // Unreadable lines are not tokens TokenDesk can name; "clear all" removes the tokens it lists.
    this.rewrite((file) => file.lines.filter((line) => line.kind === 'raw' && line.text.trim() !== ''));
  }

  async close(): Promise<void> {
    this.cache = null;
  }

  /**
   * Calls `onChange` when something else (the integration) changed the file: debounced, and not for
   * TokenDesk's own writes, which the caller already knows about.
   */
  watch(onChange: () => void): () => void {
    return watchFileChanges(this.path, () => {
      let key: string | null = null;
      try {
        key = fileKey(this.path);
      } catch {
        // Gone or unreadable: the next read says so in words; the list should ask.
      }
      if (key !== null && key === this.ownWriteKey) return;
      onChange();
    });
  }

  private read(): ParsedFile {
    return this.current().parsed;
  }

  private current(): { readonly parsed: ParsedFile; readonly bytes: Buffer; readonly mode: number } {
    let key: string;
    let mode: number;
    try {
      ({ key, mode } = fileStat(this.path));
    } catch (error) {
      throw storageError(this.path, error);
    }
    if (this.cache?.key === key) return this.cache;
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path);
    } catch (error) {
      throw storageError(this.path, error);
    }
    const parsed = parseFile(this.path, bytes.toString('utf8'));
    this.cache = { key, parsed, bytes, mode };
    return this.cache;
  }

  /** Read, change, and replace the file atomically, unless it changed meanwhile: then again, on the new content. */
  private rewrite(change: (file: ParsedFile) => Line[]): void {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const { parsed: file, bytes: base, mode } = this.current();
      const lines = withText(file, change(file));
      const text = serialise(file, lines);
      const out = Buffer.from(text, 'utf8');
      if (out.equals(base)) return;
      const temp = join(dirname(this.path), `.${basename(this.path)}.${randomBytes(6).toString('hex')}.tmp`);
      let renamed = false;
      try {
        // The same permissions as the file it replaces (the stat of this read).
        const fd = openSync(temp, 'wx', mode);
        try {
          writeSync(fd, out);
        } finally {
          closeSync(fd);
        }
        // Compare before replace, byte for byte: a line the integration wrote since our read must not
        // be lost (the bytes, not the stat: two writes of one size within a timestamp tick look alike).
        let now: Buffer;
        try {
          now = readFileSync(this.path);
        } catch (error) {
          throw storageError(this.path, error);
        }
        if (!now.equals(base)) {
          this.cache = null;
          continue;
        }
        renameSync(temp, this.path);
        renamed = true;
        this.remember(file, lines, text, out, mode);
        return;
      } finally {
        if (!renamed) rmSync(temp, { force: true });
      }
    }
    throw new TokenStoreError(
      'CONFLICT',
      'The token file kept changing while TokenDesk tried to write it; nothing was written.',
      { hint: 'Try again when the integration is idle.' },
    );
  }

  /** What was just written becomes the cache, so the next call does not parse the whole file again. */
  private remember(
    file: ParsedFile,
    lines: readonly Line[],
    text: string,
    bytes: Buffer,
    mode: number,
  ): void {
    this.cache = null;
    let key: string;
    try {
      key = fileKey(this.path);
    } catch {
      this.ownWriteKey = null;
      return;
    }
    this.ownWriteKey = key;
    // Unreadable lines carry line numbers in their messages: after a change, let the next read recount.
    if (file.snapshot.unreadable.length > 0) return;
    try {
      const rows = lines.flatMap((l) => (l.kind === 'row' ? [l.row] : []));
      if (rows.some((r, i) => i > 0 && Number(r.id) < Number(rows[i - 1]!.id))) {
        rows.sort((a, b) => Number(a.id) - Number(b.id));
      }
      this.cache = {
        key,
        parsed: { ...file, text, lines, snapshot: { rows, unreadable: [] } },
        bytes,
        mode,
      };
    } catch {
      this.cache = null;
    }
  }
}

/** What identifies one version of the file without reading it: inode, size and both times (ns). */
function fileStat(path: string): { key: string; mode: number } {
  const s = statSync(path, { bigint: true });
  return { key: `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`, mode: Number(s.mode) & 0o777 };
}

function fileKey(path: string): string {
  return fileStat(path).key;
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

export function parseFile(path: string, text: string): ParsedFile {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const physical = body.split(/\r?\n/);
  const finalEol = physical.length > 1 && physical[physical.length - 1] === '';
  if (finalEol) physical.pop();
  const header = physical[0] ?? '';
  const headerFields = splitLine(header)?.map((f) => f.trim().toLowerCase());
  const columns = headerFields?.length;
  if (!headerFields || (columns !== 9 && columns !== 10) || headerFields[0] !== 'id') {
    throw new TokenStoreError(
      'STORAGE',
      `${basename(path)} is not an SDK token file: its first line is not the SDK's header (id,user_mail,client_id,...).`,
      {
        hint: 'Choose the FileStore file your integration writes (the SDK names it sdk_tokens.txt by default).',
      },
    );
  }
  const lines: Line[] = [];
  const rows: SdkRow[] = [];
  const unreadable: UnreadableRow[] = [];
  for (const [index, text] of physical.slice(1).entries()) {
    const fields = text.trim() === '' ? null : splitLine(text);
    if (text.trim() === '') {
      lines.push({ kind: 'raw', text });
      continue;
    }
    const idField = fields?.[0]?.trim() ?? null;
    if (!fields || fields.length !== columns || !idField || !isWellFormedId(idField)) {
      lines.push({ kind: 'raw', text });
      const why = !fields
        ? 'it is not valid CSV'
        : fields.length !== columns
          ? `it has ${fields.length} fields where the header has ${columns}`
          : 'its id is not a number';
      unreadable.push({
        id: idField && isWellFormedId(idField) ? idField : null,
        userName: fields && fields.length === columns ? nullIfEmpty(fields[1]) : null,
        error: new TokenStoreError(
          'UNREADABLE_ROW',
          `Line ${index + 2} of the token file cannot be read (${why}); TokenDesk leaves it as it is.`,
        ),
      });
      continue;
    }
    const row: SdkRow = {
      id: idField,
      user_name: nullIfEmpty(fields[1]),
      client_id: nullIfEmpty(fields[2]),
      client_secret: nullIfEmpty(fields[3]),
      refresh_token: nullIfEmpty(fields[4]),
      access_token: nullIfEmpty(fields[5]),
      grant_token: nullIfEmpty(fields[6]),
      expiry_time: nullIfEmpty(fields[7]),
      redirect_url: nullIfEmpty(fields[8]),
      api_domain: nullIfEmpty(fields[9]),
    };
    lines.push({ kind: 'row', row, text });
    rows.push(row);
  }
  if (rows.some((r, i) => i > 0 && Number(r.id) < Number(rows[i - 1]!.id))) {
    rows.sort((a, b) => Number(a.id) - Number(b.id));
  }
  return {
    text,
    header: text.startsWith('\uFEFF') ? `\uFEFF${header}` : header,
    columns: columns as 9 | 10,
    eol,
    finalEol,
    lines,
    snapshot: { rows, unreadable },
  };
}

/** Every row line with its text: kept for rows read from the file, made for new or changed rows. */
function withText(file: ParsedFile, lines: readonly Line[]): Line[] {
  return lines.map((line) =>
    line.kind === 'raw' || line.text !== undefined
      ? line
      : { ...line, text: joinLine(SDK_COLUMNS.slice(0, file.columns).map((c) => line.row[c] ?? '')) },
  );
}

function serialise(file: ParsedFile, lines: readonly Line[]): string {
  const out = [file.header];
  for (const line of lines) out.push(line.text ?? '');
  return out.join(file.eol) + (file.finalEol ? file.eol : '');
}
