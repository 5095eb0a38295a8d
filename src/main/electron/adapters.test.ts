import { describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({ clipboardText: '', storeOptions: [] as unknown[] }));

vi.mock('electron', () => ({
  clipboard: {
    writeText: (text: string) => (h.clipboardText = text),
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

describe('thin adapters', () => {
  it('ElectronClipboard writes, reads and clears the system clipboard', async () => {
    const clipboard = new ElectronClipboard();
    clipboard.writeText('copied');
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
});
