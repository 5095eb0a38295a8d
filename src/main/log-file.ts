import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { consoleSink, type LogRecord, type LogSink, setLogSink } from './log';

/**
 * The app log on disk: one JSON object per line in `<dir>/tokendesk.log`, rotated by size into
 * `tokendesk.log.1` ... `tokendesk.log.<keep>`. Records reach it already redacted (log.ts redacts before any
 * sink), so the file holds no more than the console would.
 *
 * Written synchronously on purpose: the line that explains a failed start is followed at once by a dialog
 * and `app.exit`, and an asynchronous stream (pino's transports, rotating-file-stream) may not have
 * flushed it by then. A log line is small and rare enough that a blocking append costs nothing visible.
 */
export const LOG_FILE_NAME = 'tokendesk.log';
const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_KEEP = 3;
/** Owner-only, like the database files: a log names users and clients. */
const LOG_FILE_MODE = 0o600;
const LOG_DIR_MODE = 0o700;

export interface RotatingFileLog {
  readonly sink: LogSink;
  /** The current log file. */
  readonly path: string;
  readonly dir: string;
  close(): void;
}

export interface RotatingFileLogOptions {
  readonly dir: string;
  /** Rotate once the current file has reached this many bytes. */
  readonly maxBytes?: number;
  /** Rotated files kept beside the current one; older ones are deleted. */
  readonly keep?: number;
  /** Default `tokendesk.log`; another process (the simulator) writes its own file in the same folder. */
  readonly fileName?: string;
}

export function openRotatingFileLog(options: RotatingFileLogOptions): RotatingFileLog {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const keep = Math.max(1, options.keep ?? DEFAULT_KEEP);
  mkdirSync(options.dir, { recursive: true, mode: LOG_DIR_MODE });
  const path = join(options.dir, options.fileName ?? LOG_FILE_NAME);
  let fd: number | null = openSync(path, 'a', LOG_FILE_MODE);
  let size = fstatSync(fd).size;
  // A disk that refuses the log must not take the app down with it; the console still gets every line.
  let broken = false;

  const rotate = () => {
    if (fd !== null) closeSync(fd);
    rmSync(`${path}.${keep}`, { force: true });
    for (let n = keep - 1; n >= 1; n--) {
      try {
        renameSync(`${path}.${n}`, `${path}.${n + 1}`);
      } catch {
        // That generation does not exist yet.
      }
    }
    renameSync(path, `${path}.1`);
    fd = openSync(path, 'a', LOG_FILE_MODE);
    size = 0;
  };

  const sink: LogSink = (record) => {
    if (fd === null || broken) return;
    try {
      if (size >= maxBytes) rotate();
      if (fd === null) return;
      const line = Buffer.from(`${formatRecord(record)}\n`, 'utf8');
      writeSync(fd, line);
      size += line.length;
    } catch {
      broken = true;
    }
  };

  return {
    sink,
    path,
    dir: options.dir,
    close: () => {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

function formatRecord(record: LogRecord): string {
  return JSON.stringify({
    time: new Date(record.time).toISOString(),
    level: record.level,
    logger: record.logger,
    message: record.message,
    ...(record.fields && Object.keys(record.fields).length > 0 ? { fields: record.fields } : {}),
  });
}

/**
 * Sends every log line to the console and to a rotating file in `dir` (the app's data folder, the CLI's, or
 * the simulator's). Returns the file log so the caller can name its path in an error and close it at exit.
 */
export function logToFile(
  dir: string,
  options: Omit<RotatingFileLogOptions, 'dir'> & {
    /**
     * Where else each line goes: the console by default; null for none (the `tokendesk` command, whose
     * standard output is its answer, `--json` included, and whose errors it prints itself).
     */
    readonly echo?: LogSink | null;
  } = {},
): RotatingFileLog {
  const { echo = consoleSink, ...fileOptions } = options;
  const file = openRotatingFileLog({ ...fileOptions, dir });
  const restore = setLogSink((record) => {
    echo?.(record);
    file.sink(record);
  });
  return {
    ...file,
    close: () => {
      restore();
      file.close();
    },
  };
}
