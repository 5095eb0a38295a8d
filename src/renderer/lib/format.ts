import { EXPIRY_MARGIN_MS } from '../../shared/token-status';
/**
 * Date, time and duration text for the console. Everything goes through Intl so the admin sees their own
 * locale and time zone; formatters are cached because building one per cell is measurable at 10k rows.
 */

export interface FormatOptions {
  /** BCP 47 locale; undefined means the user's own. */
  readonly locale?: string | undefined;
  /** IANA zone; undefined means the user's own (tests pin it). */
  readonly timeZone?: string | undefined;
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>(
  key: string,
  make: () => T,
): T {
  const hit = cache.get(key);
  if (hit) return hit as T;
  const made = make();
  cache.set(key, made);
  return made;
}

function dateTimeFormat(opts: FormatOptions, shape: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `dt|${opts.locale ?? ''}|${opts.timeZone ?? ''}|${JSON.stringify(shape)}`;
  return cached(key, () => new Intl.DateTimeFormat(opts.locale, { ...shape, timeZone: opts.timeZone }));
}

function unitFormat(opts: FormatOptions, unit: 'second' | 'minute' | 'hour' | 'day'): Intl.NumberFormat {
  return cached(
    `unit|${opts.locale ?? ''}|${unit}`,
    () => new Intl.NumberFormat(opts.locale, { style: 'unit', unit, unitDisplay: 'short' }),
  );
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export { EXPIRY_MARGIN_MS };

/**
 * The live countdown beside an access-token expiry: `mm:ss` under an hour (what changes every second is
 * what the admin watches), coarser beyond. A dash (—) when there is no expiry.
 */
export function formatCountdown(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return '—';
  const left = expiresAt - now;
  if (left < EXPIRY_MARGIN_MS) return 'Expired';
  if (left < HOUR) {
    const totalSeconds = Math.floor(left / SECOND);
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  }
  if (left < DAY) {
    // Clock notation like the mm:ss below it, so a fresh token reads 1:00:00 and then 59:59, not "1 h 00 min".
    const totalSeconds = Math.floor(left / SECOND);
    const hours = Math.floor(totalSeconds / 3600);
    const minutes = Math.floor((totalSeconds % 3600) / 60);
    const seconds = totalSeconds % 60;
    return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  }
  const days = Math.floor(left / DAY);
  const hours = Math.floor((left % DAY) / HOUR);
  return `${days} d ${hours} h`;
}

/**
 * A duration in words for sentences such as "The token expires in 42 min". Rounds down so the text never
 * promises more time than is left.
 */
export function formatDurationWords(ms: number, opts: FormatOptions = {}): string {
  const left = Math.max(0, ms);
  if (left < MINUTE) return unitFormat(opts, 'second').format(Math.floor(left / SECOND));
  if (left < HOUR) return unitFormat(opts, 'minute').format(Math.floor(left / MINUTE));
  if (left < DAY) {
    const hours = Math.floor(left / HOUR);
    const minutes = Math.floor((left % HOUR) / MINUTE);
    const h = unitFormat(opts, 'hour').format(hours);
    return minutes === 0 ? h : `${h} ${unitFormat(opts, 'minute').format(minutes)}`;
  }
  return unitFormat(opts, 'day').format(Math.floor(left / DAY));
}

/** "expires in 42 min" / "has expired" / "has no access token yet", for toasts and the details panel. */
export function describeExpiry(expiresAt: number | null, now: number, opts: FormatOptions = {}): string {
  if (expiresAt === null) return 'has no access token yet';
  const left = expiresAt - now;
  if (left < EXPIRY_MARGIN_MS) return 'has expired';
  return `expires in ${formatDurationWords(left, opts)}`;
}

const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

/** Each unit, its size, and the distance below which it is used; years beyond the last. */
const RELATIVE_STEPS: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number, number]> = [
  ['second', SECOND, MINUTE],
  ['minute', MINUTE, HOUR],
  ['hour', HOUR, DAY],
  ['day', DAY, MONTH],
  ['month', MONTH, YEAR],
];

/** "3 minutes ago", "yesterday", "in 2 hours" (Intl.RelativeTimeFormat, numeric: auto). */
export function formatRelative(at: number | null, now: number, opts: FormatOptions = {}): string {
  if (at === null) return 'Never';
  const diff = at - now;
  const abs = Math.abs(diff);
  const rtf = cached(
    `rel|${opts.locale ?? ''}`,
    () => new Intl.RelativeTimeFormat(opts.locale, { numeric: 'auto', style: 'long' }),
  );
  if (abs < 10 * SECOND) return rtf.format(0, 'second');
  // Truncate towards zero: "59 minutes ago" must not read as "1 hour ago".
  for (const [unit, size, below] of RELATIVE_STEPS) {
    if (abs < below) return rtf.format(Math.trunc(diff / size), unit);
  }
  return rtf.format(Math.trunc(diff / YEAR), 'year');
}

/**
 * Absolute local time. Today shows the time only (with seconds, to line up with the countdown); other
 * days add the date.
 */
export function formatAbsolute(at: number | null, now: number, opts: FormatOptions = {}): string {
  if (at === null) return '—';
  const dayKey = dateTimeFormat(opts, { year: 'numeric', month: '2-digit', day: '2-digit' });
  if (dayKey.format(at) === dayKey.format(now)) {
    return dateTimeFormat(opts, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(at);
  }
  return dateTimeFormat(opts, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** Full timestamp for titles, audit rows and exports. */
export function formatTimestamp(at: number, opts: FormatOptions = {}): string {
  return dateTimeFormat(opts, { dateStyle: 'medium', timeStyle: 'medium' }).format(at);
}

/** `1000.ABCDEF…WXYZ` keeps the recognisable head and tail of a long client id; the full id goes in a title. */
export function shortenClientId(clientId: string | null, head = 10, tail = 4): string {
  if (clientId === null || clientId === '') return '—';
  if (clientId.length <= head + tail + 1) return clientId;
  return `${clientId.slice(0, head)}…${clientId.slice(-tail)}`;
}

/**
 * Short labels for a set of client ids that stay as distinct as the ids: where two ids would shorten to the
 * same `head…tail` (`1000.DEMOT…0001` for two clients that differ in the middle), the head of each grows
 * just past the first character where they differ, or the full id is shown.
 */
export function distinctClientIdLabels(clientIds: Iterable<string | null>): (id: string | null) => string {
  const groups = new Map<string, Set<string>>();
  for (const id of clientIds) {
    if (id === null || id === '') continue;
    const label = shortenClientId(id);
    const group = groups.get(label) ?? new Set<string>();
    group.add(id);
    groups.set(label, group);
  }
  const labels = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.size === 1) continue;
    const ids = [...group];
    let head = 10;
    while (
      new Set(ids.map((id) => id.slice(0, head))).size < ids.length &&
      head < Math.max(...ids.map((i) => i.length))
    )
      head++;
    for (const id of ids) labels.set(id, shortenClientId(id, head));
  }
  return (id) => (id !== null && labels.get(id)) || shortenClientId(id);
}

export function formatLatency(ms: number, opts: FormatOptions = {}): string {
  if (ms >= 1000) {
    return `${cached(`num1|${opts.locale ?? ''}`, () => new Intl.NumberFormat(opts.locale, { maximumFractionDigits: 1 })).format(ms / 1000)} s`;
  }
  return `${Math.round(ms)} ms`;
}

/** Local calendar date as YYYY-MM-DD, for file names that sort. */
export function isoLocalDate(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
