import { describe, expect, it } from 'vitest';
import { secondsUntil } from './wait';

describe('unlock wait', () => {
  it('counts whole seconds up, and nothing when there is no wait or it is over', () => {
    expect(secondsUntil(null, 1_000)).toBe(0);
    expect(secondsUntil(1_000, 1_000)).toBe(0);
    expect(secondsUntil(900, 1_000)).toBe(0);
    expect(secondsUntil(1_001, 1_000)).toBe(1);
    expect(secondsUntil(3_000, 1_000)).toBe(2);
    expect(secondsUntil(3_001, 1_000)).toBe(3);
  });
});
