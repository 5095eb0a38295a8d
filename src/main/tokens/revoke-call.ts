import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import type { RevokeOutcome } from '../../shared/ipc/views';
import { errorCodeOf } from '../errors';
import type { ZohoFor } from '../zoho';
import { zohoFailureWords } from './errors';

/** Where a stored token was issued, which decides where it is refreshed and revoked. */
export interface TokenAccount {
  readonly dataCenter: DataCenterId;
  readonly environment: ZohoEnvironment;
  /**
   * The stored token's API domain: which Zoho it came from. While demo mode runs, a simulator token and a
   * real Zoho token live side by side, and each must be revoked where it was issued.
   */
  readonly apiDomain: string | null;
}

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
  zohoFor: ZohoFor,
  account: TokenAccount & { readonly refreshToken: string },
): Promise<RevokeOutcome> {
  try {
    const zoho = zohoFor(account.apiDomain);
    await zoho.revoke({
      accountsServer: zoho.accountsServer(account.dataCenter, account.environment),
      refreshToken: account.refreshToken,
    });
    return { state: 'revoked' };
  } catch (error) {
    const code = errorCodeOf(error) ?? 'REVOKE_FAILED';
    if (ALREADY_DEAD_CODES.has(code)) return { state: 'already-dead' };
    const status = httpStatusOf(error);
    const answered = zohoFailureWords(error, 'revoke', 'Zoho did not confirm the revoke.').replace(/\.$/, '');
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
