/**
 * Named loggers with secret redaction (docs/architecture.md "Style"). Every module logs through `createLogger`;
 * messages and fields pass through `redactSecrets` before they reach a sink, so a token value that slips
 * into a log line is masked. Tests swap the sink to capture and scan every line.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  readonly time: number;
  readonly level: LogLevel;
  readonly logger: string;
  readonly message: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

export type LogSink = (record: LogRecord) => void;

/** The default sink: one line per record on stdout/stderr. */
export const consoleSink: LogSink = (r) => {
  if (r.level === 'debug' && !process.env.TOKENDESK_DEBUG) return;
  const line = `[${new Date(r.time).toISOString()}] ${r.level.toUpperCase()} ${r.logger}: ${r.message}`;
  const extra = r.fields && Object.keys(r.fields).length > 0 ? ` ${JSON.stringify(r.fields)}` : '';
  (r.level === 'error' ? console.error : r.level === 'warn' ? console.warn : console.log)(line + extra);
};

let sink: LogSink = consoleSink;

/** Replaces the sink (tests capture records with this); returns a function that restores the old one. */
export function setLogSink(next: LogSink): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}

// Zoho access, refresh and grant tokens look like `1000.<hex>.<hex>`; field names below are always secrets.
// `code` is the OAuth grant code (RFC 6749 §4.1.2), so it stays secret: log error codes as `errorCode`.
const ZOHO_TOKEN_PATTERN = /\b1000\.[0-9a-f]{8,}(?:\.[0-9a-f]{8,})?\b/gi;
const UNAMBIGUOUS_SECRET_NAMES =
  'client_secret|clientSecret|refresh_token|refreshToken|access_token|accessToken|grant_token|grantToken|passphrase|password';
// `code` and `token` are secrets as field names but ordinary words in prose ("the grant code: it was used").
const SECRET_NAMES = `${UNAMBIGUOUS_SECRET_NAMES}|code|token`;
// `name=value` (URLs, forms), `"name":"value"` or `name: 'value'` (JSON and object text), and an unquoted
// `name: value` for the unambiguous names. `\b`: the name must stand alone, so `errorCode=INVALID_CLIENT`
// is not a `code=` pair.
const SECRET_FIELD_PATTERN = new RegExp(`\\b(${SECRET_NAMES})=([^&\\s"']+)`, 'gi');
const SECRET_QUOTED_PATTERN = new RegExp(`\\b(${SECRET_NAMES})(["']?\\s*:\\s*)(["'])[^"']*\\3`, 'gi');
const SECRET_PROSE_PATTERN = new RegExp(`\\b(${UNAMBIGUOUS_SECRET_NAMES})(\\s*:\\s*)([^\\s"',}&]+)`, 'gi');
const SECRET_KEYS = new Set([
  'client_secret',
  'clientsecret',
  'refresh_token',
  'refreshtoken',
  'access_token',
  'accesstoken',
  'grant_token',
  'granttoken',
  'code',
  'passphrase',
  'password',
  'authorization',
  'token',
]);

/** Masks anything that looks like a Zoho token or a secret `name=value`, `name: value` or JSON pair. */
export function redactSecrets(text: string): string {
  return text
    .replace(SECRET_FIELD_PATTERN, (_m, key: string) => `${key}=[redacted]`)
    .replace(SECRET_QUOTED_PATTERN, (_m, key: string, colon: string, quote: string) => {
      return `${key}${colon}${quote}[redacted]${quote}`;
    })
    .replace(SECRET_PROSE_PATTERN, (_m, key: string, colon: string) => `${key}${colon}[redacted]`)
    .replace(ZOHO_TOKEN_PATTERN, '[redacted-token]');
}

function redactValue(key: string, value: unknown): unknown {
  if (SECRET_KEYS.has(key.toLowerCase())) return '[redacted]';
  if (typeof value === 'string') return redactSecrets(value);
  if (value instanceof Error) return redactSecrets(value.message);
  // Array items inherit the array's name: a list under `tokens` is as secret as the list.
  if (Array.isArray(value)) return value.map((item) => redactValue(key, item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(k, v)]));
  }
  return value;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(name: string): Logger {
  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    const safeFields = fields
      ? (Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, redactValue(k, v)])) as Record<
          string,
          unknown
        >)
      : undefined;
    sink({ time: Date.now(), level, logger: name, message: redactSecrets(message), fields: safeFields });
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
