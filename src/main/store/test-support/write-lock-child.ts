/**
 * Child process that plays "another program holding the database": opens the file named by
 * TOKENDESK_LOCK_DB with plain better-sqlite3 (as an SDK app would), takes the write lock with
 * BEGIN IMMEDIATE, prints `locked`, and holds it until a line arrives on stdin (or stdin closes); then
 * it rolls back, prints `released` and exits.
 */
import Database from 'better-sqlite3';

const path = process.env.TOKENDESK_LOCK_DB;
if (!path) throw new Error('TOKENDESK_LOCK_DB is required');

const db = new Database(path);
db.pragma('journal_mode = WAL');
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\n');

let done = false;
const release = () => {
  if (done) return;
  done = true;
  db.exec('ROLLBACK');
  db.close();
  process.stdout.write('released\n');
  process.exit(0);
};
process.stdin.on('data', release);
process.stdin.on('end', release);
