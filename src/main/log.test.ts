import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type LogRecord, redactSecrets, setLogSink } from './log';

let restore: () => void = () => {};
afterEach(() => restore());

function capture(): LogRecord[] {
  const records: LogRecord[] = [];
  restore = setLogSink((r) => records.push(r));
  return records;
}

describe('logger redaction', () => {
  it('masks a grant code field but shows an error code', () => {
    const records = capture();
    createLogger('t').warn('exchange failed', {
      code: 'grant-code-value',
      errorCode: 'INVALID_CLIENT',
      nested: { code: 'other-grant-code', errorCode: 'INVALID_CODE' },
    });
    expect(records[0]?.fields).toEqual({
      code: '[redacted]',
      errorCode: 'INVALID_CLIENT',
      nested: { code: '[redacted]', errorCode: 'INVALID_CODE' },
    });
  });

  it('masks `code=` pairs and token-shaped values in text, not `errorCode=`', () => {
    expect(redactSecrets('GET /callback?code=abc&state=s errorCode=INVALID_CLIENT')).toBe(
      'GET /callback?code=[redacted]&state=s errorCode=INVALID_CLIENT',
    );
    expect(redactSecrets('token 1000.0123456789abcdef.0123456789abcdef')).toBe('token [redacted-token]');
  });

  it('masks secrets inside arrays, `name: value` prose and JSON text', () => {
    const records = capture();
    createLogger('t').info('batch', {
      list: ['1000.0123456789abcdef.0123456789abcdef', { refreshToken: 'r-secret', user: 'a@b.c' }],
      errorCodes: ['INVALID_CODE'],
    });
    expect(records[0]?.fields).toEqual({
      list: ['[redacted-token]', { refreshToken: '[redacted]', user: 'a@b.c' }],
      errorCodes: ['INVALID_CODE'],
    });
    expect(redactSecrets('passphrase: hunter2hunter2, user: ana')).toBe('passphrase: [redacted], user: ana');
    expect(redactSecrets('{"client_secret":"s3cr3t","user":"ana"}')).toBe(
      '{"client_secret":"[redacted]","user":"ana"}',
    );
    expect(redactSecrets("{client_secret: 's3cr3t'}")).toBe("{client_secret: '[redacted]'}");
    expect(redactSecrets('errorCode: INVALID_CLIENT')).toBe('errorCode: INVALID_CLIENT');
    expect(redactSecrets('{"code":"grant-code-1"}')).toBe('{"code":"[redacted]"}');
    // Prose keeps its words: only quoted values follow `code:` or `token:` as secrets.
    expect(redactSecrets('the grant code: it was already used')).toBe('the grant code: it was already used');
  });
});
