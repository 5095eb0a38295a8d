/** Whole seconds from `now` until `until` (epoch ms), rounded up; 0 when there is no wait left. */
export function secondsUntil(until: number | null, now: number): number {
  if (until === null || until <= now) return 0;
  return Math.ceil((until - now) / 1000);
}
