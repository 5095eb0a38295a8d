import type { AreaHandlers } from './area-handlers';
import type { CoreContext } from './core-context';

/** Check all, bulk actions and the list export (docs/health.md); their state is `ctx.tokenJobs`. */
export function tokenJobHandlers(
  ctx: CoreContext,
): AreaHandlers<'checkAllTokens' | 'runTokenJob' | 'cancelTokenJob' | 'exportTokenList'> {
  return ctx.tokenJobs.handlers;
}
