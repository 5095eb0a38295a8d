import { describe, expect, it } from 'vitest';
import { createAppPageCheck } from './app-page';
import { decidePermission } from './permissions';

const rendererFile = '/opt/TokenDesk/resources/app.asar/out/renderer/index.html';
const appUrl = `file://${rendererFile}`;
const isAppPage = createAppPageCheck({ rendererFile, platform: 'linux' });

describe('window permissions', () => {
  it('allows clipboard-sanitized-write to the app page in the top frame (the Copy buttons)', () => {
    expect(
      decidePermission(
        { permission: 'clipboard-sanitized-write', isMainFrame: true, requestingUrl: `${appUrl}#/tokens` },
        isAppPage,
      ),
    ).toBe(true);
  });

  it.each([
    ['a sub-frame of the app page', { isMainFrame: false, requestingUrl: appUrl }],
    ['another page in the top frame', { isMainFrame: true, requestingUrl: 'https://accounts.zoho.com/' }],
    ['another local file', { isMainFrame: true, requestingUrl: 'file:///home/ann/Downloads/index.html' }],
    ['an ask made for no document', { isMainFrame: true, requestingUrl: undefined }],
  ])('refuses clipboard-sanitized-write to %s', (_label, ask) => {
    expect(decidePermission({ permission: 'clipboard-sanitized-write', ...ask }, isAppPage)).toBe(false);
  });

  it.each([
    'clipboard-read',
    'deprecated-sync-clipboard-read',
    'media',
    'notifications',
    'geolocation',
    'openExternal',
    'fullscreen',
    'unknown',
  ])('refuses %s even to the app page', (permission) => {
    expect(decidePermission({ permission, isMainFrame: true, requestingUrl: appUrl }, isAppPage)).toBe(false);
  });

  it('refuses when the page check itself fails', () => {
    const throwing = () => {
      throw new Error('boom');
    };
    expect(
      decidePermission(
        { permission: 'clipboard-sanitized-write', isMainFrame: true, requestingUrl: appUrl },
        throwing,
      ),
    ).toBe(false);
  });
});
