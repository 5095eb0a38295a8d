import { describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({ clipboardText: '', storeOptions: [] as unknown[] }));

vi.mock('electron', () => ({
  clipboard: { writeText: (text: string) => (h.clipboardText = text) },
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
  it('ElectronClipboard writes to the system clipboard', () => {
    new ElectronClipboard().writeText('copied');
    expect(h.clipboardText).toBe('copied');
  });

  it('ElectronSettings keeps settings in electron-store, validated by KeyValueSettings', () => {
    const settings = createElectronSettings();
    expect(h.storeOptions).toEqual([{ name: 'settings' }]);
    expect(settings.update({ theme: 'dark' }).theme).toBe('dark');
    expect(settings.get().theme).toBe('dark');
    expect(() => settings.update({ redirectPort: 80 })).toThrow();
  });
});
