/**
 * Opens a URL in the user's system browser (RFC 8252 §4.1: native apps use an external user-agent, never
 * an embedded web view). The Electron edge implements it with `shell.openExternal`; tests implement it
 * by driving the Zoho simulator's consent page over HTTP.
 */
export interface BrowserOpener {
  open(url: string): Promise<void>;
}
