import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import type { GrantedToken } from '../oauth/granted-token';
import { emptyToken, type OAuthToken } from '../store/oauth-token';
import { notFound, ServiceError } from './errors';
import type { ServiceContext } from './service-context';
import { revokeAtZoho } from './token-removal';
import { consoleUserName, sameUser } from './user-name';

/** How a token came in: a sign-in (browser or Self Client) or an imported refresh token. */
export type GrantSource = 'grant' | 'import';

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
  const granted = await flow({
    dataCenter,
    environment,
    clientId,
    clientSecret,
    scopes: current.scopes && current.scopes.length > 0 ? current.scopes : ['ZohoCRM.users.READ'],
    userName: current.userName,
    apiDomain: current.apiDomain,
  });
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
