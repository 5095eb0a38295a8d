import {
  type ApiDomainPlace,
  type DataCenterId,
  dataCenterAndEnvironmentOfApiDomain,
  type ZohoEnvironment,
} from '../../shared/datacenters';
import { AppError, type AppErrorOptions } from '../errors';
import { createLogger } from '../log';
import { emptyToken, type OAuthToken } from '../store/oauth-token';
import type { TokenStore } from '../store/token-store';
import type { SdkClasses, SdkOAuthTokenLike, SdkTokenLike, SdkUserSignatureLike } from './sdk-shapes';

const log = createLogger('sdk.token-store');

export interface ZohoSdkTokenStoreOptions<U extends SdkUserSignatureLike, T extends SdkOAuthTokenLike<U>> {
  /**
   * The data center and environment the SDK is initialised for. The SDK's token has no such fields: a token
   * is labelled by its `api_domain` (the SDK does the same to pick its environment), and by this pair only
   * when it has none or an unknown one. `getTokens`, `findTokenById`, `deleteToken` and `deleteTokens` see
   * this pair's tokens (a token is specific to one DC and environment: docs/zoho.md "Data centers").
   */
  readonly dataCenter: DataCenterId;
  readonly environment: ZohoEnvironment;
  /**
   * `{ OAuthToken, UserSignature, SDKException }` from the SDK, used to build the tokens `findTokenById` and
   * `getTokens` return and the error of an unknown id.
   */
  readonly sdk: SdkClasses<U, T>;
  /**
   * Names the DC and environment of an API domain. Default: Zoho's hosts; tests against the simulator
   * pass `simulatorEndpoints(sim).placeOfApiDomain`.
   */
  readonly placeOfApiDomain?: (apiDomain: string) => ApiDomainPlace | undefined;
  /**
   * For a store that refreshes on the SDK's behalf (the team store, src/main/team/team-sdk.ts): when the
   * stored access token expires later than the one the SDK's token holds, `findToken` hands the SDK the
   * stored one, so a long-running SDK process uses a token another process refreshed instead of
   * refreshing again. Default false: fill only what the SDK's token lacks, as the SDK's own stores do.
   */
  readonly takeNewerAccessToken?: boolean;
}

/** What the SDK's own stores answer for an id they do not hold (code TOKEN_STORE). */
export const UNKNOWN_ID_MESSAGE = 'Exception in getTokenById - ZohoSdkTokenStore : Given ID is invalid';

/** Raised when the SDK hands the store something that is not an OAuthToken (e.g. a custom Token class). */
export class SdkAdapterError extends AppError {
  declare readonly code: 'SDK_ADAPTER' | 'TOKEN_STORE';

  constructor(code: 'SDK_ADAPTER' | 'TOKEN_STORE', message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'SdkAdapterError';
  }
}

/**
 * The official Zoho CRM TypeScript SDK's `TokenStore` over any TokenDesk `TokenStore`, so an app built on
 * the SDK keeps its tokens in TokenDesk's encrypted store (and TokenDesk lists, refreshes and revokes
 * them). Pass it to `new InitializeBuilder().store(...)`.
 *
 * Behaves like the SDK's own FileStore/DBStore (docs/zoho.md "How the SDK uses it"): `findToken` fills the
 * token it was given (only the fields that token lacks) and returns that same instance, because the SDK
 * keeps working with the instance it passed in. Deletes and listings are limited to this adapter's data
 * center and environment, so an SDK `deleteTokens()` never wipes tokens of another DC.
 */
export class ZohoSdkTokenStore<U extends SdkUserSignatureLike, T extends SdkOAuthTokenLike<U>> {
  private readonly dataCenter: DataCenterId;
  private readonly environment: ZohoEnvironment;
  private readonly sdk: SdkClasses<U, T>;
  private readonly placeOfApiDomain: (apiDomain: string) => ApiDomainPlace | undefined;
  private readonly takeNewerAccessToken: boolean;

  constructor(
    private readonly store: TokenStore,
    options: ZohoSdkTokenStoreOptions<U, T>,
  ) {
    this.dataCenter = options.dataCenter;
    this.environment = options.environment;
    this.sdk = options.sdk;
    this.placeOfApiDomain = options.placeOfApiDomain ?? dataCenterAndEnvironmentOfApiDomain;
    this.takeNewerAccessToken = options.takeNewerAccessToken ?? false;
  }

  async findToken(token: SdkTokenLike): Promise<T | null> {
    const sdkToken = this.asOAuthToken(token);
    const probe = this.fromSdk(sdkToken);
    const found = await this.store.findToken(probe);
    if (!found || !samePlace(found, probe)) return null;
    this.fill(sdkToken, found);
    log.debug('SDK token found', { id: found.id });
    return sdkToken;
  }

  /**
   * The SDK's own stores throw for an id they do not hold; returning null instead makes the SDK go on with
   * an empty token and call Zoho without client credentials.
   */
  async findTokenById(id: string): Promise<T> {
    const found = await this.store.findTokenById(id);
    if (found && this.inScope(found)) return this.toSdk(found);
    const Exception = this.sdk.SDKException;
    throw Exception
      ? new Exception('TOKEN_STORE', UNKNOWN_ID_MESSAGE)
      : new SdkAdapterError('TOKEN_STORE', UNKNOWN_ID_MESSAGE);
  }

  async saveToken(token: SdkTokenLike): Promise<void> {
    const sdkToken = this.asOAuthToken(token);
    const ours = this.fromSdk(sdkToken);
    await this.store.saveToken(ours);
    sdkToken.setId(ours.id);
    log.info('SDK token saved', { id: ours.id, dataCenter: ours.dataCenter, environment: ours.environment });
  }

