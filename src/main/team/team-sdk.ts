import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import type { SdkClasses, SdkOAuthTokenLike, SdkUserSignatureLike } from '../sdk/sdk-shapes';
import { ZohoSdkTokenStore } from '../sdk/zoho-sdk-token-store';
import type { KeyProtector } from '../store/key-protector';
import { isAccessTokenExpired, type OAuthToken } from '../store/oauth-token';
import { fillFound } from '../store/token-matching';
import type { TokenStore } from '../store/token-store';
import { createAccountsClient, createCrmClient, type ZohoEndpoints, zohoEndpoints, zohoFor } from '../zoho';
import { MemberKey } from './member-key';
import { memberKeyFromEnv, passphraseFromEnv } from './member-key-env';
import { createTeamTokenService } from './team-service';
import { TeamTokenStore } from './team-token-store';

export interface TeamSdkStoreOptions<U extends SdkUserSignatureLike, T extends SdkOAuthTokenLike<U>> {
  /** `postgres://user:password@host:port/database`. */
  readonly connectionString: string;
  readonly schema?: string;
  /** The member key file's text; default: the file named by TOKENDESK_TEAM_MEMBER_KEY_FILE, else TOKENDESK_TEAM_MEMBER_KEY. */
  readonly memberKey?: string;
  /** Unlocks the member key; default a passphrase from TOKENDESK_TEAM_MEMBER_PASSPHRASE. */
  readonly protector?: KeyProtector;
  readonly dataCenter: DataCenterId;
  readonly environment: ZohoEnvironment;
  readonly sdk: SdkClasses<U, T>;
  /** Zoho's servers; tests pass the simulator's. */
  readonly endpoints?: ZohoEndpoints;
}

/**
 * A TokenStore that never hands out an expired access token: a token found with under the SDK's 5,000
 * ms left is refreshed first, under the team-wide lock for that token (TokenRefresher over the team
 * store), so a fleet of SDK processes makes one refresh per expiry instead of one each.
 */
export class RefreshingTokenStore implements TokenStore {
  constructor(
    private readonly store: TokenStore,
    private readonly getValid: (id: string) => Promise<OAuthToken>,
  ) {}

  async findToken(token: OAuthToken): Promise<OAuthToken | null> {
    const found = await this.store.findToken(token);
    return found && fillFound(await this.valid(found), token);
  }

  async findTokenById(id: string): Promise<OAuthToken | null> {
    const found = await this.store.findTokenById(id);
    return found && this.valid(found);
  }

  saveToken(token: OAuthToken): Promise<void> {
    return this.store.saveToken(token);
  }

  deleteToken(id: string): Promise<void> {
    return this.store.deleteToken(id);
  }

  getTokens(): Promise<readonly Readonly<OAuthToken>[]> {
    return this.store.getTokens();
  }

  deleteTokens(): Promise<void> {
    return this.store.deleteTokens();
  }

  private async valid(token: OAuthToken): Promise<OAuthToken> {
    // Only a token that can be refreshed is; anything else goes to the SDK as stored (it decides).
    if (token.id === null || !token.refreshToken || !isAccessTokenExpired(token)) return token;
    return this.getValid(token.id);
  }
}

/**
 * The official SDK's TokenStore over the team store, for a server: unlocked with the server's own member
 * key (added to the team like any member, read-only is enough), refreshing under the team lock.
 */
export async function openTeamSdkTokenStore<U extends SdkUserSignatureLike, T extends SdkOAuthTokenLike<U>>(
  options: TeamSdkStoreOptions<U, T>,
): Promise<{
  readonly sdkStore: ZohoSdkTokenStore<U, T>;
  readonly team: TeamTokenStore;
  close(): Promise<void>;
}> {
  const protector = options.protector ?? passphraseFromEnv();
  const member = await MemberKey.unlock(options.memberKey ?? memberKeyFromEnv(), protector);
  const team = await TeamTokenStore.open({
    connectionString: options.connectionString,
    ...(options.schema ? { schema: options.schema } : {}),
    member,
  });
  const endpoints = options.endpoints ?? zohoEndpoints;
  const clients = {
    endpoints,
    accounts: createAccountsClient({ endpoints }),
    crm: createCrmClient({ endpoints }),
  };
  const { service, audit } = createTeamTokenService(team, { zoho: zohoFor(() => clients) });
  const refreshing = new RefreshingTokenStore(team, (id) => service.getValidAccessToken(id));
  const sdkStore = new ZohoSdkTokenStore(refreshing, {
    dataCenter: options.dataCenter,
    environment: options.environment,
    sdk: options.sdk,
    // The same endpoints the refreshes go to name the data center of a token's api_domain.
    placeOfApiDomain: (apiDomain) => endpoints.placeOfApiDomain(apiDomain),
    takeNewerAccessToken: true,
  });
  return {
    sdkStore,
    team,
    async close() {
      await audit.flush();
      await team.close();
    },
  };
}
