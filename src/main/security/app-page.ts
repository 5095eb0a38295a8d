import { fileURLToPath } from 'node:url';

/**
 * Which page may call main over IPC (docs/architecture.md "Electron security defaults": every IPC sender checked).
 * Only the app's own renderer qualifies: the built `index.html` loaded from disk, or, in development
 * only, the electron-vite dev server. Anything else (a navigated-away page, an injected frame, a remote
 * origin) is refused before its request is even parsed.
 *
 * The file page is compared as a file PATH, not as URL text: Chromium and Node's `pathToFileURL` spell
 * the same file differently (a lowercase Windows drive letter, `[ ] ^ |` escaped by one and not the
 * other, `%` in a folder name), and a text comparison would then refuse every request of the app's own
 * window. Windows file names are case-insensitive, so there the comparison is too.
 */
export interface AppPageOptions {
  /** Path of the built renderer's index.html. */
  readonly rendererFile: string;
  /** The dev server (`ELECTRON_RENDERER_URL`); pass it only in unpackaged development builds. */
  readonly devServerUrl?: string | null;
  /** Whose path rules apply; default this machine's. */
  readonly platform?: NodeJS.Platform;
}

export type SenderCheck = (url: string) => boolean;

export function createAppPageCheck(options: AppPageOptions): SenderCheck {
  const windows = (options.platform ?? process.platform) === 'win32';
  const expected = comparablePath(options.rendererFile, windows);
  if (expected === '') throw new Error('rendererFile must be a path');
  const dev = options.devServerUrl ? parse(options.devServerUrl) : undefined;
  if (options.devServerUrl && (!dev || (dev.protocol !== 'http:' && dev.protocol !== 'https:'))) {
    throw new Error('devServerUrl must be an http(s) URL');
  }
  return (url) => {
    const sender = parse(url);
    if (!sender) return false;
    // The renderer is a single page: the exact file, whatever its query or hash (client-side routes).
    if (sender.protocol === 'file:') {
      const path = filePathOf(sender, windows);
      return path !== null && comparablePath(path, windows) === expected;
    }
    // `origin` is "null" for opaque origins, so compare it only against a real dev server origin.
    return dev !== undefined && sender.origin !== 'null' && sender.origin === dev.origin;
  };
}

/** The local path a file: URL names, or null (a remote host on POSIX, a malformed URL). */
function filePathOf(url: URL, windows: boolean): string | null {
  try {
    return fileURLToPath(url, { windows });
  } catch {
    return null;
  }
}

function comparablePath(path: string, windows: boolean): string {
  if (!windows) return path;
  // One separator and one case: `C:\App\index.html`, `c:/app/index.html` and `C:\APP\INDEX.HTML` are one file.
  return path.replaceAll('/', '\\').toLowerCase();
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
