import { errorCodeOf } from '../errors';
import { isAccessTokenExpired, type OAuthToken } from '../store/oauth-token';
import { TRANSIENT_ZOHO_CODES, type ZohoGrant } from '../zoho';
import { notFound, ServiceError, throttledUntil, zohoFailureWords } from './errors';
import type { ServiceContext } from './service-context';
import { sideWrite } from './side-write';
import { KeyedSingleFlight } from './single-flight';

/**
 * A store shared by several processes (the team store, src/main/team) serialises the refresh of one token
 * across all of them; the in-process single flight only covers this process.
 */
export interface CrossProcessRefreshLock {
  withRefreshLock<T>(tokenId: string, work: () => Promise<T>): Promise<T>;
}

function withRefreshLock<T>(store: object, id: string, work: () => Promise<T>): Promise<T> {
  const lock = store as Partial<CrossProcessRefreshLock>;
  return typeof lock.withRefreshLock === 'function' ? lock.withRefreshLock(id, work) : work();
}

/** After Zoho's throttle answer, no refresh for that token reaches Zoho for this long. */
export const DEFAULT_THROTTLE_BACKOFF_MS = 60_000;

export interface RefreshOutcome {
  readonly token: OAuthToken;
  /** True when this call (or the one it joined) refreshed at Zoho. */
  readonly refreshed: boolean;
}

/**
 * getValidAccessToken with the SDK's 5,000 ms rule, one refresh in flight per token, and throttle
 * back-off. On a transient failure (network, timeout, throttle, 5xx) the stored row is not written at
 * all, so it stays exactly as it was; on a permanent one (invalid_code, invalid_client) the row records
 * `lastError`, and invalid_code marks the token as needing re-authorisation.
 */
