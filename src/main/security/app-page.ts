/**
 * Which page may call main over IPC (DESIGN.md "Electron security defaults": every IPC sender checked).
 * Only the app's own renderer qualifies: the built `index.html` loaded from disk, or, in development
 * only, the electron-vite dev server. Anything else (a navigated-away page, an injected frame, a remote
 * origin) is refused before its request is even parsed.
 */
export interface AppPageOptions {
  /** `file://` URL of the built renderer's index.html. */
  readonly rendererFileUrl: string;
  /** The dev server (`ELECTRON_RENDERER_URL`); pass it only in unpackaged development builds. */
  readonly devServerUrl?: string | null;
}

export type SenderCheck = (url: string) => boolean;

export function createAppPageCheck(options: AppPageOptions): SenderCheck {
  const file = parse(options.rendererFileUrl);
  if (file?.protocol !== 'file:') {
    throw new Error('rendererFileUrl must be a file:// URL');
  }
  const dev = options.devServerUrl ? parse(options.devServerUrl) : undefined;
  if (options.devServerUrl && (!dev || (dev.protocol !== 'http:' && dev.protocol !== 'https:'))) {
    throw new Error('devServerUrl must be an http(s) URL');
  }
  return (url) => {
    const sender = parse(url);
    if (!sender) return false;
    // The renderer is a single page: the exact file, whatever its query or hash (client-side routes).
    if (sender.protocol === 'file:') {
      return sender.host === file.host && sender.pathname === file.pathname;
    }
    // `origin` is "null" for opaque origins, so compare it only against a real dev server origin.
    return dev !== undefined && sender.origin !== 'null' && sender.origin === dev.origin;
  };
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
