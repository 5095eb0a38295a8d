import { describe, expect, it } from 'vitest';
import { accessTokenTimeStatus, EXPIRING_WINDOW_MS, EXPIRY_MARGIN_MS, liveTokenStatus } from './token-status';

const NOW = 1_800_000_000_000;

describe('live token status', () => {
  it('follows the clock between list refreshes: valid, then expiring, then expired at the 5 s margin', () => {
    const expiresAt = NOW + EXPIRING_WINDOW_MS + 10_000;
    expect(liveTokenStatus('valid', expiresAt, NOW)).toBe('valid');
    expect(liveTokenStatus('valid', expiresAt, NOW + 10_001)).toBe('expiring');
    // The moment the countdown says "Expired" (under 5 s left), the status says so too, even though main
    // listed the token as "expiring" a while ago.
    expect(liveTokenStatus('expiring', expiresAt, expiresAt - EXPIRY_MARGIN_MS + 1)).toBe('expired');
    expect(liveTokenStatus('expiring', expiresAt, expiresAt - EXPIRY_MARGIN_MS - 1)).toBe('expiring');
  });

  it('keeps what only main knows: a token Zoho rejected, or a row that cannot be decrypted', () => {
    expect(liveTokenStatus('reauth', NOW + 3_600_000, NOW)).toBe('reauth');
    expect(liveTokenStatus('unreadable', null, NOW)).toBe('unreadable');
  });

  it('a token with no access token, or an unparseable expiry, is expired (a refresh will fix it)', () => {
    expect(accessTokenTimeStatus(null, NOW)).toBe('expired');
    expect(accessTokenTimeStatus(Number.NaN, NOW)).toBe('expired');
  });
});
