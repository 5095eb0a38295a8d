import type { SenderCheck } from './app-page';

/**
 * Which web permissions the window gets (docs/architecture.md "Electron security defaults"): one. The Copy buttons for
 * non-secret text (a redirect URI, a sign-in address) use `navigator.clipboard.writeText`, which Chromium
 * asks for as `clipboard-sanitized-write` (plain text and sanitised HTML only; never a read). It is allowed
 * for the app's own page in the window's top frame, and nothing else is allowed to anything: no camera,
 * notifications, clipboard read, geolocation, and nothing at all for another page or a sub-frame.
 */
export const ALLOWED_PERMISSION = 'clipboard-sanitized-write';

export interface PermissionAsk {
  readonly permission: string;
  /** Whether the asking frame is its window's top frame. */
  readonly isMainFrame: boolean;
  /** The URL the asking frame loaded; absent for asks not made for a document (a service worker). */
  readonly requestingUrl: string | undefined;
}

export function decidePermission(ask: PermissionAsk, isAppPage: SenderCheck): boolean {
  if (ask.permission !== ALLOWED_PERMISSION) return false;
  if (!ask.isMainFrame || typeof ask.requestingUrl !== 'string') return false;
  try {
    return isAppPage(ask.requestingUrl) === true;
  } catch {
    return false;
  }
}
