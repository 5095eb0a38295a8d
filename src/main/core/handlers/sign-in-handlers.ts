import { errorCodeOf } from '../../errors';
import { createLogger } from '../../log';
import {
  exchangeSelfClientCode,
  type FlowTarget,
  type GrantedToken,
  importRefreshToken,
  markEvictedBySignIn,
  runBrowserSignIn,
} from '../../oauth';
import { keepingUnrevokedTokens } from '../../tokens/unfinished-sign-in';
import { zohoPort } from '../../zoho';
import type { ReportStage } from '../sign-in-flows';
import type { AreaHandlers } from './area-handlers';
import type { CoreContext } from './core-context';

const log = createLogger('app.core');

const DEFAULT_SCOPES = ['ZohoCRM.users.READ', 'ZohoCRM.org.READ', 'ZohoCRM.modules.ALL'];

/** The three ways a token is added (browser, Self Client grant code, import) and re-authorising one. */
export function signInHandlers(
  ctx: CoreContext,
): AreaHandlers<
  'reauthorise' | 'signInWithBrowser' | 'cancelSignIn' | 'signInWithGrantCode' | 'importRefreshToken'
> {
  const { deps, lifecycle, services, zoho, flows } = ctx;

  /**
   * The browser sign-in for `target`, on the settings' loopback port; reports `saving` once it has a token.
   * `issuedAt` is the API domain of the token being re-authorised (null for a new account): a re-authorised
   * token signs in again where it was issued, a new account where new sign-ins go (the simulator in demo).
   */
  async function browserFlow(
    target: FlowTarget & { readonly scopes: readonly string[] },
    issuedAt: string | null,
    signal: AbortSignal,
    report: ReportStage,
  ): Promise<GrantedToken> {
    const settings = deps.settings.get();
    const clients = issuedAt === null ? zoho.newSignInClients(target.clientId) : zoho.clientsFor(issuedAt);
    const toSimulator = clients === zoho.demo;
    const granted = await runBrowserSignIn({
      ...target,
      scopes: target.scopes.length > 0 ? target.scopes : DEFAULT_SCOPES,
      zoho: keepingUnrevokedTokens(zohoPort(clients), services.tokens(), target),
      opener: zoho.opener,
      port: deps.loopbackPort ?? settings.redirectPort,
      // The simulator's client accepts whatever port the flow gets (demoAwareOpener registers it).
      anyPortIfBusy: toSimulator,
      path: settings.redirectPath,
      signal,
      onProgress: (u) => report(u.stage, u.authUrl, u.message),
      heldTokens: () => lifecycle.require().store.getTokens(),
      ...(deps.signInTimeoutMs !== undefined ? { timeoutMs: deps.signInTimeoutMs } : {}),
    });
    report('saving', null, null);
    return granted;
  }

  /**
   * A sign-in made a new refresh token: the held tokens Zoho deleted for it (the user's 21st for the
   * client) say so on their rows. A failure here never turns the saved sign-in into a failure.
   */
  async function markEvicted<V extends { readonly id: string }>(view: V): Promise<V> {
    try {
      const open = lifecycle.require();
      if ((await markEvictedBySignIn(open.store, open.notes, view.id)).length > 0) ctx.changed('evicted');
    } catch (error) {
      log.warn('Could not mark tokens Zoho deleted for a new refresh token', {
        errorCode: errorCodeOf(error),
      });
    }
    return view;
  }

  return {
    async reauthorise(req) {
      // A re-authorisation replaces (and revokes) the refresh token everyone uses: not a read-only member's.
      (await services.sourceFor(req.sourceId)).assertWritable?.('re-authorise tokens');
      const service = await services.serviceFor(req.sourceId);
      // TokenService checks the user and updates the same row; the flow only fetches the new grant.
      return flows
        .run(req.flowId, (signal, report) =>
          service.reauthorise(req.id, ({ apiDomain, ...target }) =>
            browserFlow(target, apiDomain, signal, report),
          ),
        )
        .then(markEvicted);
    },
    signInWithBrowser(req) {
      const service = services.tokens();
      const { flowId, ...target } = req;
      return flows
        .run(flowId, (signal, report) =>
          service.signIn('browser', () => browserFlow(target, null, signal, report)),
        )
        .then(markEvicted);
    },
    cancelSignIn: async (req) => ({ cancelled: flows.cancel(req.flowId) }),
    async signInWithGrantCode(req) {
      const service = services.tokens();
      const { grantCode, ...target } = req;
      return service
        .signIn('self-client', () =>
          exchangeSelfClientCode({
            ...target,
            grantCode,
            zoho: keepingUnrevokedTokens(zohoPort(zoho.newSignInClients(target.clientId)), service, target),
          }),
        )
        .then(markEvicted);
    },
    async importRefreshToken(req) {
      const service = services.tokens();
      const { refreshToken, ...target } = req;
      return service.signIn('import', () =>
        importRefreshToken({
          ...target,
          refreshToken,
          zoho: zohoPort(zoho.newSignInClients(target.clientId)),
        }),
      );
    },
  };
}
