import { describe, expect, it } from 'vitest';
import { createAppPageCheck } from './app-page';

const file = 'file:///opt/TokenDesk/resources/app.asar/out/renderer/index.html';

describe('app page check', () => {
  it('accepts the built renderer page, with any hash or query', () => {
    const check = createAppPageCheck({ rendererFileUrl: file });
    expect(check(file)).toBe(true);
    expect(check(`${file}#/tokens`)).toBe(true);
    expect(check(`${file}?tab=audit`)).toBe(true);
  });

  it.each([
    'file:///opt/TokenDesk/resources/app.asar/out/renderer/other.html',
    'file:///tmp/index.html',
    'file://evil-host/opt/TokenDesk/resources/app.asar/out/renderer/index.html',
    'https://accounts.zoho.com/',
    'http://127.0.0.1:5173/',
    'about:blank',
    'data:text/html,hi',
    '',
    'garbage',
  ])('refuses %j', (url) => {
    expect(createAppPageCheck({ rendererFileUrl: file })(url)).toBe(false);
  });

  it('accepts the dev server origin only when one is configured', () => {
    const dev = createAppPageCheck({ rendererFileUrl: file, devServerUrl: 'http://localhost:5173/' });
    expect(dev('http://localhost:5173/')).toBe(true);
    expect(dev('http://localhost:5173/#/audit')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('https://localhost:5173/')).toBe(false);
    expect(createAppPageCheck({ rendererFileUrl: file, devServerUrl: null })('http://localhost:5173/')).toBe(
      false,
    );
  });

  it('refuses to be configured with a non-file renderer URL', () => {
    expect(() => createAppPageCheck({ rendererFileUrl: 'https://example.com/index.html' })).toThrow();
  });
});
