import Conf from 'conf';
import { type Settings, SettingsSchema } from '../../shared/ipc/views';

/**
 * The app's settings (the contract's `Settings`). Implementations: `conf` under Node (here), electron-store
 * in the edge (same `store` property, so `KeyValueSettings` wraps either), and a plain object in tests
 * (test-support/memory-settings.ts).
 */
export interface SettingsStore {
  get(): Settings;
  /** Merges, validates (zod) and persists; returns the result. Invalid input throws and changes nothing. */
  update(patch: Partial<Settings>): Settings;
}

/** Defaults: US production, loopback `http://127.0.0.1:53682/callback`, demo mode until configured. */
export const DEFAULT_SETTINGS: Settings = {
  defaultDataCenter: 'US',
  defaultEnvironment: 'production',
  redirectPort: 53682,
  redirectPath: '/callback',
  demoMode: true,
  theme: 'system',
  autoLockSeconds: 15 * 60,
  healthCheckHours: 0,
};

/** Stored values field by field over the defaults; a field that fails its schema falls back to the default. */
function settingsFrom(stored: Readonly<Record<string, unknown>>): Settings {
  const shape = SettingsSchema.shape;
  const pick = <K extends keyof Settings>(key: K): Settings[K] => {
    const parsed = shape[key].safeParse(stored[key]);
    return parsed.success ? (parsed.data as Settings[K]) : DEFAULT_SETTINGS[key];
  };
  return {
    defaultDataCenter: pick('defaultDataCenter'),
    defaultEnvironment: pick('defaultEnvironment'),
    redirectPort: pick('redirectPort'),
    redirectPath: pick('redirectPath'),
    demoMode: pick('demoMode'),
    theme: pick('theme'),
    autoLockSeconds: pick('autoLockSeconds'),
    healthCheckHours: pick('healthCheckHours'),
  };
}

function merged(current: Settings, patch: Partial<Settings>): Settings {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return SettingsSchema.parse({ ...current, ...defined });
}

/** What `conf` and electron-store both offer: the whole store as one object. */
export interface KeyValueBackend {
  store: Record<string, unknown>;
}

export class KeyValueSettings implements SettingsStore {
  constructor(private readonly backend: KeyValueBackend) {}

  get(): Settings {
    return settingsFrom(this.backend.store);
  }

  update(patch: Partial<Settings>): Settings {
    const next = merged(this.get(), patch);
    this.backend.store = { ...this.backend.store, ...next };
    return next;
  }
}

/** Settings in `<cwd>/settings.json` through `conf` (plain Node; the settings tests use it). */
export function createConfSettings(options: { cwd: string; configName?: string }): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({
    cwd: options.cwd,
    configName: options.configName ?? 'settings',
    projectName: 'tokendesk',
  });
  return new KeyValueSettings(conf);
}
