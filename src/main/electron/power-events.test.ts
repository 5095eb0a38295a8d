import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({ monitor: null as unknown as import('node:events').EventEmitter }));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  h.monitor = new Emitter();
  return { powerMonitor: h.monitor };
});

const { powerMonitorEvents } = await import('./power-events');

describe('powerMonitorEvents', () => {
  it('passes suspend and lock-screen to the core, ignores other events, and stops when unsubscribed', () => {
    expect(h.monitor).toBeInstanceOf(EventEmitter);
    const seen: string[] = [];
    const unsubscribe = powerMonitorEvents.subscribe((event) => seen.push(event));
    h.monitor.emit('suspend');
    h.monitor.emit('resume');
    h.monitor.emit('lock-screen');
    h.monitor.emit('unlock-screen');
    expect(seen).toEqual(['suspend', 'lock-screen']);

    unsubscribe();
    expect(h.monitor.listenerCount('suspend')).toBe(0);
    expect(h.monitor.listenerCount('lock-screen')).toBe(0);
    h.monitor.emit('suspend');
    expect(seen).toEqual(['suspend', 'lock-screen']);
  });
});
