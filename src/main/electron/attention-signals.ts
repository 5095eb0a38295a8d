import { app, type BrowserWindow, type NativeImage, Notification, nativeImage } from 'electron';
import type { AttentionSignals } from '../token-jobs/attention';

/** Side of the taskbar overlay icon Windows draws over the app's button (16x16 device pixels). */
const OVERLAY_SIZE = 16;

/**
 * Tokens needing re-authorisation, told outside the window (docs/health.md "Signals"): a badge with the
 * count where the system draws one (`app.setBadgeCount`: the macOS dock, Linux Unity launchers), on
 * Windows an overlay dot on the taskbar button whose description says the count (Windows draws no count
 * itself), and an OS notification that brings the window forward when clicked. The core decides when
 * (AttentionMonitor); nothing here decides anything.
 */
export class ElectronAttentionSignals implements AttentionSignals {
  private overlay: NativeImage | null = null;
  /** The count last asked for: a window opened later (at start, or again on macOS) is given it. */
  private count = 0;

  constructor(
    private readonly window: () => BrowserWindow | null,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  setBadgeCount(count: number): void {
    this.count = count;
    if (this.platform !== 'win32') {
      app.setBadgeCount(count);
      return;
    }
    this.drawOverlay(count);
  }

  /**
   * A new window's taskbar button starts without an overlay (Windows keeps it per window): draw the
   * current one. The dock and launcher badge belong to the app and need nothing.
   */
  windowOpened(): void {
    if (this.platform === 'win32' && this.count > 0) this.drawOverlay(this.count);
  }

  private drawOverlay(count: number): void {
    const win = this.window();
    if (!win) return;
    if (count === 0) {
      win.setOverlayIcon(null, '');
      return;
    }
    this.overlay ??= nativeImage.createFromBitmap(overlayDotBitmap(), {
      width: OVERLAY_SIZE,
      height: OVERLAY_SIZE,
    });
    win.setOverlayIcon(
      this.overlay,
      count === 1 ? '1 token needs re-authorisation' : `${count} tokens need re-authorisation`,
    );
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

/**
 * A red dot with a white ring, as raw BGRA pixels (what `nativeImage.createFromBitmap` takes), drawn here
 * so the app ships no extra icon file. Edge pixels are blended for a smooth outline.
 */
export function overlayDotBitmap(size = OVERLAY_SIZE): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const outer = size / 2;
  const ring = 1.5;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - centre, y - centre);
      const coverage = Math.min(1, Math.max(0, outer - distance));
      if (coverage === 0) continue;
      const white = distance > outer - ring;
      const at = (y * size + x) * 4;
      pixels[at] = white ? 0xff : 0x2b; // blue
      pixels[at + 1] = white ? 0xff : 0x2b; // green
      pixels[at + 2] = white ? 0xff : 0xc6; // red
      pixels[at + 3] = Math.round(coverage * 0xff);
    }
  }
  return pixels;
}
