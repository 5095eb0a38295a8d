import type { ServerResponse } from 'node:http';
import { DATA_CENTERS, type DataCenterId } from '../src/shared/datacenters';
import { consentPage, errorPage } from './consent-page';
import type { SimContext } from './context';
import { redirect, sendHtml, sendJson } from './http-util';
import { THROTTLE_BODY } from './limits';
import type { PkceChallenge, TokenOutcome } from './state';
import type { SimClient } from './types';

/** Zoho accepts comma-separated scopes (its docs); spaces (RFC 6749 §3.3) are tolerated too. */
export function parseScopes(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

type Params = ReadonlyMap<string, string>;

interface ValidAuthRequest {
  readonly client: SimClient;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly pkce: PkceChallenge | null;
}

/**
 * Validates the client and redirect URI first: when either is wrong the user sees an error page and is
 * never redirected (RFC 6749 §4.1.2.1), because the redirect target cannot be trusted.
 */
function validateAuthRequest(
  ctx: SimContext,
  dc: DataCenterId,
  params: Params,
  res: ServerResponse,
): ValidAuthRequest | undefined {
  const client = ctx.state.clients.get(params.get('client_id') ?? '');
  if (!client || !ctx.state.clientEnabledAt(client, dc)) {
    sendHtml(res, 400, errorPage('Invalid Client', 'The client_id is not registered (at this data center).'));
    return undefined;
  }
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!client.redirectUris.includes(redirectUri)) {
    sendHtml(
      res,
      400,
      errorPage(
        'Invalid Redirect Uri',
        'The redirect_uri does not exactly match one registered for this client.',
      ),
    );
    return undefined;
  }
  const state = params.get('state');
  if (params.get('response_type') !== 'code') {
    redirect(res, callbackUrl(redirectUri, { error: 'unsupported_response_type', state }));
    return undefined;
  }
  const scopes = parseScopes(params.get('scope'));
  if (scopes.length === 0) {
    redirect(res, callbackUrl(redirectUri, { error: 'invalid_scope', state }));
    return undefined;
  }
  // Zoho's PKCE parameters: code_challenge_method is S256 or plain, plain when absent.
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method') ?? 'plain';
  if (challenge !== undefined && method !== 'S256' && method !== 'plain') {
    redirect(res, callbackUrl(redirectUri, { error: 'invalid_request', state }));
    return undefined;
  }
  const pkce = challenge ? { challenge, method: method as PkceChallenge['method'] } : null;
  return { client, redirectUri, scopes, pkce };
}

function callbackUrl(redirectUri: string, fields: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** The consent page for a validated request, with `error` shown above the form when given. */
function consentPageFor(
  ctx: SimContext,
  dc: DataCenterId,
  valid: ValidAuthRequest,
  params: Params,
  error?: string,
): string {
  return consentPage({
    client: valid.client,
    scopes: valid.scopes,
    params,
    users: [...ctx.state.users.values()],
    dataCenterLabel: DATA_CENTERS[dc].label,
    error,
  });
}

/** `GET /oauth/v2/auth`: the consent page. */
export function handleAuthPage(ctx: SimContext, dc: DataCenterId, params: Params, res: ServerResponse): void {
  const valid = validateAuthRequest(ctx, dc, params, res);
  if (!valid) return;
  sendHtml(res, 200, consentPageFor(ctx, dc, valid, params));
}

/** `POST /oauth/v2/auth/approve`: what pressing Accept or Deny on the consent page does. */
export function handleApprove(ctx: SimContext, dc: DataCenterId, params: Params, res: ServerResponse): void {
  const valid = validateAuthRequest(ctx, dc, params, res);
  if (!valid) return;
  const state = params.get('state');
  if (params.get('decision') !== 'accept') {
    redirect(res, callbackUrl(valid.redirectUri, { error: 'access_denied', state }));
    return;
  }
  const user = ctx.state.findUser(params.get('email') ?? '');
  const home = user ? ctx.dataCenters.get(user.dataCenter) : undefined;
  if (!user || !home) {
    const error = user ? "This user's data center is not running in the simulator." : 'No such user.';
    sendHtml(res, 400, consentPageFor(ctx, dc, valid, params, error));
    return;
  }
  const issued = ctx.state.issueCode({
    clientId: valid.client.clientId,
    user,
    scopes: valid.scopes,
    redirectUri: valid.redirectUri,
    offline: params.get('access_type') === 'offline',
    forceConsent: params.get('prompt') === 'consent',
    pkce: valid.pkce,
  });
  if (!issued.ok) {
    // docs/zoho.md: access_denied also means the grant-code limit was hit.
    redirect(res, callbackUrl(valid.redirectUri, { error: 'access_denied', state }));
    return;
  }
  ctx.stats.grantCodesIssued += 1;
  // docs/zoho.md "Callback": the code is to be exchanged at the accounts server of `location`.
  redirect(
    res,
    callbackUrl(valid.redirectUri, {
      state,
      code: issued.code,
      location: home.location,
      'accounts-server': home.accountsUrl,
    }),
  );
}

/** `POST /oauth/v2/token`: errors are HTTP 200 with `{"error": ...}`, as Zoho sends them (docs/zoho.md). */
export function handleToken(ctx: SimContext, dc: DataCenterId, params: Params, res: ServerResponse): void {
  const grantType = params.get('grant_type');
  const clientId = params.get('client_id') ?? '';
  const clientSecret = params.get('client_secret') ?? '';
  let outcome: TokenOutcome;
  if (grantType === 'authorization_code') {
    outcome = ctx.state.exchangeCode(dc, {
      clientId,
      clientSecret,
      code: params.get('code') ?? '',
      redirectUri: params.get('redirect_uri'),
      codeVerifier: params.get('code_verifier'),
    });
  } else if (grantType === 'refresh_token') {
    const refreshToken = params.get('refresh_token') ?? '';
    outcome = ctx.state.refresh(dc, { clientId, clientSecret, refreshToken });
    if (outcome.ok) {
      ctx.stats.refreshesByToken.set(refreshToken, (ctx.stats.refreshesByToken.get(refreshToken) ?? 0) + 1);
    }
  } else {
    sendJson(res, 200, { error: 'unsupported_grant_type' });
    return;
  }
  if (!outcome.ok) {
    sendJson(res, 200, outcome.error === 'throttled' ? THROTTLE_BODY : { error: outcome.error });
    return;
  }
  const lifetimeSec = ctx.state.accessTokenLifetimeSec;
  const expires =
    ctx.expiresInStyle === 'legacy-ms'
      ? { expires_in_sec: lifetimeSec, expires_in: lifetimeSec * 1000 }
      : { expires_in: lifetimeSec };
  sendJson(res, 200, {
    access_token: outcome.accessToken.token,
    ...(outcome.refreshToken ? { refresh_token: outcome.refreshToken } : {}),
    api_domain: ctx.dataCenters.get(dc)?.apiDomain,
    token_type: 'Bearer',
    ...expires,
  });
}

/** `POST /oauth/v2/token/revoke?token=...`. */
export function handleRevoke(ctx: SimContext, dc: DataCenterId, params: Params, res: ServerResponse): void {
  ctx.stats.revokeRequests += 1;
  if (ctx.state.revoke(dc, params.get('token') ?? '')) {
    ctx.stats.revokes += 1;
    sendJson(res, 200, { status: 'success' });
    return;
  }
  sendJson(res, 400, { status: 'failure', error: 'invalid_token' });
}
