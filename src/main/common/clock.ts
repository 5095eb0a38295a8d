/** The service's notion of "now" (epoch ms), injectable so tests move time instead of waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Runs `run` once after `ms`; returns a cancel function. Injectable, like Clock, so tests need not wait. */
export type ScheduleTimer = (ms: number, run: () => void) => () => void;

export const systemTimer: ScheduleTimer = (ms, run) => {
  const timer = setTimeout(run, ms);
  // A pending clipboard clear must not keep a Node process (tests, the e2e harness) alive.
  timer.unref?.();
  return () => clearTimeout(timer);
};
