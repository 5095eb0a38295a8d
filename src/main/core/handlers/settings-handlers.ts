import type { IpcParsedRequest } from '../../../shared/ipc/contract';
import { createLogger } from '../../log';
import type { AreaHandlers } from './area-handlers';
import type { CoreContext } from './core-context';

const log = createLogger('app.core');

/** The app's settings (audited while a store is open) and the log folder. */
export function settingsHandlers(
  ctx: CoreContext,
): AreaHandlers<'getSettings' | 'updateSettings' | 'openLogFolder'> {
  const { deps, lifecycle } = ctx;
  return {
    getSettings: async () => deps.settings.get(),
    async updateSettings(req: IpcParsedRequest<'updateSettings'>) {
      const next = deps.settings.update(req);
      ctx.idle.settingsChanged();
      ctx.tokenJobs.settingsChanged();
      if (lifecycle.current) {
        lifecycle.audit({
          action: 'settings',
          outcome: 'success',
          detail: `Settings changed: ${Object.keys(req).join(', ') || 'nothing'}.`,
        });
      }
      return next;
    },
    async openLogFolder() {
      if (!deps.logFolder) return { opened: false, path: '' };
      try {
        await deps.logFolder.open();
        return { opened: true, path: deps.logFolder.path };
      } catch (error) {
        log.warn('could not open the log folder', { error });
        return { opened: false, path: deps.logFolder.path };
      }
    },
  };
}
