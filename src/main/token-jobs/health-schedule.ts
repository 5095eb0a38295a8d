import type { ScheduleTimer } from '../common/clock';

export interface HealthScheduleDeps {
  readonly timer: ScheduleTimer;
  /** The setting, read at each turn (0 = off). */
  readonly hours: () => number;
  /** Runs one check of every token; resolves when it is over (its failure is the caller's to log). */
  readonly run: () => Promise<void>;
}

/**
 * "Check all" on a schedule while the app is open (docs/health.md "Schedule"): every `hours` from the
 * app's start or the last change of the setting, off when 0. Whether a turn does anything (the store may
 * be locked, a check may be running already) is `run`'s to decide; the next turn comes `hours` later.
 */
export class HealthSchedule {
  private cancel: (() => void) | null = null;
  private active = false;

  constructor(private readonly deps: HealthScheduleDeps) {}

  start(): void {
    this.active = true;
    this.arm();
  }

  /** The app closes. */
  stop(): void {
    this.active = false;
    this.cancel?.();
    this.cancel = null;
  }

  /** The setting changed: count again from now. */
  settingsChanged(): void {
    if (this.active) this.arm();
  }

  private arm(): void {
    this.cancel?.();
    this.cancel = null;
    const hours = this.deps.hours();
    if (!this.active || hours <= 0) return;
    this.cancel = this.deps.timer(hours * 3_600_000, () => {
      this.cancel = null;
      void this.deps.run().finally(() => {
        if (this.active && this.cancel === null) this.arm();
      });
    });
  }
}
