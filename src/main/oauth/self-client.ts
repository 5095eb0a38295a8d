import { createLogger } from '../log';
import type { ZohoPort } from '../zoho';
import { SignInError } from './errors';
import { checkCredentials, completeGrant, type FlowTarget, type GrantedToken } from './granted-token';
import { IssuedGrant } from './issued-grant';

const log = createLogger('oauth.self-client');

export interface SelfClientOptions extends FlowTarget {
  readonly zoho: ZohoPort;
  /** The grant code generated for the Self Client in Zoho's API console (valid a few minutes, single use). */
  readonly grantCode: string;
  /**
   * The scopes chosen in the API console, if known. Zoho does not echo them in the token response, so
   * they are recorded as given (null: not known).
   */
  readonly scopes?: readonly string[] | null;
  readonly signal?: AbortSignal;
}

/**
 * Zoho "Self Client": the user pastes a grant code from the API console. It is exchanged at the accounts
 * server of the chosen data center without a redirect URI (Self Clients have none).
 */
export async function exchangeSelfClientCode(options: SelfClientOptions): Promise<GrantedToken> {
  checkCredentials(options);
  const code = options.grantCode.trim();
  if (code === '') {
    throw new SignInError('INVALID_INPUT', 'Paste the grant code from the Zoho API console.', {
      hint: 'In the API console open your Self Client, choose "Generate Code", then paste it here within a few minutes.',
    });
  }
  const accountsServer = options.zoho.accountsServer(options.dataCenter, options.environment);
  const issued = new IssuedGrant(options.zoho, accountsServer);
  let granted: GrantedToken;
  try {
    const grant = await issued.track(
      options.zoho.exchangeCode({
        accountsServer,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        code,
        redirectUri: null,
        environment: options.environment,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
    if (!grant.refreshToken) {
      throw new SignInError(
        'NO_REFRESH_TOKEN',
        'Zoho issued an access token but no refresh token for this grant code.',
        { hint: 'Generate a new grant code in the API console and paste it again.' },
      );
    }
    granted = await completeGrant(options.zoho, {
      target: options,
      grant,
      refreshToken: grant.refreshToken,
      redirectUrl: null,
      scopes: options.scopes ?? null,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    issued.abandon();
    throw err;
  }
  issued.handedOver();
  log.info('Self Client grant code exchanged', {
    dataCenter: options.dataCenter,
    environment: options.environment,
  });
  return granted;
}

export interface ImportRefreshTokenOptions extends FlowTarget {
  readonly zoho: ZohoPort;
  readonly refreshToken: string;
  /** The scopes the refresh token was granted with, if known (null: not known). */
  readonly scopes?: readonly string[] | null;
  readonly signal?: AbortSignal;
}

/**
 * Imports a refresh token made elsewhere (another tool, the SDK's token file). It is checked with one
 * refresh at the chosen data center before anything is returned, so a revoked or foreign token is
 * reported now rather than stored.
 */
export async function importRefreshToken(options: ImportRefreshTokenOptions): Promise<GrantedToken> {
  checkCredentials(options);
  const refreshToken = options.refreshToken.trim();
  if (refreshToken === '') {
    throw new SignInError('INVALID_INPUT', 'Paste the refresh token to import.');
  }
  const grant = await options.zoho.refresh({
    accountsServer: options.zoho.accountsServer(options.dataCenter, options.environment),
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    refreshToken,
    environment: options.environment,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const granted = await completeGrant(options.zoho, {
    target: options,
    grant,
    // Zoho never rotates refresh tokens on refresh, but keep a new one if it ever sends it.
    refreshToken: grant.refreshToken ?? refreshToken,
    redirectUrl: null,
    scopes: options.scopes ?? null,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  log.info('Refresh token imported', { dataCenter: options.dataCenter, environment: options.environment });
  return granted;
}
