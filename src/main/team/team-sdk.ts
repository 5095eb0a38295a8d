import { readFileSync } from 'node:fs';
import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import type { SdkClasses, SdkOAuthTokenLike, SdkUserSignatureLike } from '../sdk/sdk-shapes';
import { ZohoSdkTokenStore } from '../sdk/zoho-sdk-token-store';
import type { KeyProtector } from '../store/key-protector';
import { isAccessTokenExpired, type OAuthToken } from '../store/oauth-token';
import { PassphraseKeyProtector } from '../store/passphrase-key-protector';
import { fillFound } from '../store/token-matching';
import type { TokenStore } from '../store/token-store';
import { createAccountsClient, createCrmClient, type ZohoEndpoints, zohoEndpoints, zohoFor } from '../zoho';
import { MemberKey } from './member-key';
import { TeamStoreError } from './team-errors';
import { createTeamTokenService } from './team-service';
import { TeamTokenStore } from './team-token-store';

/** Where a server finds its member key and the passphrase that unlocks it (docs/team-store.md "Servers"). */
export const MEMBER_KEY_ENV = 'TOKENDESK_TEAM_MEMBER_KEY';
export const MEMBER_KEY_FILE_ENV = 'TOKENDESK_TEAM_MEMBER_KEY_FILE';
export const MEMBER_PASSPHRASE_ENV = 'TOKENDESK_TEAM_MEMBER_PASSPHRASE';

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

  getTokens(): Promise<OAuthToken[]> {
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

function memberKeyFromEnv(): string {
  const file = process.env[MEMBER_KEY_FILE_ENV];
  if (file) {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new TeamStoreError(
        'INVALID_MEMBER_KEY',
        `Cannot read the member key file named by ${MEMBER_KEY_FILE_ENV}.`,
        {
          cause: error,
        },
      );
    }
  }
  const text = process.env[MEMBER_KEY_ENV];
  if (!text) {
    throw new TeamStoreError(
      'INVALID_MEMBER_KEY',
      `No member key: set ${MEMBER_KEY_FILE_ENV} (a file) or ${MEMBER_KEY_ENV} (its contents).`,
    );
  }
  return text;
}

function passphraseFromEnv(): PassphraseKeyProtector {
  const passphrase = process.env[MEMBER_PASSPHRASE_ENV];
  if (!passphrase) {
    throw new TeamStoreError('LOCKED', `No passphrase for the member key: set ${MEMBER_PASSPHRASE_ENV}.`);
  }
  return new PassphraseKeyProtector(passphrase);
}
