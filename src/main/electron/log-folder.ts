import { shell } from 'electron';
import type { LogFolder } from '../core/core';

/** The app log's folder, shown in the system file manager. */
export function electronLogFolder(path: string): LogFolder {
  return {
    path,
    async open() {
      // shell.openPath resolves with an error message ('' on success) instead of rejecting.
      const failure = await shell.openPath(path);
      if (failure !== '') throw new Error(failure);
    },
  };
}
