import { encodeTokenList } from '../../../shared/ipc/token-list';
import type { AreaHandlers } from './area-handlers';
import type { CoreContext } from './core-context';

/** Token actions, on the encrypted store or on the token source a request names (docs/sources.md). */
export function tokenHandlers(
  ctx: CoreContext,
): AreaHandlers<
  | 'listTokens'
  | 'refreshToken'
  | 'testToken'
  | 'copyAccessToken'
  | 'deleteToken'
  | 'clearAllTokens'
  | 'connectedAccounts'
  | 'listPendingRevokes'
  | 'retryPendingRevoke'
> {
  const { services, zoho, labels } = ctx;
  return {
    // The compact wire form (src/shared/ipc/token-list.ts); the renderer's api layer decodes it.
    // With each token's client name, label, note and organisation (docs/labels.md).
    async listTokens(req) {
      const views = await labels.annotate(
        req.sourceId,
        (await (await services.serviceFor(req.sourceId)).list()).map((view) =>
          zoho.isFromEndedDemoRun(view.apiDomain) ? { ...view, status: 'demo-ended' as const } : view,
        ),
      );
      // The local store's list keeps the badge and notifications current (docs/health.md "Signals").
      if (req.sourceId === undefined || req.sourceId === 'local') ctx.tokenJobs.observeList(views);
      return encodeTokenList(views);
    },
    refreshToken: async (req) => (await services.serviceFor(req.sourceId)).refreshNow(req.id),
    testToken: async (req) =>
      labels.tested(req.sourceId, req.id, await (await services.serviceFor(req.sourceId)).testCall(req.id)),
    async copyAccessToken(req) {
      // A read-only team member takes no secret out of the team store (docs/team-store.md "Read-only").
      (await services.sourceFor(req.sourceId)).assertWritable?.('copy its tokens');
      return (await services.serviceFor(req.sourceId)).copyAccessToken(req.id);
    },
    async deleteToken(req) {
      await services.assertMayDelete(req.sourceId, req.deleteIfRevokeFails);
      const result = await (await services.serviceFor(req.sourceId)).delete(req.id, {
        revoke: req.revoke,
        deleteIfRevokeFails: req.deleteIfRevokeFails,
      });
      await labels.deleted(req.sourceId, [result]);
      return result;
    },
    async clearAllTokens(req) {
      await services.assertMayDelete(req.sourceId, req.deleteIfRevokeFails);
      const result = await (await services.serviceFor(req.sourceId)).clearAll({
        revoke: req.revoke,
        expectedCount: req.expectedCount,
        deleteIfRevokeFails: req.deleteIfRevokeFails,
        onProgress: (p) => ctx.deps.notify('tokens.clearProgress', p),
      });
      await labels.deleted(req.sourceId, result.results);
      return result;
    },
    async connectedAccounts(req) {
      return { userNames: await services.tokens().connectedAccounts(req) };
    },
    listPendingRevokes: async () => services.tokens().listPendingRevokes(),
    retryPendingRevoke: (req) => services.tokens().retryPendingRevoke(req.id),
  };
}
