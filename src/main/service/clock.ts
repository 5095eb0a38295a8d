/** The service's notion of "now" (epoch ms), injectable so tests move time instead of waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
