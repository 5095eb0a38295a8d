import type { Settings } from '../../../shared/ipc/views';
import { KeyValueSettings } from '../settings';

/**
 * Settings held in memory, for tests, benchmarks and the e2e harness: the production KeyValueSettings
 * over a plain object, so defaults, merging and validation are the real ones. `initial` is applied as an
 * update: an invalid value throws, as it would from the app.
 */
export class MemorySettings extends KeyValueSettings {
  constructor(initial: Partial<Settings> = {}) {
    super({ store: {} });
    if (Object.keys(initial).length > 0) this.update(initial);
  }
}
