import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import { createLogger } from '../log';
import type { GrantedToken } from '../oauth/granted-token';
import { emptyToken, type OAuthToken } from '../store/oauth-token';
import { errorCodeOf, notFound, ServiceError, safeMessageOf } from './errors';
import type { ServiceContext } from './service-context';
import { revokeAtZoho } from './token-removal';
import { consoleUserName, sameUser } from './user-name';

const log = createLogger('service.grants');

/** How a token came in: a sign-in (browser or Self Client) or an imported refresh token. */
export type GrantSource = 'grant' | 'import';

/** How a token is being obtained: names the audit row of a failure. */
export type GrantMethod = 'browser' | 'self-client' | 'import';

const METHOD_WORDS: Record<GrantMethod | 'reauthorise', string> = {
  browser: 'Browser sign-in',
  'self-client': 'Self Client grant code exchange',
  import: 'Refresh token import',
  reauthorise: 'Re-authorisation in the browser',
};

/**
 * Audits a sign-in, code exchange, import or re-authorisation that did not finish (DESIGN.md "Token
 * rules": every grant and import writes a row, a failed one too): `grant` or `import`, outcome failure,
 * the error code and its shown message (AppError messages hold no secret; anything else gets generic
 * words). A cancelled sign-in says so. Never throws: a failed audit write must not hide the sign-in's
 * own error.
 */
export function recordGrantFailure(
  ctx: ServiceContext,
  method: GrantMethod | 'reauthorise',
  error: unknown,
  token: { readonly tokenId?: string | null; readonly userName?: string | null } = {},
): void {
  const code = errorCodeOf(error) ?? 'UNEXPECTED';
  const cancelled = code === 'CANCELLED' || (error instanceof Error && error.name === 'AbortError');
  const what = METHOD_WORDS[method];
  try {
    ctx.audit.record({
      action: method === 'import' ? 'import' : 'grant',
      outcome: 'failure',
      tokenId: token.tokenId ?? null,
      userName: token.userName ?? null,
      detail: cancelled
        ? `${what} cancelled; nothing was saved.`
        : `${what} failed (${code}): ${safeMessageOf(error, 'an unexpected error; see the app log.')} Nothing was saved.`,
    });
  } catch (auditError) {
    log.warn('Could not audit a failed sign-in', { errorCode: errorCodeOf(auditError) });
  }
}

/**
 * Runs `obtain` (a browser sign-in, a Self Client code exchange or a refresh-token import) and saves
 * what it got (`saveGranted`); if either fails, the failure is audited, then rethrown.
 */
export async function obtainAndSave(
  ctx: ServiceContext,
  method: GrantMethod,
  obtain: () => Promise<GrantedToken>,
): Promise<OAuthToken> {
  try {
    return await saveGranted(ctx, await obtain(), method === 'import' ? 'import' : 'grant');
  } catch (error) {
    recordGrantFailure(ctx, method, error);
    throw error;
  }
}

/** Revokes a refresh token this app no longer keeps; a failure is audited, never thrown. */
async function revokeReplaced(
  ctx: ServiceContext,
  previous: OAuthToken,
  replacement: OAuthToken,
): Promise<void> {
  if (!previous.refreshToken || previous.refreshToken === replacement.refreshToken) return;
  await revokeAtZoho(ctx, { id: previous.id ?? '', userName: previous.userName, token: previous });
}

/**
 * Saves a sign-in's token: an existing row for the same user, client, data center and environment is
 * updated in place (same id); if that replaces a refresh token, the old one is revoked at Zoho, since
 * nothing would use it again and Zoho keeps at most 20 per user.
 */
export async function saveGranted(
  ctx: ServiceContext,
  granted: GrantedToken,
  source: GrantSource,
): Promise<OAuthToken> {
  const incoming = granted.token;
  const existing = incoming.userName
    ? await ctx.store.findToken(
        emptyToken({
          userName: incoming.userName,
          clientId: incoming.clientId,
          dataCenter: incoming.dataCenter,
          environment: incoming.environment,
        }),
      )
    : null;
  const toSave: OAuthToken = {
    ...incoming,
    id: existing?.id ?? null,
    lastRefreshedAt: ctx.clock.now(),
    lastError: null,
  };
  await ctx.store.saveToken(toSave);
  const id = toSave.id ?? '';
  ctx.notes.setReauthRequired(id, false);
  ctx.audit.record({
    action: source,
    outcome: 'success',
    tokenId: id,
    userName: incoming.userName,
    detail: `${source === 'import' ? 'Refresh token imported' : 'Signed in'} for ${incoming.dataCenter ?? '?'} ${
      incoming.environment ?? '?'
    }${existing ? '; replaced the stored token for the same user and client' : ''}.`,
  });
  if (existing) await revokeReplaced(ctx, existing, toSave);
  ctx.onChanged(source);
  return (await ctx.store.findTokenById(id)) ?? toSave;
}

