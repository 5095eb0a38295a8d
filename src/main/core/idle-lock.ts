import type { Clock, ScheduleTimer } from '../common/clock';

export interface IdleLockOptions {
  readonly clock: Clock;
  readonly timer: ScheduleTimer;
  /** The auto-lock time in ms, read at every check so a settings change applies at once; 0 = never. */
  readonly idleMs: () => number;
  /** Called once the time has passed with no activity (the core locks the store). */
  readonly onIdle: () => void;
}

/**
 * The auto-lock countdown (docs/store-lifecycle.md "Lock"). Activity only moves a timestamp; one timer is
 * pending at a time and, when it fires early (activity came in meanwhile), it is set again for the rest
 * of the time. Time comes from the core's Clock and timer, so tests move a fake clock instead of waiting.
 */
export class IdleLock {
  private lastActivity: number;
  private cancel: (() => void) | null = null;
  private running = false;

  constructor(private readonly options: IdleLockOptions) {
    this.lastActivity = options.clock.now();
  }

  /** Starts counting (the store was unlocked); counts from now. */
  start(): void {
    this.running = true;
    this.lastActivity = this.options.clock.now();
    this.reschedule();
  }

  /** Stops counting (the store is locked or the app closes). */
  stop(): void {
    this.running = false;
    this.cancel?.();
    this.cancel = null;
  }

  /** The person did something: the countdown starts again from now. */
  activity(): void {
    this.lastActivity = this.options.clock.now();
    if (this.running && this.cancel === null) this.reschedule();
  }

  /** The auto-lock time may have changed: count it from the last activity again. */
  settingsChanged(): void {
    if (this.running) this.reschedule();
  }

  private reschedule(): void {
    this.cancel?.();
    this.cancel = null;
    const idleMs = this.options.idleMs();
    if (idleMs <= 0) return;
    const remaining = this.lastActivity + idleMs - this.options.clock.now();
    this.cancel = this.options.timer(Math.max(0, remaining), () => this.check());
  }

  private check(): void {
    this.cancel = null;
    if (!this.running) return;
    const idleMs = this.options.idleMs();
    if (idleMs <= 0) return;
    if (this.options.clock.now() - this.lastActivity >= idleMs) {
      this.running = false;
      this.options.onIdle();
    } else {
      this.reschedule();
    }
  }
}
