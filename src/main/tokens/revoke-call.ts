import type { RevokeOutcome } from '../../shared/ipc/views';
import { errorCodeOf, safeMessageOf } from './errors';
import { explainZoho } from './zoho-explain';
import type { TokenAccount, TokenZoho } from './zoho-gateway';

/**
 * Zoho answers a revoke of a token it does not know with HTTP 400 ("invalid token"): the token was
 * already revoked, replaced or evicted, so nothing it signed can be used any more. Zoho's revoke page
 * (accounts/protocol/oauth/revoke-refresh-token) documents exactly that answer for the endpoint used.
 */
export const ALREADY_DEAD_CODES: ReadonlySet<string> = new Set(['INVALID_TOKEN']);

function httpStatusOf(error: unknown): number | null {
  const status = (error as { httpStatus?: unknown } | null)?.httpStatus;
  return typeof status === 'number' ? status : null;
}

/**
 * Asks Zoho to revoke one refresh token (its access tokens die with it) and says what Zoho answered, in
 * words about the refresh token: a failed revoke leaves it possibly working, which is what the user
 * must know. Never throws for a Zoho or network failure.
 */
export async function askZohoToRevoke(
  zoho: TokenZoho,
  account: TokenAccount & { readonly refreshToken: string },
): Promise<RevokeOutcome> {
  try {
    await zoho.revoke(account);
    return { state: 'revoked' };
  } catch (error) {
    const code = errorCodeOf(error) ?? 'REVOKE_FAILED';
    if (ALREADY_DEAD_CODES.has(code)) return { state: 'already-dead' };
    const status = httpStatusOf(error);
    const answered = explainZoho(code, safeMessageOf(error, 'Zoho did not confirm the revoke.')).replace(
      /\.$/,
      '',
    );
    const withStatus =
      status !== null && !answered.includes(String(status)) ? `${answered} (HTTP ${status})` : answered;
    return {
      state: 'failed',
      code,
      message: `Zoho did not confirm the revoke: ${withStatus}. The refresh token may still work at Zoho.`,
    };
  }
}

/** One line for the audit log and the user: what the revoke did. */
export function revokeWords(outcome: RevokeOutcome): string {
  switch (outcome.state) {
    case 'revoked':
      return 'Refresh token revoked at Zoho (its access tokens die with it).';
    case 'already-dead':
      return 'Zoho answered that it no longer knows this refresh token (invalid token): access was already cut at Zoho.';
    case 'skipped':
      return 'Not revoked at Zoho.';
    case 'failed':
      return outcome.message;
  }
}