/** What a re-authorisation flow needs to ask Zoho for the same grant again. */
export interface ReauthTarget {
  readonly dataCenter: DataCenterId;
  readonly environment: ZohoEnvironment;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  readonly userName: string | null;
  /** Where the token was issued (Zoho, or the demo simulator): the new sign-in goes to the same place. */
  readonly apiDomain: string | null;
}

export type ReauthFlow = (target: ReauthTarget) => Promise<GrantedToken>;

/**
 * A new browser sign-in for the same user, client and DC/env, updating the SAME row. If Zoho signed in
 * someone else, the new token is revoked and nothing is saved. The replaced refresh token is revoked.
 */
export async function reauthorise(ctx: ServiceContext, id: string, flow: ReauthFlow): Promise<OAuthToken> {
  const current = await ctx.store.findTokenById(id);
  if (!current) throw notFound(id);
  const { clientId, clientSecret, dataCenter, environment } = current;
  if (!clientId || !clientSecret || !dataCenter || !environment) {
    throw new ServiceError(
      'INCOMPLETE_TOKEN',
      'This token lacks its client id, client secret, data center or environment, so it cannot be re-authorised.',
      'Delete it and sign in again.',
    );
  }
  let granted: GrantedToken;
  try {
    granted = await flow({
      dataCenter,
      environment,
      clientId,
      clientSecret,
      scopes: current.scopes && current.scopes.length > 0 ? current.scopes : ['ZohoCRM.users.READ'],
      userName: current.userName,
      apiDomain: current.apiDomain,
    });
  } catch (error) {
    recordGrantFailure(ctx, 'reauthorise', error, { tokenId: id, userName: current.userName });
    throw error;
  }
  const incoming = granted.token;
  if (current.userName !== null && !sameUser(current.userName, incoming.userName)) {
    await revokeAtZoho(ctx, { id, userName: incoming.userName, token: incoming });
    // In words a person reads: the email, also for a row the SDK named `<email>:<org id>`.
    const owner = consoleUserName(current.userName);
    const signedIn = consoleUserName(incoming.userName) ?? 'another user';
    ctx.audit.record({
      action: 'grant',
      outcome: 'failure',
      tokenId: id,
      userName: current.userName,
      detail: `Re-authorisation refused: Zoho signed in ${signedIn}, not ${owner}. The new token was revoked.`,
    });
    throw new ServiceError(
      'DIFFERENT_USER',
      `Zoho signed in ${signedIn}, but this token belongs to ${owner}. Nothing was changed and the new token was revoked.`,
      `Sign out of Zoho in your browser, then re-authorise and sign in as ${owner}.`,
    );
  }
  const updated: OAuthToken = {
    ...current,
    accessToken: incoming.accessToken,
    refreshToken: incoming.refreshToken ?? current.refreshToken,
    expiryTime: incoming.expiryTime,
    apiDomain: incoming.apiDomain ?? current.apiDomain,
    scopes: incoming.scopes ?? current.scopes,
    redirectUrl: incoming.redirectUrl ?? current.redirectUrl,
    userName: current.userName ?? incoming.userName,
    lastRefreshedAt: ctx.clock.now(),
    lastError: null,
  };
  await ctx.store.saveToken(updated);
  ctx.notes.setReauthRequired(id, false);
  ctx.audit.record({
    action: 'grant',
    outcome: 'success',
    tokenId: id,
    userName: updated.userName,
    detail: 'Re-authorised in the browser; the same entry now holds the new tokens.',
  });
  await revokeReplaced(ctx, current, updated);
  ctx.onChanged('reauthorise');
  return (await ctx.store.findTokenById(id)) ?? updated;
}
