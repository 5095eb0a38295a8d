import { describe, expect, it } from 'vitest';
import type { ScheduleTimer } from '../common/clock';
import { HealthSchedule } from './health-schedule';

/** A timer the test fires by hand: what is armed, for how long, and whether it was cancelled. */
function manualTimer() {
  const armed: Array<{ ms: number; run: () => void; cancelled: boolean }> = [];
  const timer: ScheduleTimer = (ms, run) => {
    const entry = { ms, run, cancelled: false };
    armed.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  const live = () => armed.filter((a) => !a.cancelled);
  /** Fires the one armed timer (it is used up, as a fired setTimeout is). */
  const fire = () => {
    const [only] = live();
    if (!only || live().length !== 1) throw new Error(`expected one armed timer, found ${live().length}`);
    only.cancelled = true;
    only.run();
  };
  return { timer, armed, live, fire };
}

describe('HealthSchedule', () => {
  it('is off at 0 (the default), runs every N hours once set, and counts again when the setting changes', async () => {
    const { timer, live, fire } = manualTimer();
    let hours = 0;
    let runs = 0;
    const schedule = new HealthSchedule({
      timer,
      hours: () => hours,
      run: async () => {
        runs += 1;
      },
    });
    schedule.start();
    expect(live()).toHaveLength(0);

    hours = 6;
    schedule.settingsChanged();
    expect(live().map((a) => a.ms)).toEqual([6 * 3_600_000]);
    fire();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(1);
    // The next turn is armed after the run, for the same period.
    expect(live().map((a) => a.ms)).toEqual([6 * 3_600_000]);

    hours = 24;
    schedule.settingsChanged();
    expect(live().map((a) => a.ms)).toEqual([24 * 3_600_000]);
    hours = 0;
    schedule.settingsChanged();
    expect(live()).toHaveLength(0);
  });

  it('stops for good when the app closes, also after a turn that is still running', async () => {
    const { timer, live, fire } = manualTimer();
    let finish: () => void = () => {};
    const schedule = new HealthSchedule({
      timer,
      hours: () => 12,
      run: () =>
        new Promise<void>((r) => {
          finish = r;
        }),
    });
    schedule.start();
    fire();
    schedule.stop();
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(live()).toHaveLength(0);
  });
});
