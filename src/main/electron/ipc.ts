import { BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import type { IpcEventName, IpcEventPayload } from '../../shared/ipc/contract';
import { ipcContract } from '../../shared/ipc/contract';
import { forbiddenSender, type IpcRouter } from '../ipc/router';
import { createLogger } from '../log';

const log = createLogger('ipc-edge');

/**
 * Feeds every contract channel to the router. The edge adds the one check only Electron can make: the
 * request came from the top frame of one of our windows (not a sub-frame, not some other webContents).
 * The router then checks that frame's URL, validates the request and runs the handler.
 * Returns a function that removes the handlers (for tests and shutdown).
 */
export function registerIpc(router: IpcRouter): () => void {
  const channels = Object.values(ipcContract).map((spec) => spec.channel);
  for (const channel of channels) {
    ipcMain.handle(channel, (event, request: unknown) => {
      const url = topFrameUrl(event);
      if (url === null) {
        log.warn('refused an IPC request from outside a TokenDesk window top frame', { channel });
        return forbiddenSender();
      }
      return router.dispatch(channel, request, { url });
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

function topFrameUrl(event: IpcMainInvokeEvent): string | null {
  const frame = event.senderFrame;
  // Null when the frame navigated or was destroyed before the message was handled.
  if (!frame || frame.parent !== null) return null;
  if (BrowserWindow.fromWebContents(event.sender) === null) return null;
  return frame.url;
}

/** Pushes a contract event to every window (e.g. `tokens.changed` after a delete). */
export function broadcast<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.webContents.send(event, payload);
  }
}
