import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import type { SignInStage } from '../../shared/ipc/views';
import { errorCodeOf } from '../errors';
import { createLogger } from '../log';
import { emptyToken, type OAuthToken } from '../store/oauth-token';
import { sdkUserName } from '../store/sdk-user-name';
import type { CrmCall, ZohoGrant, ZohoPort } from '../zoho';
import { SignInError, safeErrorParts } from './errors';

const log = createLogger('oauth.zoho');

/**
 * The outcome of any sign-in: a token ready for `TokenStore.saveToken` (no id yet) and the user's
 * display name for the console. Saving, the audit row and revoking a replaced token are the
 * TokenService's job.
 */
export interface GrantedToken {
  readonly token: OAuthToken;
  /** CRM CurrentUser `full_name`, when Zoho gave one. */
  readonly displayName: string | null;
}

export type { SignInStage };

/**
 * Progress of one sign-in. The flows report `starting` to `fetching-user`; the end (`saving`, then `done`,
 * `failed` or `cancelled`) is the caller's, because the flow's result is not saved yet when it returns and
 * a sign-in can still fail after it (the flow rejects with an error whose message is safe to show).
 */
export interface SignInProgressUpdate {
  readonly stage: SignInStage;
  /** The consent URL (no secret in it), once known, so the user can open it again. */
  readonly authUrl: string | null;
  readonly message: string | null;
}

export type ProgressListener = (update: SignInProgressUpdate) => void;

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Who to ask and where to store it: the fields every flow shares. */
export interface FlowTarget extends ClientCredentials {
  readonly dataCenter: DataCenterId;
  readonly environment: ZohoEnvironment;
}

/**
 * Looks the user up with CRM CurrentUser at the returned api_domain (as the SDK does before its first
 * save: docs/zoho.md "How the SDK uses it" 4) and builds the token to save.
 */
export async function completeGrant(
  zoho: ZohoPort,
  input: {
    readonly target: FlowTarget;
    readonly grant: ZohoGrant;
    readonly refreshToken: string;
    readonly redirectUrl: string | null;
    readonly scopes: readonly string[] | null;
    readonly signal?: AbortSignal;
  },
): Promise<GrantedToken> {
  const { target, grant } = input;
  // Zoho's answer names the production API of the DC whatever the environment; sandbox and developer
  // tokens are used at their own API domain (docs/zoho.md "Data centers").
  const apiDomain =
    target.environment === 'production' && grant.apiDomain
      ? grant.apiDomain
      : zoho.apiDomain(target.dataCenter, target.environment);
  let user: { readonly userName: string; readonly fullName: string | null };
  try {
    user = await sdkUser(zoho, {
      apiDomain,
      accessToken: grant.accessToken,
      ...(input.signal ? { signal: input.signal } : {}),
    });
  } catch (err) {
    if (input.signal?.aborted) throw err;
    const parts = safeErrorParts(err);
    const reason = parts ? ` ${parts.message}` : '';
    throw new SignInError(
      'USER_LOOKUP_FAILED',
      `Zoho issued the token, but TokenDesk could not read who it belongs to (CRM CurrentUser).${reason}`,
      { hint: 'Make sure the scopes include ZohoCRM.users.READ, then sign in again.', cause: err },
    );
  }
  return {
    token: emptyToken({
      userName: user.userName,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      refreshToken: input.refreshToken,
      accessToken: grant.accessToken,
      grantToken: null,
      expiryTime: grant.expiryTime,
      redirectUrl: input.redirectUrl,
      apiDomain,
      dataCenter: target.dataCenter,
      environment: target.environment,
      scopes: input.scopes === null ? null : [...input.scopes],
    }),
    displayName: user.fullName,
  };
}

/**
 * `GET {apiDomain}/crm/v8/users?type=CurrentUser`, then `/crm/v8/org`: the calls the SDK makes to name the
 * user. Only CurrentUser must succeed; without the org's zgid (scope ZohoCRM.org.READ) the name stored is
 * the bare email, else the SDK's `<email>:<zgid>` (src/main/store/sdk-user-name.ts).
 */
async function sdkUser(
  zoho: ZohoPort,
  call: CrmCall,
): Promise<{ readonly userName: string; readonly fullName: string | null }> {
  const { value } = await zoho.currentUser(call);
  let zgid: string | null = null;
  try {
    zgid = (await zoho.org(call)).value.zgid;
  } catch (err) {
    // A cancel ends the sign-in; anything else (no org scope) only costs the SDK's form of the name.
    if (call.signal?.aborted) throw err;
    log.info('No org zgid for the user name; storing the email', {
      errorCode: errorCodeOf(err) ?? 'unknown',
    });
  }
  return { userName: sdkUserName(value.email, zgid), fullName: value.fullName };
}

export function checkCredentials(target: ClientCredentials): void {
  if (target.clientId.trim() === '' || target.clientSecret.trim() === '') {
    throw new SignInError('INVALID_INPUT', 'Enter both the client ID and the client secret.', {
      hint: 'Copy them from your client in the Zoho API console.',
    });
  }
}
