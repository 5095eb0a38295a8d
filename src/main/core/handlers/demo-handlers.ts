import { createLogger } from '../../log';
import { ServiceError } from '../../tokens/errors';
import type { AreaHandlers } from './area-handlers';
import type { CoreContext } from './core-context';

const log = createLogger('app.core');

/** Demo mode: the built-in Zoho simulator, started on request while the settings allow it. */
export function demoHandlers(ctx: CoreContext): AreaHandlers<'startDemo'> {
  const { deps, zoho } = ctx;
  return {
    async startDemo() {
      if (!zoho.simulator) {
        if (!deps.startSimulator) {
          throw new ServiceError('DEMO_UNAVAILABLE', 'Demo mode is not available in this build.');
        }
        if (!deps.settings.get().demoMode) {
          throw new ServiceError('DEMO_UNAVAILABLE', 'Demo mode is switched off.', {
            hint: 'Switch it on in Settings to start the built-in Zoho simulator.',
          });
        }
        const simulator = await deps.startSimulator();
        zoho.routeToSimulator(simulator);
        log.info('demo mode: using the Zoho simulator', {
          dataCenters: simulator.dataCenters.map((d) => d.id),
        });
        // Audited like a settings change: from now on new sign-ins with the simulator's clients go to it.
        ctx.lifecycle.audit({
          action: 'settings',
          outcome: 'success',
          detail: `Demo mode started: the built-in Zoho simulator runs on this computer (${simulator.dataCenters
            .map((d) => d.id)
            .join(', ')}); its own demo clients sign in there, real clients still go to Zoho.`,
        });
        ctx.changed('demo');
      }
      return ctx.status();
    },
  };
}
