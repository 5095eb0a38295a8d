import type { StampOf } from '../file-version';

/**
 * A file system whose clock does not move while a test runs: every stat reports the times first seen, so
 * a write in place that keeps the size keeps the whole stamp, as two writes in one coarse timestamp tick
 * do (a jiffy on Linux, 2 s on FAT). Inode and size are the file's own.
 */
export function frozenFileTimes(): StampOf {
  let times: { readonly mtimeNs: bigint; readonly ctimeNs: bigint } | null = null;
  return (stats) => {
    times ??= { mtimeNs: stats.mtimeNs, ctimeNs: stats.ctimeNs };
    return { ino: stats.ino, size: stats.size, ...times };
  };
}
