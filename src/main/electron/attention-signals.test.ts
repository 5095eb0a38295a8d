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
  return { app: { setBadgeCount: (n: number) => h.badge.push(n) }, Notification: FakeNotification };
});

const { ElectronAttentionSignals } = await import('./attention-signals');

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
});
