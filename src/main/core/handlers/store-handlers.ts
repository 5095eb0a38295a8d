import type { AreaHandlers } from './area-handlers';
import type { CoreContext } from './core-context';

/**
 * Set-up, unlock, lock and passphrase changes of the encrypted store, including a keychain store's second
 * passphrase (docs/store-lifecycle.md).
 */
export function storeHandlers(
  ctx: CoreContext,
): AreaHandlers<
  | 'getStatus'
  | 'setupStore'
  | 'unlockStore'
  | 'unlockWithKeychain'
  | 'lockStore'
  | 'noteActivity'
  | 'changePassphrase'
  | 'addStorePassphrase'
  | 'removeStorePassphrase'
> {
  const { lifecycle, idle } = ctx;
  return {
    getStatus: () => ctx.status(),
    async setupStore(req) {
      const { warning } = await lifecycle.setup(req);
      idle.start();
      ctx.changed('setup');
      return { ...(await ctx.status()), warning };
    },
    async unlockStore(req) {
      const { warning } = await lifecycle.unlock(req.passphrase);
      idle.start();
      ctx.changed('unlock');
      return { ...(await ctx.status()), warning };
    },
    async unlockWithKeychain() {
      const { warning } = await lifecycle.unlockWithKeychain();
      idle.start();
      ctx.changed('unlock');
      return { ...(await ctx.status()), warning };
    },
    async lockStore() {
      await ctx.lockStore('manual');
      return ctx.status();
    },
    // Counted as activity by withStoreWork, like every request that is not a passive read.
    noteActivity: async () => ({ noted: true as const }),
    async changePassphrase(req) {
      // The sources' sealed settings move to the new key with the token rows (SourceSettingsVault).
      ctx.services.sources();
      // So do the team store's member key and connection settings (TeamLocalVault).
      ctx.services.team();
      const { warning } = await lifecycle.changePassphrase(req.current, req.next);
      return { changed: true as const, warning };
    },
    async addStorePassphrase(req) {
      const { warning } = await lifecycle.addPassphrase(req.passphrase);
      return { added: true as const, warning };
    },
    async removeStorePassphrase() {
      // A new data key: the sources' sealed settings move with the rows, as for a passphrase change.
      ctx.services.sources();
      const { warning } = await lifecycle.removePassphrase();
      return { removed: true as const, warning };
    },
  };
}
