import type { TokenStatus } from './ipc/views';

/** Zoho and the official SDKs treat an access token with under 5 s left as expired (docs/zoho.md). */
export const EXPIRY_MARGIN_MS = 5_000;
/** A token with less than this left is shown as "expiring". */
export const EXPIRING_WINDOW_MS = 5 * 60_000;

/** The time-based part of a token's status: what its access-token expiry says at `now`. */
export function accessTokenTimeStatus(
  expiresAt: number | null,
  now: number,
  expiringWindowMs = EXPIRING_WINDOW_MS,
): 'valid' | 'expiring' | 'expired' {
  if (expiresAt === null || !Number.isFinite(expiresAt)) return 'expired';
  const left = expiresAt - now;
  if (left < EXPIRY_MARGIN_MS) return 'expired';
  return left < expiringWindowMs ? 'expiring' : 'valid';
}

/**
 * The status to show at `now` for a token main listed with `listed`. Main decides what only it can know
 * (Zoho rejected the refresh token: reauth; the row cannot be decrypted: unreadable; the simulator that
 * issued it has ended: demo-ended); the rest follows the
 * clock, so the status and the ticking countdown beside it never disagree between two list refreshes.
 */
export function liveTokenStatus(listed: TokenStatus, expiresAt: number | null, now: number): TokenStatus {
  if (listed === 'reauth' || listed === 'unreadable' || listed === 'demo-ended') return listed;
  return accessTokenTimeStatus(expiresAt, now);
}
