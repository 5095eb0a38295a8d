/**
 * A failed write (SQLite or the file system) in words a person reads, whatever layer raised it: the
 * store wraps SQLite errors in TokenStoreError with the original as `cause`, the audit and notes tables
 * throw SQLite's own error, and a busy database may come back as a typed code. The cause chain is walked
 * for the first code that says what happened.
 */
const WORDS: Readonly<Record<string, string>> = {
  SQLITE_FULL: 'disk full',
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  SQLITE_BUSY: 'the database is busy (held by another program)',
  SQLITE_LOCKED: 'the database is busy (held by another program)',
  DATABASE_BUSY: 'the database is busy (held by another program)',
  SQLITE_READONLY: 'the database is read-only',
  EROFS: 'the database is read-only',
  EACCES: 'no permission to write the database',
  SQLITE_IOERR: 'a disk read/write error',
  EIO: 'a disk read/write error',
  SQLITE_CORRUPT: 'the database file is damaged',
  LOCKED: 'the token store is locked',
};

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

export function describeWriteFailure(error: unknown): string {
  for (const code of codesOf(error)) {
    const words = WORDS[code] ?? WORDS[code.replace(/_[A-Z]+$/, '')];
    if (words) return words;
  }
  return 'a database error';
}
