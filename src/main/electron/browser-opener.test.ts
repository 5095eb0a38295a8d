import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LogRecord, setLogSink } from '../log';

const openExternal = vi.hoisted(() => vi.fn(async () => {}));
vi.mock('electron', () => ({ shell: { openExternal } }));

const { ElectronBrowserOpener } = await import('./browser-opener');

let logs: LogRecord[] = [];
let restore: () => void = () => {};
beforeEach(() => {
  openExternal.mockClear();
  logs = [];
  restore = setLogSink((r) => logs.push(r));
});
afterEach(() => restore());

describe('ElectronBrowserOpener', () => {
  it('opens a Zoho accounts URL in the system browser', async () => {
    const opener = new ElectronBrowserOpener(() => ({}));
    await opener.open('https://accounts.zoho.eu/oauth/v2/auth?client_id=x&state=s');
    expect(openExternal).toHaveBeenCalledWith('https://accounts.zoho.eu/oauth/v2/auth?client_id=x&state=s', {
      activate: true,
    });
  });

  it.each(['https://evil.example/', 'file:///etc/passwd', 'http://accounts.zoho.com/', 'smb://host/share'])(
    'refuses %s with a logged reason and never calls shell',
    async (url) => {
      const opener = new ElectronBrowserOpener(() => ({}));
      await expect(opener.open(url)).rejects.toMatchObject({ code: 'URL_REFUSED' });
      expect(openExternal).not.toHaveBeenCalled();
      const warning = logs.find((r) => r.level === 'warn');
      expect(warning?.fields?.reason).toEqual(expect.any(String));
    },
  );

  it("opens the simulator's loopback URL only while the policy names it (demo mode)", async () => {
    let simulatorOrigins: string[] = ['http://127.0.0.1:53100'];
    const opener = new ElectronBrowserOpener(() => ({ simulatorOrigins }));
    await opener.open('http://127.0.0.1:53100/oauth/v2/auth');
    expect(openExternal).toHaveBeenCalledOnce();
    simulatorOrigins = [];
    await expect(opener.open('http://127.0.0.1:53100/oauth/v2/auth')).rejects.toMatchObject({
      code: 'URL_REFUSED',
    });
  });
});
