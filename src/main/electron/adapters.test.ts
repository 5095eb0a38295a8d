import { describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({ clipboardText: '', storeOptions: [] as unknown[] }));

vi.mock('electron', () => ({
  clipboard: {
    // Electron 45: asynchronous.
    writeText: async (text: string) => {
      await Promise.resolve();
      h.clipboardText = text;
    },
    readText: async () => h.clipboardText,
    clear: () => (h.clipboardText = ''),
  },
}));
// electron-store itself needs a running Electron app; a Map-backed stand-in checks the wiring only.
vi.mock('electron-store', () => ({
  default: class {
    store: Record<string, unknown> = {};
    constructor(options: unknown) {
      h.storeOptions.push(options);
    }
  },
}));

const { ElectronClipboard } = await import('./clipboard');
const { createElectronSettings } = await import('./settings');
const { netFetch } = await import('./net-fetch');

describe('thin adapters', () => {
  it('ElectronClipboard writes, reads and clears the system clipboard', async () => {
    const clipboard = new ElectronClipboard();
    await clipboard.writeText('copied');
    expect(h.clipboardText).toBe('copied');
    expect(await clipboard.readText()).toBe('copied');
    clipboard.clear();
    expect(h.clipboardText).toBe('');
  });

  it('ElectronSettings keeps settings in electron-store, validated by KeyValueSettings', () => {
    const settings = createElectronSettings();
    expect(h.storeOptions).toEqual([{ name: 'settings' }]);
    expect(settings.update({ theme: 'dark' }).theme).toBe('dark');
    expect(settings.get().theme).toBe('dark');
    expect(() => settings.update({ redirectPort: 80 })).toThrow();
  });

  it('netFetch sends Zoho calls through the given session, with no cookies and no cache', async () => {
    const calls: { input: unknown; init: RequestInit | undefined }[] = [];
    const session = {
      fetch: async (input: unknown, init?: RequestInit) => {
        calls.push({ input, init });
        return new Response('{"ok":true}', { status: 200 });
      },
    };
    const signal = new AbortController().signal;
    const fetch = netFetch(session as never);
    const response = await fetch(new URL('https://accounts.zoho.com/oauth/v2/token'), {
      method: 'POST',
      body: 'grant_type=refresh_token',
      signal,
      redirect: 'manual',
    });
    expect(await response.json()).toEqual({ ok: true });
    expect(calls).toEqual([
      {
        input: 'https://accounts.zoho.com/oauth/v2/token',
        init: {
          method: 'POST',
          body: 'grant_type=refresh_token',
          signal,
          redirect: 'manual',
          credentials: 'omit',
          cache: 'no-store',
        },
      },
    ]);
  });
});
