import { describe, expect, it } from 'vitest';
import { autoLockOptions } from './auto-lock-options';

describe('autoLockOptions', () => {
  it('offers the usual times and Never; the default 15 minutes is one of them', () => {
    const options = autoLockOptions(900);
    expect(options.find((o) => o.value === '900')?.label).toBe('After 15 minutes');
    expect(options.find((o) => o.value === '0')?.label).toBe('Never');
    expect(options.filter((o) => o.value === '900')).toHaveLength(1);
  });

  it('shows a value set another way as it is, first', () => {
    expect(autoLockOptions(2)[0]).toEqual({ value: '2', label: 'After 2 seconds' });
    expect(autoLockOptions(600)[0]).toEqual({ value: '600', label: 'After 10 minutes' });
  });
});
