import { PLAINTEXT_CONFIRMATION } from '../../../shared/ipc/sources';
import { transferTokens } from '../../sources/token-transfer';
import type { AreaHandlers } from './area-handlers';
import type { CoreContext } from './core-context';

/** Token sources besides the encrypted store, and moving tokens between them (docs/sources.md). */
export function sourceHandlers(
  ctx: CoreContext,
): AreaHandlers<
  'listSources' | 'testSource' | 'addSource' | 'updateSource' | 'removeSource' | 'transferTokens'
> {
  const { lifecycle, services } = ctx;
  return {
    listSources: (req) => services.sources().catalog.list({ health: req.health !== false }),
    testSource: (req) => services.sources().catalog.test(req.settings, req.id),
    async addSource(req) {
      const view = await services.sources().catalog.add(req.settings);
      lifecycle.audit({
        action: 'settings',
        outcome: 'success',
        detail: `Token source added: ${view.displayName}.`,
      });
      return view;
    },
    async updateSource(req) {
      const view = await services.sources().catalog.update(req.id, req.settings);
      lifecycle.audit({
        action: 'settings',
        outcome: 'success',
        detail: `Token source changed: ${view.displayName}.`,
      });
      ctx.changed('sources');
      return view;
    },
    async removeSource(req) {
      await services.sources().catalog.remove(req.id);
      await ctx.labels.sourceRemoved(req.id);
      lifecycle.audit({
        action: 'settings',
        outcome: 'success',
        detail: 'Token source removed (its tokens stay where they are).',
      });
      ctx.changed('sources');
      return { removed: true as const };
    },
    async transferTokens(req) {
      const from = await services.sourceFor(req.fromSourceId);
      const to = await services.sourceFor(req.toSourceId);
      const result = await transferTokens(
        {
          from,
          to,
          move: req.move,
          plaintextConfirmed: req.confirmation === PLAINTEXT_CONFIRMATION,
          onProgress: (p) => ctx.deps.notify('sources.transferProgress', p),
          ...(req.ids ? { ids: req.ids } : {}),
        },
        lifecycle.require().audit,
      );
      ctx.changed('transfer');
      return { ...result, outcomes: [...result.outcomes] };
    },
  };
}
