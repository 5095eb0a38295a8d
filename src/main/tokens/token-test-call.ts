import type { TestCallResult } from '../../shared/ipc/views';
import type { OAuthToken } from '../store/oauth-token';
import { errorCodeOf, safeMessageOf } from './errors';
import type { ServiceContext } from './service-context';
import { sideWrite } from './side-write';
import type { TokenRefresher } from './token-refresher';
import { type CrmAnswer, type CrmUser, DEAD_ACCESS_TOKEN_CODES } from './zoho-gateway';

/**
 * "Test connection": CRM CurrentUser then org with a valid access token. A 401 INVALID_TOKEN on
 * CurrentUser triggers exactly one forced refresh and one retry (the access token may have been revoked
 * at Zoho before its expiry). The result is kept as the token's last test and audited.
 */
export async function runTestCall(
  ctx: ServiceContext,
  refresher: TokenRefresher,
  id: string,
): Promise<TestCallResult> {
  const at = ctx.clock.now();
  let token: OAuthToken;
  let refreshed: boolean;
  try {
    ({ token, refreshed } = await refresher.getValid(id));
  } catch (error) {
    const known = await ctx.store.findTokenById(id);
    if (!known) throw error;
    return finish(
      ctx,
      known,
      failed(
        at,
        null,
        0,
        false,
        errorCodeOf(error) ?? 'REFRESH_FAILED',
        safeMessageOf(error, 'The access token could not be refreshed.'),
      ),
    );
  }

  let user = await currentUser(ctx, token);
  if (!user.ok && isDeadAccessToken(user) && !refreshed) {
    try {
      token = (await refresher.refresh(id, true)).token;
      refreshed = true;
      user = await currentUser(ctx, token);
    } catch (error) {
      return finish(
        ctx,
        token,
        failed(
          at,
          user.httpStatus,
          user.latencyMs,
          refreshed,
          errorCodeOf(error) ?? 'REFRESH_FAILED',
          safeMessageOf(error, 'The access token was rejected and the refresh failed.'),
        ),
      );
    }
  }
  if (!user.ok) {
    return finish(
      ctx,
      token,
      failed(at, user.httpStatus, user.latencyMs, refreshed, user.code, user.message),
    );
  }
  const org = await ctx.zoho.org({ apiDomain: token.apiDomain ?? '', accessToken: token.accessToken ?? '' });
  const result: TestCallResult = {
    at,
    ok: org.ok,
    httpStatus: org.ok ? user.httpStatus : org.httpStatus,
    latencyMs: user.latencyMs + org.latencyMs,
    userEmail: user.value.email,
    userName: user.value.fullName,
    orgName: org.ok ? org.value.name : null,
    orgId: org.ok ? org.value.id : null,
    refreshed,
    errorCode: org.ok ? null : org.code,
    message: org.ok ? null : `CurrentUser answered, but the org call failed: ${org.message}`,
  };
  return finish(ctx, token, result);
}

function isDeadAccessToken(answer: CrmAnswer<CrmUser>): boolean {
  return !answer.ok && (answer.httpStatus === 401 || DEAD_ACCESS_TOKEN_CODES.has(answer.code));
}

function currentUser(ctx: ServiceContext, token: OAuthToken): Promise<CrmAnswer<CrmUser>> {
  return ctx.zoho.currentUser({ apiDomain: token.apiDomain ?? '', accessToken: token.accessToken ?? '' });
}

function failed(
  at: number,
  httpStatus: number | null,
  latencyMs: number,
  refreshed: boolean,
  errorCode: string,
  message: string,
): TestCallResult {
  return {
    at,
    ok: false,
    httpStatus,
    latencyMs,
    userEmail: null,
    userName: null,
    orgName: null,
    orgId: null,
    refreshed,
    errorCode,
    message,
  };
}

function finish(ctx: ServiceContext, token: OAuthToken, result: TestCallResult): TestCallResult {
  const id = token.id ?? '';
  // A side-write: the call was made, and its result is returned whether or not it could be kept.
  sideWrite('the test result', () => ctx.notes.setLastTest(id, result));
  ctx.audit.record({
    action: 'test',
    outcome: result.ok ? 'success' : 'failure',
    tokenId: id,
    userName: token.userName,
    detail: result.ok
      ? `Test call succeeded (HTTP ${result.httpStatus}, ${Math.round(result.latencyMs)} ms; user ${result.userEmail ?? 'unknown'}, org ${result.orgName ?? 'unknown'}${result.refreshed ? '; the access token was refreshed' : ''}).`
      : `Test call failed (${result.httpStatus === null ? 'no HTTP answer' : `HTTP ${result.httpStatus}`}): ${result.message ?? result.errorCode ?? 'unknown error'}`,
  });
  ctx.onChanged('test');
  return result;
}
