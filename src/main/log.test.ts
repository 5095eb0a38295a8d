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
});
