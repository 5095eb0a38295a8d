import { app, type BrowserWindow, Notification } from 'electron';
import type { AttentionSignals } from '../token-jobs/attention';

/**
 * Tokens needing re-authorisation, told outside the window (docs/health.md "Signals"): the dock or
 * taskbar badge (`app.setBadgeCount`: macOS dock, Linux Unity launchers; Windows shows none, and the app has
 * no tray icon), and an OS notification that brings the window forward when clicked. The core decides
 * when (AttentionMonitor); nothing here decides anything.
 */
export class ElectronAttentionSignals implements AttentionSignals {
  constructor(private readonly window: () => BrowserWindow | null) {}

  setBadgeCount(count: number): void {
    app.setBadgeCount(count);
  }

  notify(notice: { readonly title: string; readonly body: string }): void {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: notice.title, body: notice.body });
    notification.on('click', () => {
      const win = this.window();
      if (!win) return;
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    });
    notification.show();
  }
}
