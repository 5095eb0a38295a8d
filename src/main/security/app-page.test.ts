import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAppPageCheck } from './app-page';

const file = '/opt/TokenDesk/resources/app.asar/out/renderer/index.html';
const fileUrl = 'file:///opt/TokenDesk/resources/app.asar/out/renderer/index.html';

describe('app page check', () => {
  it('accepts the built renderer page, with any hash or query', () => {
    const check = createAppPageCheck({ rendererFile: file, platform: 'linux' });
    expect(check(fileUrl)).toBe(true);
    expect(check(`${fileUrl}#/tokens`)).toBe(true);
    expect(check(`${fileUrl}?tab=audit`)).toBe(true);
  });

  it.each([
    'file:///opt/TokenDesk/resources/app.asar/out/renderer/other.html',
    'file:///OPT/TokenDesk/resources/app.asar/out/renderer/index.html',
    'file:///home/ann/Downloads/index.html',
    'file://evil-host/opt/TokenDesk/resources/app.asar/out/renderer/index.html',
    'https://accounts.zoho.com/',
    'http://127.0.0.1:5173/',
    'about:blank',
    'data:text/html,hi',
    '',
    'garbage',
  ])('refuses %j', (url) => {
    expect(createAppPageCheck({ rendererFile: file, platform: 'linux' })(url)).toBe(false);
  });

  it('accepts the dev server origin only when one is configured', () => {
    const dev = createAppPageCheck({ rendererFile: file, devServerUrl: 'http://localhost:5173/' });
    expect(dev('http://localhost:5173/')).toBe(true);
    expect(dev('http://localhost:5173/#/audit')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('https://localhost:5173/')).toBe(false);
    expect(createAppPageCheck({ rendererFile: file, devServerUrl: null })('http://localhost:5173/')).toBe(
      false,
    );
  });

  it('refuses to be configured without a renderer path or with a non-http dev server', () => {
    expect(() => createAppPageCheck({ rendererFile: '' })).toThrow();
    expect(() => createAppPageCheck({ rendererFile: file, devServerUrl: 'file:///x' })).toThrow();
  });
});

/**
 * Chromium reports the page's URL in its own spelling; Node's `pathToFileURL` spells the same file another
 * way. Both must name the same file, or every request of the app's own window is refused.
 */
describe('app page check: the same file however its URL is spelled', () => {
  const windowsFile =
    'C:\\Users\\Ann [work] ^1 | 100%\\AppData\\Local\\Programs\\TokenDesk\\resources\\app.asar\\out\\renderer\\index.html';

  it.each([
    // What Chromium reports: a lowercase drive letter, brackets and caret kept, `|` and `%` escaped.
    'file:///c:/Users/Ann%20[work]%20^1%20%7C%20100%25/AppData/Local/Programs/TokenDesk/resources/app.asar/out/renderer/index.html',
    // Everything escaped.
    'file:///C:/Users/Ann%20%5Bwork%5D%20%5E1%20%7C%20100%25/AppData/Local/Programs/TokenDesk/resources/app.asar/out/renderer/index.html#/tokens',
    // Another case for the rest of the path (Windows file names ignore case).
    'file:///C:/USERS/ann%20[WORK]%20^1%20%7C%20100%25/appdata/local/programs/tokendesk/resources/app.asar/out/renderer/INDEX.HTML',
  ])('Windows: accepts %s', (url) => {
    expect(createAppPageCheck({ rendererFile: windowsFile, platform: 'win32' })(url)).toBe(true);
  });

  it.each([
    'file:///d:/Users/Ann%20[work]%20^1%20%7C%20100%25/AppData/Local/Programs/TokenDesk/resources/app.asar/out/renderer/index.html',
    'file://server/c$/Users/Ann%20[work]%20^1%20%7C%20100%25/AppData/Local/Programs/TokenDesk/resources/app.asar/out/renderer/index.html',
    'file:///c:/Users/Ann%20[work]%20^1%20%7C%20100%25/AppData/Local/Programs/TokenDesk/resources/app.asar/out/renderer/other.html',
  ])('Windows: refuses another file %s', (url) => {
    expect(createAppPageCheck({ rendererFile: windowsFile, platform: 'win32' })(url)).toBe(false);
  });

  it('POSIX: brackets, caret, pipe and percent in a folder name, whichever way they are escaped', () => {
    const posixFile = '/home/ann/apps/[beta] ^2 | 50%/TokenDesk/out/renderer/index.html';
    const check = createAppPageCheck({ rendererFile: posixFile, platform: 'linux' });
    expect(check(pathToFileURL(posixFile).href)).toBe(true);
    expect(check('file:///home/ann/apps/[beta]%20^2%20%7C%2050%25/TokenDesk/out/renderer/index.html')).toBe(
      true,
    );
    expect(
      check('file:///home/ann/apps/%5Bbeta%5D%20%5E2%20%7C%2050%25/TokenDesk/out/renderer/index.html'),
    ).toBe(true);
    // POSIX file names are case-sensitive.
    expect(check('file:///home/ann/apps/[BETA]%20^2%20%7C%2050%25/TokenDesk/out/renderer/index.html')).toBe(
      false,
    );
  });
});
