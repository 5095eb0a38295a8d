// First: switches zod to jitless before the contract's schemas are built (src/shared/zod-jitless.ts).
import '../shared/zod-jitless';
import { contextBridge, ipcRenderer } from 'electron';
import { createTokenDeskApi } from './bridge';

// Sandboxed, context-isolated preload: the page sees only this object, never ipcRenderer itself.
contextBridge.exposeInMainWorld('tokendesk', createTokenDeskApi(ipcRenderer));
