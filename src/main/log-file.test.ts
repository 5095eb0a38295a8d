import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './log';
import { LOG_FILE_NAME, logToFile, type RotatingFileLog } from './log-file';

const REFRESH_TOKEN = '1000.6f1c2b3a4d5e6f708192a3b4c5d6e7f8.0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const CLIENT_SECRET = 'client-secret-value-42';

let dir: string;
let log: RotatingFileLog | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokendesk-log-'));
  // The console sink stays on; keep the test output quiet.
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  log?.close();
  log = null;
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function fileLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the app log file', () => {
  it('writes one JSON line per record, readable by its owner only', () => {
    log = logToFile(dir);
    createLogger('zoho.accounts').warn('refresh failed', { errorCode: 'INVALID_CODE', status: 200 });
    const [line] = fileLines(join(dir, LOG_FILE_NAME));
    expect(line).toMatchObject({
      level: 'warn',
      logger: 'zoho.accounts',
      message: 'refresh failed',
      fields: { errorCode: 'INVALID_CODE', status: 200 },
    });
    expect(new Date(String(line?.time)).toString()).not.toBe('Invalid Date');
    if (process.platform !== 'win32') expect(statSync(log.path).mode & 0o777).toBe(0o600);
  });

  it('holds no secret in its bytes, whether passed as a field, in prose or inside an error', () => {
    log = logToFile(dir);
    const logger = createLogger('t');
    logger.error('exchange failed', {
      refreshToken: REFRESH_TOKEN,
      client_secret: CLIENT_SECRET,
      error: new Error(`Zoho said no to refresh_token=${REFRESH_TOKEN}`),
    });
    logger.info(`imported ${REFRESH_TOKEN} with clientSecret: ${CLIENT_SECRET}`);
    const bytes = readFileSync(log.path);
    expect(bytes.includes(REFRESH_TOKEN)).toBe(false);
    expect(bytes.includes(REFRESH_TOKEN.slice(5, 37))).toBe(false);
    expect(bytes.includes(CLIENT_SECRET)).toBe(false);
    // The lines are there, with their secrets masked.
    expect(bytes.toString('utf8')).toContain('[redacted');
    expect(fileLines(log.path)).toHaveLength(2);
  });

  it('rotates by size and keeps only the newest files', () => {
    log = logToFile(dir, { maxBytes: 400, keep: 2 });
    const logger = createLogger('rotation');
    for (let i = 0; i < 40; i++) logger.info(`line ${i} ${'x'.repeat(40)}`);
    const files = readdirSync(dir).sort();
    expect(files).toEqual([LOG_FILE_NAME, `${LOG_FILE_NAME}.1`, `${LOG_FILE_NAME}.2`]);
    for (const file of files) expect(statSync(join(dir, file)).size).toBeLessThan(400 + 200);
    // The newest line is in the current file, and the older generations hold older lines in order.
    const current = fileLines(join(dir, LOG_FILE_NAME));
    expect(current.at(-1)?.message).toMatch(/^line 39 /);
    const older = fileLines(join(dir, `${LOG_FILE_NAME}.1`));
    const olderIndex = Number(String(older.at(-1)?.message).split(' ')[1]);
    const currentFirst = Number(String(current[0]?.message).split(' ')[1]);
    expect(olderIndex).toBe(currentFirst - 1);
  });

  it('appends to the file an earlier run left', () => {
    log = logToFile(dir);
    createLogger('run').info('first run');
    log.close();
    log = logToFile(dir);
    createLogger('run').info('second run');
    expect(fileLines(log.path).map((l) => l.message)).toEqual(['first run', 'second run']);
  });

  it('stops writing after close, and the console keeps logging', () => {
    log = logToFile(dir);
    log.close();
    const path = log.path;
    log = null;
    createLogger('after').info('not in the file');
    expect(readFileSync(path, 'utf8')).toBe('');
    expect(console.log).toHaveBeenCalled();
  });
});
