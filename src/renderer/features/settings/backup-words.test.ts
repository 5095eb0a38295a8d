import { describe, expect, it } from 'vitest';
import { backupAge, progressLabel } from './backup-words';

describe('backup words', () => {
  const now = Date.UTC(2030, 0, 31, 12);
  it('says how old a backup is', () => {
    expect(backupAge(now - 3_600_000, now)).toBe('today');
    expect(backupAge(now - 86_400_000, now)).toBe('yesterday');
    expect(backupAge(now - 31 * 86_400_000, now)).toBe('31 days ago');
  });
  it('names the stage and the percent', () => {
    expect(progressLabel({ operation: 'backup', stage: 'copying', percent: 40 })).toBe(
      'Copying the store… 40%',
    );
    expect(progressLabel({ operation: 'restore', stage: 'replacing', percent: 70 })).toBe(
      'Replacing the store… 70%',
    );
  });
});