  async deleteToken(id: string): Promise<void> {
    const found = await this.store.findTokenById(id);
    if (found && this.inScope(found)) await this.store.deleteToken(id);
  }

  async getTokens(): Promise<T[]> {
    const all = await this.store.getTokens();
    return all.filter((t) => this.inScope(t)).map((t) => this.toSdk(t));
  }

  /** Deletes the tokens of this adapter's data center and environment (never the rest of the store). */
  async deleteTokens(): Promise<void> {
    const all = await this.store.getTokens();
    for (const token of all) {
      if (token.id !== null && this.inScope(token)) await this.store.deleteToken(token.id);
    }
  }

  private inScope(token: OAuthToken): boolean {
    return (
      (token.dataCenter === null || token.dataCenter === this.dataCenter) &&
      (token.environment === null || token.environment === this.environment)
    );
  }

  private asOAuthToken(token: SdkTokenLike): T {
    if (isSdkOAuthToken<U, T>(token)) return token;
    throw new SdkAdapterError(
      'SDK_ADAPTER',
      'The Zoho SDK passed a token that is not an OAuthToken, so TokenDesk cannot store it.',
      { hint: 'Initialise the SDK with an OAuthToken (new OAuthBuilder()...build()).' },
    );
  }

  /**
   * The SDK token as a TokenDesk token, labelled with the DC and environment of its api_domain (this
   * adapter's pair when it has none or an unknown one).
   */
  private fromSdk(t: T): OAuthToken {
    const apiDomain = orNull(t.getAPIDomain());
    const place = (apiDomain === null ? undefined : this.placeOfApiDomain(apiDomain)) ?? {
      dataCenter: this.dataCenter,
      environment: this.environment,
    };
    return emptyToken({
      id: orNull(t.getId()),
      userName: orNull(t.getUserSignature()?.getName()),
      clientId: orNull(t.getClientId()),
      clientSecret: orNull(t.getClientSecret()),
      refreshToken: orNull(t.getRefreshToken()),
      accessToken: orNull(t.getAccessToken()),
      grantToken: orNull(t.getGrantToken()),
      expiryTime: orNull(t.getExpiresIn()),
      redirectUrl: orNull(t.getRedirectURL()),
      apiDomain,
      dataCenter: place.dataCenter,
      environment: place.environment,
    });
  }

  /** Copies stored values into the fields the SDK token lacks, as the SDK's own stores do. */
  private fill(t: T, stored: OAuthToken): void {
    if (isUnset(t.getId())) t.setId(stored.id);
    if (t.getUserSignature() == null && stored.userName !== null) {
      t.setUserSignature(new this.sdk.UserSignature(stored.userName));
    }
    if (isUnset(t.getClientId()) && stored.clientId !== null) t.setClientId(stored.clientId);
    if (isUnset(t.getClientSecret()) && stored.clientSecret !== null) t.setClientSecret(stored.clientSecret);
    if (isUnset(t.getRefreshToken())) t.setRefreshToken(stored.refreshToken);
    if (isUnset(t.getAccessToken())) t.setAccessToken(stored.accessToken);
    if (isUnset(t.getGrantToken())) t.setGrantToken(stored.grantToken);
    if (isUnset(t.getExpiresIn()) && stored.expiryTime !== null) t.setExpiresIn(stored.expiryTime);
    if (isUnset(t.getRedirectURL())) t.setRedirectURL(stored.redirectUrl);
    if (isUnset(t.getAPIDomain())) t.setAPIDomain(stored.apiDomain);
    if (this.takeNewerAccessToken && stored.accessToken !== null && stored.expiryTime !== null) {
      const held = Number(t.getExpiresIn());
      if (!Number.isFinite(held) || Number(stored.expiryTime) > held) {
        t.setAccessToken(stored.accessToken);
        t.setExpiresIn(stored.expiryTime);
        if (stored.refreshToken !== null) t.setRefreshToken(stored.refreshToken);
      }
    }
  }

  private toSdk(stored: OAuthToken): T {
    const t = new this.sdk.OAuthToken(
      stored.clientId,
      stored.clientSecret,
      stored.grantToken,
      stored.refreshToken,
      stored.redirectUrl,
      stored.id,
      stored.accessToken,
      stored.userName === null ? null : new this.sdk.UserSignature(stored.userName),
    );
    if (stored.expiryTime !== null) t.setExpiresIn(stored.expiryTime);
    t.setAPIDomain(stored.apiDomain);
    return t;
  }
}

/** A stored token answers a lookup only in the lookup's DC and environment (or when it has none recorded). */
function samePlace(stored: OAuthToken, probe: OAuthToken): boolean {
  return (
    (stored.dataCenter === null || stored.dataCenter === probe.dataCenter) &&
    (stored.environment === null || stored.environment === probe.environment)
  );
}

function isSdkOAuthToken<U extends SdkUserSignatureLike, T extends SdkOAuthTokenLike<U>>(
  token: SdkTokenLike,
): token is T {
  const t = token as Partial<Record<keyof SdkOAuthTokenLike, unknown>>;
  return (
    typeof t.getClientId === 'function' &&
    typeof t.getRefreshToken === 'function' &&
    typeof t.getExpiresIn === 'function' &&
    typeof t.setAccessToken === 'function' &&
    typeof t.getUserSignature === 'function'
  );
}

// The SDK leaves unset fields undefined, and its stores write "" for a missing client id: neither is a value.
function isUnset(value: string | null | undefined): boolean {
  return value === null || value === undefined || value === '';
}

function orNull(value: string | null | undefined): string | null {
  return isUnset(value) ? null : (value as string);
}
