import { describe, expect, it } from 'vitest';
import {
  describeExpiry,
  distinctClientIdLabels,
  formatAbsolute,
  formatCountdown,
  formatDurationWords,
  formatLatency,
  formatRelative,
  shortenClientId,
} from './format';

const opts = { locale: 'en-GB', timeZone: 'UTC' };
/** en-GB pluralises short units ("42 mins"); en-US keeps "42 min". */
const us = { locale: 'en-US', timeZone: 'UTC' };
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

describe('formatCountdown', () => {
  it('shows mm:ss under an hour', () => {
    expect(formatCountdown(NOW + 42 * 60_000 + 7_000, NOW)).toBe('42:07');
    expect(formatCountdown(NOW + 59_999, NOW)).toBe('00:59');
  });
  it('treats under 5 s left as expired, like the Zoho SDKs', () => {
    expect(formatCountdown(NOW + 4_999, NOW)).toBe('Expired');
    expect(formatCountdown(NOW + 5_000, NOW)).toBe('00:05');
    expect(formatCountdown(NOW - 1, NOW)).toBe('Expired');
  });
  it('shows h:mm:ss beyond an hour and goes coarse beyond a day', () => {
    expect(formatCountdown(NOW + 3 * 3_600_000 + 2 * 60_000 + 9_000, NOW)).toBe('3:02:09');
    // The same clock notation either side of the hour: no "1 h 00 min" next to "59:59".
    expect(formatCountdown(NOW + 3_600_000, NOW)).toBe('1:00:00');
    expect(formatCountdown(NOW + 3_599_999, NOW)).toBe('59:59');
    expect(formatCountdown(NOW + 2 * 86_400_000 + 4 * 3_600_000, NOW)).toBe('2 d 4 h');
  });
  it('shows a dash when there is no expiry', () => {
    expect(formatCountdown(null, NOW)).toBe('—');
  });
});

describe('formatDurationWords / describeExpiry', () => {
  it('rounds down and uses short units', () => {
    expect(formatDurationWords(42 * 60_000 + 59_000, us)).toBe('42 min');
    expect(formatDurationWords(30_500, us)).toBe('30 sec');
    expect(formatDurationWords(3_600_000 + 5 * 60_000, us)).toBe('1 hr 5 min');
    expect(formatDurationWords(3_600_000, us)).toBe('1 hr');
  });
  it('describes expiry for the copy toast', () => {
    expect(describeExpiry(NOW + 10 * 60_000, NOW, us)).toBe('expires in 10 min');
    expect(describeExpiry(NOW + 1_000, NOW, us)).toBe('has expired');
    expect(describeExpiry(null, NOW, us)).toBe('has no access token yet');
  });
});

describe('formatRelative', () => {
  it('says now for the last few seconds', () => {
    expect(formatRelative(NOW - 3_000, NOW, opts)).toBe('now');
  });
  it('truncates instead of rounding up', () => {
    expect(formatRelative(NOW - 59 * 60_000, NOW, opts)).toBe('59 minutes ago');
    expect(formatRelative(NOW - 61 * 60_000, NOW, opts)).toBe('1 hour ago');
  });
  it('uses words for yesterday and handles the future', () => {
    expect(formatRelative(NOW - 86_400_000 - 1000, NOW, opts)).toBe('yesterday');
    expect(formatRelative(NOW + 2 * 3_600_000, NOW, opts)).toBe('in 2 hours');
  });
  it('goes to months under a year, and to years beyond', () => {
    expect(formatRelative(NOW - 364 * 86_400_000, NOW, opts)).toBe('12 months ago');
    expect(formatRelative(NOW - 365 * 86_400_000, NOW, opts)).toBe('last year');
    expect(formatRelative(NOW + 3 * 365 * 86_400_000, NOW, opts)).toBe('in 3 years');
  });
  it('says Never for a missing time', () => {
    expect(formatRelative(null, NOW, opts)).toBe('Never');
  });
});

describe('formatAbsolute', () => {
  it('shows the time only for today', () => {
    expect(formatAbsolute(NOW + 42 * 60_000, NOW, opts)).toBe('12:42:00');
  });
  it('adds the date for another day', () => {
    expect(formatAbsolute(NOW + 86_400_000, NOW, opts)).toBe('27 Nov 2026, 12:00');
  });
});

describe('shortenClientId / formatLatency', () => {
  it('keeps head and tail of a long id', () => {
    expect(shortenClientId('1000.ABCDEFGHIJKLMNOPQRSTUV')).toBe('1000.ABCDE…STUV');
    expect(shortenClientId('1000.SHORT')).toBe('1000.SHORT');
    expect(shortenClientId(null)).toBe('—');
  });
  it('formats latency', () => {
    expect(formatLatency(212.4, opts)).toBe('212 ms');
    expect(formatLatency(1540, opts)).toBe('1.5 s');
  });
});

describe('distinctClientIdLabels', () => {
  it('shortens as usual while the short forms differ', () => {
    const label = distinctClientIdLabels([
      '1000.ABCDEFGHIJKLMNOPQRSTUVWX1234',
      '1000.ZYXWVUTSRQPONMLKJIHGFE9876',
    ]);
    expect(label('1000.ABCDEFGHIJKLMNOPQRSTUVWX1234')).toBe('1000.ABCDE…1234');
    expect(label(null)).toBe('—');
  });

  it('keeps two ids that differ only in the middle apart', () => {
    const a = '1000.DEMOTOKENDESKAAAAAAAAAAAA0001';
    const b = '1000.DEMOTOKENDESKBBBBBBBBBBBB0001';
    expect(shortenClientId(a)).toBe(shortenClientId(b));
    const label = distinctClientIdLabels([a, b, a, null]);
    expect(label(a)).not.toBe(label(b));
    expect(label(a)).toBe('1000.DEMOTOKENDESKA…0001');
    expect(label(b)).toBe('1000.DEMOTOKENDESKB…0001');
  });

  it('shows the whole id when growing the head would reach its end', () => {
    const short = '1000.DEMOTOKENX0001';
    const long = '1000.DEMOTOKENX0001X0001';
    const label = distinctClientIdLabels([short, long]);
    expect(new Set([label(short), label(long)]).size).toBe(2);
    expect(label(short)).toBe(short);
  });
});