export class TokenRefresher {
  private readonly flights = new KeyedSingleFlight<RefreshOutcome>();
  private readonly backoffUntil = new Map<string, number>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly throttleBackoffMs = DEFAULT_THROTTLE_BACKOFF_MS,
  ) {}

  async readToken(id: string): Promise<OAuthToken> {
    const token = await this.ctx.store.findTokenById(id);
    if (!token) throw notFound(id);
    return token;
  }

  /** A token whose access token has at least 5,000 ms left, refreshing (once, shared) if needed. */
  async getValid(id: string): Promise<RefreshOutcome> {
    const token = await this.readToken(id);
    if (!isAccessTokenExpired(token, this.ctx.clock.now())) return { token, refreshed: false };
    return this.refresh(id, false);
  }

  /**
   * Refreshes through the per-token single flight. `force` refreshes even a valid token (the user's
   * "refresh now", or a 401 from the CRM); a caller that joins a running flight shares its result.
   */
  refresh(id: string, force: boolean): Promise<RefreshOutcome> {
    return this.flights.run(id, () =>
      withRefreshLock(this.ctx.store, id, async () => {
        // Re-read under the lock: a flight that just finished (here or, with a shared store, in another
        // process) may already have refreshed this token.
        const current = await this.readToken(id);
        if (!force && !isAccessTokenExpired(current, this.ctx.clock.now())) {
          return { token: current, refreshed: false };
        }
        return { token: await this.refreshAtZoho(current), refreshed: true };
      }),
    );
  }

  /** When the back-off for `id` ends (epoch ms), or null. */
  retryAt(id: string): number | null {
    const until = this.backoffUntil.get(id);
    return until !== undefined && until > this.ctx.clock.now() ? until : null;
  }

  forget(id: string): void {
    this.backoffUntil.delete(id);
  }

  private async refreshAtZoho(token: OAuthToken): Promise<OAuthToken> {
    const id = token.id ?? '';
    const retryAt = this.retryAt(id);
    if (retryAt !== null) throw throttledUntil(retryAt);
    const { refreshToken, clientId, clientSecret, dataCenter, environment, apiDomain } = token;
    if (!refreshToken) {
      throw new ServiceError(
        'REAUTH_REQUIRED',
        'This token has no refresh token, so it cannot be refreshed.',
        { hint: 'Re-authorise it to get a refresh token.' },
      );
    }
    if (!clientId || !clientSecret || !dataCenter || !environment) {
      throw new ServiceError(
        'INCOMPLETE_TOKEN',
        'This token lacks its client id, client secret, data center or environment, so it cannot be refreshed.',
        { hint: 'Delete it and import the refresh token again with its client details.' },
      );
    }
    let grant: ZohoGrant;
    try {
      const zoho = this.ctx.zoho(apiDomain);
      grant = await zoho.refresh({
        accountsServer: zoho.accountsServer(dataCenter, environment),
        clientId,
        clientSecret,
        refreshToken,
        environment,
      });
    } catch (error) {
      throw await this.refreshFailed(token, error);
    }
    // Under the token's lock: a re-authorisation or delete of this token is not half-way through.
    return this.ctx.locks.run(id, async () => {
      const stillThere = await this.ctx.store.findTokenById(id);
      if (!stillThere) throw notFound(id);
      // Re-authorised (or replaced by a sign-in) while Zoho answered: the row's newer tokens win.
      if (stillThere.refreshToken !== refreshToken) return stillThere;
      const updated: OAuthToken = {
        ...stillThere,
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken ?? stillThere.refreshToken,
        apiDomain: grant.apiDomain ?? stillThere.apiDomain,
        expiryTime: grant.expiryTime,
        lastRefreshedAt: this.ctx.clock.now(),
        lastError: null,
      };
      await this.ctx.store.saveToken(updated);
      // Side-writes: the refresh is saved whatever they do (a failed audit write is queued).
      sideWrite("the token's notes", () => this.ctx.notes.setReauthRequired(id, false));
      this.backoffUntil.delete(id);
      this.ctx.audit.record({
        action: 'refresh',
        outcome: 'success',
        tokenId: id,
        userName: token.userName,
        detail: `Access token refreshed; valid until ${new Date(Number(grant.expiryTime)).toISOString()}${
          grant.refreshToken && grant.refreshToken !== refreshToken ? '; Zoho issued a new refresh token' : ''
        }.`,
      });
      this.ctx.onChanged('refresh');
      return updated;
    });
  }

  private async refreshFailed(token: OAuthToken, error: unknown): Promise<Error> {
    const id = token.id ?? '';
    const code = errorCodeOf(error);
    const words = zohoFailureWords(error, 'refresh', 'The refresh failed for an unexpected reason.');
    const audit = (detail: string) =>
      this.ctx.audit.record({
        action: 'refresh',
        outcome: 'failure',
        tokenId: id,
        userName: token.userName,
        detail,
      });
    if (code === 'THROTTLED') {
      const until = this.ctx.clock.now() + this.throttleBackoffMs;
      this.backoffUntil.set(id, until);
      audit(`${words} No refresh until ${new Date(until).toISOString()}.`);
      return throttledUntil(until);
    }
    if (code !== null && TRANSIENT_ZOHO_CODES.has(code)) {
      audit(`${words} The stored token was left unchanged.`);
      return new ServiceError('ZOHO_UNREACHABLE', `${words} The stored token was left unchanged.`, {
        hint: 'Try again.',
      });
    }
    // Permanent: record it on the row so the list shows why the token needs attention; on the row as it
    // is now, and only if the failed refresh token is still the stored one (a re-authorisation may have
    // replaced it while Zoho answered).
    // Zoho's invalid_code to a refresh: the refresh token is dead and needs a new sign-in.
    const dead = code === 'INVALID_CODE';
    const latest = await this.ctx.store.findTokenById(id);
    if (latest && latest.refreshToken === token.refreshToken) {
      await this.ctx.store.saveToken({ ...latest, lastError: words });
      if (dead) sideWrite("the token's notes", () => this.ctx.notes.setReauthRequired(id, true));
    }
    audit(words);
    this.ctx.onChanged('refresh-failed');
    return dead
      ? new ServiceError('REAUTH_REQUIRED', words, {
          hint: 'Use Re-authorise to sign in again for this token.',
        })
      : new ServiceError('ZOHO_REJECTED', words, {
          hint: 'Check the client id and secret, and the data center.',
        });
  }
}
