import type { TestCallResult } from '../../shared/ipc/views';
import { errorCodeOf, safeMessageOf } from '../errors';
import type { OAuthToken } from '../store/oauth-token';
import { type CrmResult, ZohoError, type ZohoPort, type ZohoUser } from '../zoho';
import type { ServiceContext } from './service-context';
import { sideWrite } from './side-write';
import type { TokenRefresher } from './token-refresher';

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
  const org = await answerOf((zoho, call) => zoho.org(call), ctx, token);
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

/** A CRM call's answer as the test call reports it: HTTP status and latency either way. */
type TestAnswer<T> =
  | ({ readonly ok: true } & CrmResult<T>)
  | {
      readonly ok: false;
      /** null when no HTTP answer came (network failure, timeout). */
      readonly httpStatus: number | null;
      readonly latencyMs: number;
      readonly code: string;
      readonly message: string;
    };

/** Calls Zoho for the token; a Zoho failure becomes an answer, anything else is thrown. */
async function answerOf<T>(
  call: (zoho: ZohoPort, input: { apiDomain: string; accessToken: string }) => Promise<CrmResult<T>>,
  ctx: ServiceContext,
  token: OAuthToken,
): Promise<TestAnswer<T>> {
  try {
    const apiDomain = token.apiDomain ?? '';
    const result = await call(ctx.zoho(token.apiDomain), { apiDomain, accessToken: token.accessToken ?? '' });
    return { ok: true, ...result };
  } catch (error) {
    if (!(error instanceof ZohoError)) throw error;
    return {
      ok: false,
      httpStatus: error.httpStatus ?? null,
      latencyMs: error.latencyMs ?? 0,
      code: error.code,
      message: error.message,
    };
  }
}

/** CRM's INVALID_TOKEN (and any 401): the access token is dead, and a refresh may fix it. */
function isDeadAccessToken(answer: TestAnswer<ZohoUser>): boolean {
  return !answer.ok && (answer.httpStatus === 401 || answer.code === 'INVALID_TOKEN');
}

function currentUser(ctx: ServiceContext, token: OAuthToken): Promise<TestAnswer<ZohoUser>> {
  return answerOf((zoho, call) => zoho.currentUser(call), ctx, token);
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
