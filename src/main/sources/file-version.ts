import type { BigIntStats } from 'node:fs';

/** What identifies one version of a file without reading it (all four, as the file system reports them). */
export interface FileStamp {
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

/** How a stat becomes a stamp: the file system's own times in production; tests may coarsen them. */
export type StampOf = (stats: BigIntStats) => FileStamp;

export const stampOf: StampOf = (s) => ({ ino: s.ino, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs });

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

export function stampKey(s: FileStamp): string {
  return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/**
 * File times tick coarsely (a jiffy on many Linux file systems, a second or two on older and FAT ones), so
 * an in-place write of the same size in the same tick as the one before leaves the stamp as it was. A
 * stamp therefore vouches for the content only when the content was confirmed (read, compared or written)
 * more than this long after the file's last change: any later write then gets a later time. Until then
 * the bytes are compared (docs/sources.md "Never overwriting what the integration wrote").
 */
export const TIMESTAMP_MARGIN_MS = 3_000;

/**
 * Whether an unchanged stamp proves unchanged content. `confirmedAtMs`: when the content was last known,
 * taken before the read or write that made it known, on this computer's clock.
 */
export function stampVouches(stamp: FileStamp, confirmedAtMs: number): boolean {
  const changedMs = Math.max(Number(stamp.mtimeNs / 1_000_000n), Number(stamp.ctimeNs / 1_000_000n));
  return confirmedAtMs - changedMs > TIMESTAMP_MARGIN_MS;
}
