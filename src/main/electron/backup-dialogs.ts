import { type BrowserWindow, dialog } from 'electron';
import type { BackupFileDialogs } from '../backup/store-backups';

const FILTERS = [{ name: 'TokenDesk backup', extensions: ['tdbackup'] }];

/**
 * Where a backup goes and which one to restore, asked with the system's own dialogs (attached to the
 * window, so they are modal to it). The OS dialog confirms before an existing file is replaced.
 */
export class ElectronBackupDialogs implements BackupFileDialogs {
  constructor(private readonly window: () => BrowserWindow | null) {}

  async chooseBackupDestination(suggestedName: string): Promise<string | null> {
    const options = { title: 'Back up TokenDesk', defaultPath: suggestedName, filters: FILTERS };
    const win = this.window();
    const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  }

  async chooseBackupToRestore(): Promise<string | null> {
    const options = {
      title: 'Restore a TokenDesk backup',
      filters: FILTERS,
      properties: ['openFile' as const],
    };
    const win = this.window();
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  }
}
