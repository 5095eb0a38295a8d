import { type Line, type ParsedFile, rowLine, serialise, sortById, withText } from './file-store-format';
import type { FileStamp } from './file-version';
import { firstIndexOfId, type SdkRow } from './sdk-row';

/**
 * Edits of an SDK token file's known version (file-store-backend.ts): a changed row spliced into the bytes
 * it was read from, or the whole file written out line by line.
 */

/** One version of the file as TokenDesk read or wrote it. */
export interface Version {
  readonly stamp: FileStamp;
  /** Its permission bits, which the file that replaces it keeps. */
  readonly mode: number;
  readonly bytes: Buffer;
  readonly parsed: ParsedFile;
  /** When the file last held exactly `bytes`, as far as TokenDesk knows (file-version.ts). */
  confirmedAt: number;
  /** Line index of each row id (-1: the id is on several lines), built on first use. */
  lineOfId: Map<string, number> | null;
}

/** A change to the file: its new bytes, and its new parse when known without reading it again. */
export type Edit = {
  readonly out: Buffer;
  readonly parsed: ParsedFile | null;
  readonly sameIds: boolean;
} | null;

/** The line index of row `id` in this version; -1 when several lines hold it; undefined when none does. */
export function lineIndexOf(v: Version, id: string): number | undefined {
  if (v.lineOfId === null) {
    const map = new Map<string, number>();
    v.parsed.lines.forEach((line, i) => {
      if (line.kind === 'row' && line.row.id !== null) map.set(line.row.id, map.has(line.row.id) ? -1 : i);
    });
    v.lineOfId = map;
  }
  return v.lineOfId.get(id);
}

/** Row line `at` takes `row`: its bytes spliced in, every other byte as it was, the parse kept up to date. */
export function spliceRow(v: Version, at: number, row: SdkRow): Edit {
  const file = v.parsed;
  const old = file.lines[at]!;
  const oldText = old.text ?? '';
  const text = rowLine(file, row);
  if (text === oldText) return null;
  const lines = file.lines.slice();
  lines[at] = { kind: 'row', row, text };
  if (file.starts === null) return wholeFile(v, lines);
  const rows = file.snapshot.rows.slice();
  const r = firstIndexOfId(rows, row.id ?? '');
  if (rows[r]?.id !== row.id) return wholeFile(v, lines);
  rows[r] = row;
  const start = file.starts[at]!;
  const added = Buffer.from(text, 'utf8');
  const out = Buffer.concat([v.bytes.subarray(0, start), added, v.bytes.subarray(start + oldText.length)]);
  let starts: Int32Array | null = null;
  if (added.length === text.length) {
    starts = file.starts.slice();
    const shift = text.length - oldText.length;
    for (let i = at + 1; i < starts.length; i++) starts[i]! += shift;
  }
  const parsed = { ...file, lines, snapshot: { rows, unreadable: file.snapshot.unreadable }, starts };
  return { out, parsed, sameIds: true };
}

/** The file written out line by line (inserts and removals); null when that changes nothing. */
export function wholeFile(v: Version, changed: readonly Line[]): Edit {
  const file = v.parsed;
  const lines = withText(file, changed);
  const { text, starts } = serialise(file, lines);
  const out = Buffer.from(text, 'utf8');
  if (out.equals(v.bytes)) return null;
  // Unreadable lines carry line numbers in their messages: after a change, let the next read recount.
  if (file.snapshot.unreadable.length > 0) return { out, parsed: null, sameIds: false };
  const rows = lines.flatMap((l) => (l.kind === 'row' ? [l.row] : []));
  sortById(rows);
  return { out, parsed: { ...file, lines, snapshot: { rows, unreadable: [] }, starts }, sameIds: false };
}
