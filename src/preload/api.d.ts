import type { TokenDeskApi } from '../shared/ipc/contract';

/** What preload (src/preload/index.ts) exposes to the renderer: the only way to reach main. */
declare global {
  interface Window {
    readonly tokendesk: TokenDeskApi;
  }
}
