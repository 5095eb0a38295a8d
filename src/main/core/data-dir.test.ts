import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './data-dir';

describe('defaultDataDir (where Electron puts userData for this app)', () => {
  it('follows XDG on Linux, falling back to ~/.config', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/conf' }, 'linux', '/home/a')).toBe(
      join('/x/conf', 'tokendesk'),
    );
    expect(defaultDataDir({}, 'linux', '/home/a')).toBe(join('/home/a', '.config', 'tokendesk'));
  });

  it('uses Application Support on macOS and APPDATA on Windows', () => {
    expect(defaultDataDir({}, 'darwin', '/Users/a')).toBe(
      join('/Users/a', 'Library', 'Application Support', 'tokendesk'),
    );
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a')).toBe(
      join('C:\\Users\\a\\AppData\\Roaming', 'tokendesk'),
    );
  });

  it('TOKENDESK_DATA_DIR wins, and a blank one is ignored', () => {
    expect(defaultDataDir({ TOKENDESK_DATA_DIR: '/srv/td' }, 'linux', '/home/a')).toBe('/srv/td');
    expect(defaultDataDir({ TOKENDESK_DATA_DIR: '  ' }, 'linux', '/home/a')).toBe(
      join('/home/a', '.config', 'tokendesk'),
    );
  });
});
