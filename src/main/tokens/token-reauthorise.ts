import type { DataCenterId, ZohoEnvironment } from '../../shared/datacenters';
import type { GrantedToken } from '../oauth/granted-token';
import type { OAuthToken } from '../store/oauth-token';
import { notFound, ServiceError } from './errors';
import type { ServiceContext } from './service-context';
import { type GrantOutcome, recordGrantFailure, writeGrant } from './token-grants';
import { revokeAtZoho } from './token-removal';
import { consoleUserName, sameUser } from './user-name';

/**
 * Re-authorisation (docs/architecture.md "Token rules"): a new browser sign-in saved over the same row,
 * or refused and its new token revoked. The sign-ins that add a token are in token-grants.ts.
 */

const REPLACED_BY_REAUTH = 'replaced by a re-authorisation';

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
 * Revokes a new token that will not be kept (another user signed in, or the row went meanwhile); kept
 * as a pending revoke while Zoho is asked, and after if Zoho does not confirm. Returns the sentence
 * that tells the user what happened to it.
 */
async function discardNewToken(
  ctx: ServiceContext,
  id: string,
  token: OAuthToken,
  why: string,
): Promise<string> {
  const held = ctx.pending.hold(token, why);
  const revoke = await revokeAtZoho(ctx, { id, userName: token.userName, token }, [], `New token ${why}: `);
  ctx.pending.settle(held.id, revoke);
  if (revoke.state === 'revoked') return 'The new token was revoked at Zoho.';
  if (revoke.state === 'already-dead') return 'Zoho answered that the new token is already dead.';
  if (revoke.state === 'skipped') return 'The new token had no refresh token to revoke.';
  return `The new token could NOT be revoked (${revoke.message}) TokenDesk keeps it as a pending revoke${
    held.onDisk ? '' : ' in memory'
  } and retries until Zoho confirms it dead.`;
}

/**
 * A new browser sign-in for the same user, client and DC/env, updating the SAME row. If Zoho signed in
 * someone else, or the row was deleted while the browser was open, the new token is revoked and
 * nothing is saved. The replaced refresh token is revoked (kept as a pending revoke until Zoho confirms).
 */
export async function reauthorise(ctx: ServiceContext, id: string, flow: ReauthFlow): Promise<GrantOutcome> {
  const current = await ctx.store.findTokenById(id);
  if (!current) throw notFound(id);
  const { clientId, clientSecret, dataCenter, environment } = current;
  if (!clientId || !clientSecret || !dataCenter || !environment) {
    throw new ServiceError(
      'INCOMPLETE_TOKEN',
      'This token lacks its client id, client secret, data center or environment, so it cannot be re-authorised.',
      { hint: 'Delete it and sign in again.' },
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
  // The browser may have been open for minutes: the row is read again under its lock before it is changed.
  return ctx.locks.run(id, async () => {
    const now = await ctx.store.findTokenById(id);
    if (!now) {
      const fate = await discardNewToken(ctx, id, incoming, 'signed in for a token deleted meanwhile');
      ctx.audit.record({
        action: 'grant',
        outcome: 'failure',
        tokenId: id,
        userName: current.userName,
        detail: `Re-authorisation not saved: the token was deleted while the browser sign-in ran. ${fate}`,
      });
      throw new ServiceError(
        'NOT_FOUND',
        `This token was deleted while it was being re-authorised, so the new sign-in was not kept. ${fate}`,
        { hint: 'Add the account again if you still need it.' },
      );
    }
    if (now.userName !== null && !sameUser(now.userName, incoming.userName)) {
      // In words a person reads: the email, also for a row the SDK named `<email>:<org id>`.
      const owner = consoleUserName(now.userName);
      const signedIn = consoleUserName(incoming.userName) ?? 'another user';
      const fate = await discardNewToken(
        ctx,
        id,
        incoming,
        `signed in as ${signedIn} during a re-authorisation`,
      );
      ctx.audit.record({
        action: 'grant',
        outcome: 'failure',
        tokenId: id,
        userName: now.userName,
        detail: `Re-authorisation refused: Zoho signed in ${signedIn}, not ${owner}. ${fate}`,
      });
      throw new ServiceError(
        'DIFFERENT_USER',
        `Zoho signed in ${signedIn}, but this token belongs to ${owner}. Nothing was changed. ${fate}`,
        { hint: `Sign out of Zoho in your browser, then re-authorise and sign in as ${owner}.` },
      );
    }
    const updated: OAuthToken = {
      ...now,
      accessToken: incoming.accessToken,
      refreshToken: incoming.refreshToken ?? now.refreshToken,
      expiryTime: incoming.expiryTime,
      apiDomain: incoming.apiDomain ?? now.apiDomain,
      scopes: incoming.scopes ?? now.scopes,
      redirectUrl: incoming.redirectUrl ?? now.redirectUrl,
      userName: now.userName ?? incoming.userName,
      lastRefreshedAt: ctx.clock.now(),
      lastError: null,
    };
    return writeGrant(ctx, {
      toSave: updated,
      previous: now,
      incoming,
      replacedBecause: REPLACED_BY_REAUTH,
      audit: (savedId) => ({
        action: 'grant',
        outcome: 'success',
        tokenId: savedId,
        userName: updated.userName,
        detail: 'Re-authorised in the browser; the same entry now holds the new tokens.',
      }),
      changed: 'reauthorise',
    });
  });
}
