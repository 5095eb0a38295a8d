import { powerMonitor } from 'electron';
import type { SystemLockEvent, SystemLockEvents } from '../core/core';

const EVENTS: readonly SystemLockEvent[] = ['suspend', 'lock-screen'];

/**
 * Sleep and screen lock from Electron's powerMonitor, passed to the core, which decides to lock the store
 * (docs/store-lifecycle.md "Lock"). powerMonitor may only be used once the app is ready: subscribe is
 * called by the core, which the edge creates after `whenReady`.
 */
export const powerMonitorEvents: SystemLockEvents = {
  subscribe(listener) {
    const handlers = EVENTS.map((event) => {
      const handler = () => listener(event);
      powerMonitor.on(event as 'suspend', handler);
      return { event, handler };
    });
    return () => {
      for (const { event, handler } of handlers) powerMonitor.removeListener(event as 'suspend', handler);
    };
  },
};
