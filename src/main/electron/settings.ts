import ElectronStore from 'electron-store';
import { KeyValueSettings, type SettingsStore } from '../common/settings';

/**
 * Settings in the app's user-data folder through electron-store. All validation and defaults live in
 * KeyValueSettings (plain Node, tested with `conf`); this only supplies the Electron-aware backend.
 */
export function createElectronSettings(): SettingsStore {
  return new KeyValueSettings(new ElectronStore<Record<string, unknown>>({ name: 'settings' }));
}
