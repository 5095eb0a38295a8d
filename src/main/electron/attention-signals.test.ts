import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({
  badge: [] as number[],
  shown: [] as Array<{ title: string; body: string }>,
  supported: true,
  last: null as null | import('node:events').EventEmitter,
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class FakeNotification extends Emitter {
    static isSupported = () => h.supported;
    constructor(private readonly options: { title: string; body: string }) {
      super();
      h.last = this;
    }
    show() {
      h.shown.push(this.options);
    }
  }
  return {
    app: { setBadgeCount: (n: number) => h.badge.push(n) },
    Notification: FakeNotification,
    nativeImage: {
      createFromBitmap: (pixels: Buffer, size: { width: number; height: number }) => ({ pixels, size }),
    },
  };
});

const { ElectronAttentionSignals, overlayDotBitmap } = await import('./attention-signals');

/** The edge with `electron` mocked: the binary cannot run here (docs/architecture.md "Tests", tier 2). */
describe('ElectronAttentionSignals', () => {
  it('sets the badge, shows a notification, and a click brings the window back', () => {
    const win = { isMinimized: () => true, restore: vi.fn(), show: vi.fn(), focus: vi.fn() };
    const signals = new ElectronAttentionSignals(() => win as never);
    signals.setBadgeCount(2);
    signals.notify({ title: 'A token needs re-authorisation', body: 'b@example.com' });
    expect(h.badge).toEqual([2]);
    expect(h.shown).toEqual([{ title: 'A token needs re-authorisation', body: 'b@example.com' }]);
    expect(h.last).toBeInstanceOf(EventEmitter);
    h.last?.emit('click');
    expect(win.restore).toHaveBeenCalledOnce();
    expect(win.show).toHaveBeenCalledOnce();
    expect(win.focus).toHaveBeenCalledOnce();
  });

  it('shows nothing where the system has no notifications, and a click with no window does nothing', () => {
    h.shown.length = 0;
    h.supported = false;
    new ElectronAttentionSignals(() => null).notify({ title: 't', body: 'b' });
    expect(h.shown).toEqual([]);
    h.supported = true;
    new ElectronAttentionSignals(() => null).notify({ title: 't', body: 'b' });
    expect(() => h.last?.emit('click')).not.toThrow();
  });

  it('on Windows, puts a dot over the taskbar button whose description gives the count, and clears it', () => {
    h.badge.length = 0;
    const overlays: Array<[unknown, string]> = [];
    const win = {
      setOverlayIcon: (image: unknown, description: string) => overlays.push([image, description]),
    };
    const signals = new ElectronAttentionSignals(() => win as never, 'win32');
    signals.setBadgeCount(3);
    signals.setBadgeCount(1);
    signals.setBadgeCount(0);
    expect(overlays.map(([, description]) => description)).toEqual([
      '3 tokens need re-authorisation',
      '1 token needs re-authorisation',
      '',
    ]);
    expect(overlays[0]?.[0]).toMatchObject({ size: { width: 16, height: 16 } });
    expect(overlays[2]?.[0]).toBeNull();
    // Windows has no badge count: app.setBadgeCount is not called there.
    expect(h.badge).toEqual([]);
    // No window (closed to the background): nothing to draw on, and nothing thrown.
    expect(() => new ElectronAttentionSignals(() => null, 'win32').setBadgeCount(2)).not.toThrow();
  });

  it('on Windows, a window opened after the count was set (at start, or again) gets the dot', () => {
    const overlays: string[] = [];
    let win: { setOverlayIcon: (image: unknown, description: string) => void } | null = null;
    const signals = new ElectronAttentionSignals(() => win as never, 'win32');
    signals.setBadgeCount(2); // before any window: nothing to draw on
    expect(overlays).toEqual([]);
    win = { setOverlayIcon: (_image, description) => overlays.push(description) };
    signals.windowOpened();
    expect(overlays).toEqual(['2 tokens need re-authorisation']);
    signals.setBadgeCount(0);
    signals.windowOpened(); // nothing to show: no overlay drawn
    expect(overlays).toEqual(['2 tokens need re-authorisation', '']);
    // Elsewhere the badge belongs to the app, not the window: nothing to redo.
    h.badge.length = 0;
    const mac = new ElectronAttentionSignals(() => win as never, 'darwin');
    mac.setBadgeCount(4);
    mac.windowOpened();
    expect(h.badge).toEqual([4]);
  });

  it('draws the dot opaque in the middle, red inside a white ring, and clear in the corners', () => {
    const pixels = overlayDotBitmap(16);
    const pixel = (x: number, y: number) => [...pixels.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 4)];
    expect(pixels.length).toBe(16 * 16 * 4);
    expect(pixel(8, 8)).toEqual([0x2b, 0x2b, 0xc6, 0xff]);
    expect(pixel(0, 7)).toEqual([0xff, 0xff, 0xff, expect.any(Number)]);
    expect(pixel(0, 0)[3]).toBe(0);
    expect(pixel(15, 15)[3]).toBe(0);
  });
});
