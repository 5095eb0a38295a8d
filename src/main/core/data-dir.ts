import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The app's data folder outside Electron (the simulator, tests and tools), computed as Electron computes
 * `app.getPath('userData')` for an app named `tokendesk` (package.json `name`, no `productName`):
 * `%APPDATA%` on Windows, `~/Library/Application Support` on macOS, `$XDG_CONFIG_HOME` or `~/.config`
 * elsewhere. `TOKENDESK_DATA_DIR` overrides it.
 */
export const APP_FOLDER_NAME = 'tokendesk';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const override = env.TOKENDESK_DATA_DIR?.trim();
  if (override) return override;
  const appData =
    platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : env.XDG_CONFIG_HOME?.trim() || join(home, '.config');
  return join(appData, APP_FOLDER_NAME);
}
