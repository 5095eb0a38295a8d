import { describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({
  calls: [] as { kind: string; parent: unknown; options: Record<string, unknown> }[],
  answer: {} as Record<string, unknown>,
}));

vi.mock('electron', () => ({
  dialog: {
    showSaveDialog: async (...args: unknown[]) => {
      const [parent, options] = args.length === 2 ? args : [null, args[0]];
      h.calls.push({ kind: 'save', parent, options: options as Record<string, unknown> });
      return h.answer;
    },
    showOpenDialog: async (...args: unknown[]) => {
      const [parent, options] = args.length === 2 ? args : [null, args[0]];
      h.calls.push({ kind: 'open', parent, options: options as Record<string, unknown> });
      return h.answer;
    },
  },
}));

const { ElectronBackupDialogs } = await import('./backup-dialogs');

describe('ElectronBackupDialogs', () => {
  const window = { id: 1 };
  const dialogs = new ElectronBackupDialogs(() => window as never);

  it('asks where to save, modal to the window, suggesting the name; null when cancelled', async () => {
    h.answer = { canceled: false, filePath: '/home/me/tokendesk-2030-01-01.tdbackup' };
    expect(await dialogs.chooseBackupDestination('tokendesk-2030-01-01.tdbackup')).toBe(
      '/home/me/tokendesk-2030-01-01.tdbackup',
    );
    expect(h.calls.at(-1)).toMatchObject({
      kind: 'save',
      parent: window,
      options: { defaultPath: 'tokendesk-2030-01-01.tdbackup', filters: [{ extensions: ['tdbackup'] }] },
    });
    h.answer = { canceled: true, filePath: '' };
    expect(await dialogs.chooseBackupDestination('x.tdbackup')).toBeNull();
  });

  it('asks which backup to restore (one file); null when cancelled', async () => {
    h.answer = { canceled: false, filePaths: ['/media/usb/old.tdbackup'] };
    expect(await dialogs.chooseBackupToRestore()).toBe('/media/usb/old.tdbackup');
    expect(h.calls.at(-1)).toMatchObject({ kind: 'open', options: { properties: ['openFile'] } });
    h.answer = { canceled: true, filePaths: [] };
    expect(await dialogs.chooseBackupToRestore()).toBeNull();
  });
});
