/**
 * Faults for the fault-injection tier, injected at the SQLite layer of the app's own connection (no
 * mock of what is integrated):
 * - `injectDiskFull`: a real SQLITE_FULL ("database or disk is full"). `PRAGMA max_page_count` caps the
 *   file at its current size plus a little, and TEMP triggers (this connection only) make each write to
 *   the chosen tables first write a blob bigger than what is left, so exactly those writes fail as they
 *   would on a full disk, while reads and other tables keep working.
 * - `holdWriteLock`: another process holding the database's write lock (BEGIN IMMEDIATE), as an SDK app
 *   sharing the file can.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

export type FaultTable = 'tokens' | 'audit_log' | 'token_notes' | 'pending_revokes';
export const ALL_TABLES: readonly FaultTable[] = ['tokens', 'audit_log', 'token_notes', 'pending_revokes'];

/** Room left for writes the fault does not target (e.g. the WAL index). */
const SPARE_PAGES = 16;
let triggerSeq = 0;

export function injectDiskFull(
  db: BetterSqlite3.Database,
  tables: readonly FaultTable[] = ALL_TABLES,
): () => void {
  db.exec('CREATE TABLE IF NOT EXISTS main.fault_filler (data BLOB)');
  const pages = Number(db.pragma('page_count', { simple: true }));
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  db.pragma(`max_page_count = ${pages + SPARE_PAGES}`);
  const blob = pageSize * (SPARE_PAGES + 8);
  const names: string[] = [];
  for (const table of tables) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      const name = `fault_full_${++triggerSeq}`;
      names.push(name);
      db.exec(
        `CREATE TEMP TRIGGER ${name} BEFORE ${event} ON main.${table} BEGIN INSERT INTO main.fault_filler VALUES (zeroblob(${blob})); END;`,
      );
    }
  }
  return () => {
    for (const name of names) db.exec(`DROP TRIGGER IF EXISTS temp.${name}`);
    db.pragma('max_page_count = 1073741823');
  };
}

const HOLDER = `
const Database = require(process.env.FAULT_SQLITE_MODULE);
const db = new Database(process.env.FAULT_DB);
db.pragma('busy_timeout = 5000');
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\\n');
process.stdin.resume();
process.stdin.on('end', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
`;

/** Another process holds the write lock of `path` until `release` (or it is killed). */
export async function holdWriteLock(
  path: string,
): Promise<{ release(): Promise<void>; child: ChildProcess }> {
  const require = createRequire(import.meta.url);
  const child = spawn(process.execPath, ['-e', HOLDER], {
    env: { ...process.env, FAULT_DB: path, FAULT_SQLITE_MODULE: require.resolve('better-sqlite3') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.stdout?.on('data', (c: Buffer) => {
      if (c.toString().includes('locked')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited (${code}): ${err}`)));
  });
  return {
    child,
    release: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

/** Counts scenarios so the tier can print how many it ran. */
export class ScenarioCounter {
  private readonly names: string[] = [];
  add(name: string): void {
    this.names.push(name);
  }
  get count(): number {
    return this.names.length;
  }
}
