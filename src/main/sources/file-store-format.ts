import { basename } from 'node:path';
import { isWellFormedId } from '../store/token-matching';
import { TokenStoreError } from '../store/token-store';
import { joinLine, splitLine } from './csv-line';
import { nullIfEmpty, SDK_COLUMNS, type SdkRow } from './sdk-row';
import type { RowSnapshot, UnreadableRow } from './sdk-row-backend';

/** The header the SDKs write (Node SDK `user_name`, Python `redirect_uri`: columns are positional). */
export const FILESTORE_HEADER: readonly string[] = SDK_COLUMNS.map((c) =>
  c === 'user_name' ? 'user_mail' : c,
);

/** A row keeps the text it was read from: an unchanged row is written back byte for byte (and fast). */
export type Line =
  | { readonly kind: 'row'; readonly row: SdkRow; readonly text?: string }
  | { readonly kind: 'raw'; readonly text: string };

export interface ParsedFile {
  readonly header: string;
  /** 10, or 9 for a file of an older SDK (no api_domain), which stays 9 columns. */
  readonly columns: 9 | 10;
  readonly eol: '\n' | '\r\n';
  readonly finalEol: boolean;
  readonly lines: readonly Line[];
  readonly snapshot: RowSnapshot;
  /**
   * Where each line's text starts in the file's bytes, when every character is one byte (an ASCII file,
   * as SDK token files are): one changed line is then spliced into the bytes instead of writing every
   * line out again. Null otherwise.
   */
  readonly starts: Int32Array | null;
}

export function parseFile(path: string, text: string, byteLength: number): ParsedFile {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  // As body.split(/\r?\n/), keeping where each line starts.
  const physical: string[] = [];
  const offsets: number[] = [];
  for (let from = 0; ; ) {
    const nl = body.indexOf('\n', from);
    offsets.push(from);
    if (nl === -1) {
      physical.push(body.slice(from));
      break;
    }
    physical.push(body.slice(from, nl > from && body.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
    from = nl + 1;
  }
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
  for (let index = 1; index < physical.length; index++) {
    const text = physical[index]!;
    if (text.trim() === '') {
      lines.push({ kind: 'raw', text });
      continue;
    }
    const fields = splitLine(text);
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
          `Line ${index + 1} of the token file cannot be read (${why}); TokenDesk leaves it as it is.`,
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
  sortById(rows);
  return {
    header: text.startsWith('\uFEFF') ? `\uFEFF${header}` : header,
    columns: columns as 9 | 10,
    eol,
    finalEol,
    lines,
    snapshot: { rows, unreadable },
    starts: byteLength === text.length ? Int32Array.from(offsets.slice(1, lines.length + 1)) : null,
  };
}

/** Rows in id order (a file is nearly always in that order already). */
export function sortById(rows: SdkRow[]): void {
  if (rows.some((r, i) => i > 0 && Number(r.id) < Number(rows[i - 1]!.id))) {
    rows.sort((a, b) => Number(a.id) - Number(b.id));
  }
}

/** A row as one line of this file: its columns (9 or 10), plain unless a value needs quoting. */
export function rowLine(file: ParsedFile, row: SdkRow): string {
  return joinLine(SDK_COLUMNS.slice(0, file.columns).map((c) => row[c] ?? ''));
}

/** Every row line with its text: kept for rows read from the file, made for new or changed rows. */
export function withText(file: ParsedFile, lines: readonly Line[]): Line[] {
  return lines.map((line) =>
    line.kind === 'raw' || line.text !== undefined ? line : { ...line, text: rowLine(file, line.row) },
  );
}

/** The whole file, and where each line starts in it when it is ASCII (see `ParsedFile.starts`). */
export function serialise(
  file: ParsedFile,
  lines: readonly Line[],
): { readonly text: string; readonly starts: Int32Array | null } {
  const out = [file.header];
  const starts = new Int32Array(lines.length);
  let at = file.header.length + file.eol.length;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.text ?? '';
    starts[i] = at;
    at += text.length + file.eol.length;
    out.push(text);
  }
  const text = out.join(file.eol) + (file.finalEol ? file.eol : '');
  return { text, starts: Buffer.byteLength(text) === text.length ? starts : null };
}
