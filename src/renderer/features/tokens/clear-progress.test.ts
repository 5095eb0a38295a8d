import { describe, expect, it } from 'vitest';
import type { ClearAllResult } from '../../../shared/ipc/views';
import { clearAnnouncement, clearPercent, summariseClear } from './clear-progress';

const result: ClearAllResult = {
  results: [
    { id: 'a', userName: 'a@x', revoke: { state: 'revoked' }, deleted: true },
    { id: 'b', userName: 'b@x', revoke: { state: 'failed', code: 'X', message: 'no' }, deleted: false },
    { id: 'c', userName: null, revoke: { state: 'skipped' }, deleted: true },
  ],
  deletedCount: 2,
  revokeFailedCount: 1,
};

describe('clear all progress', () => {
  it('summarises the per-token outcomes', () => {
    expect(summariseClear(result)).toEqual({
      revoked: 1,
      alreadyDead: 0,
      skipped: 1,
      failed: 1,
      deleted: 2,
      kept: 1,
    });
  });

  it('percent is clamped and safe before the first event', () => {
    expect(clearPercent(null)).toBe(0);
    expect(clearPercent({ done: 0, total: 0 })).toBe(0);
    expect(clearPercent({ done: 1, total: 3 })).toBe(33);
    expect(clearPercent({ done: 5, total: 4 })).toBe(100);
  });

  it('says nothing before the clear, "starting" before the first event, then 10% steps', () => {
    expect(clearAnnouncement(false, null, null)).toBe('');
    expect(clearAnnouncement(true, null, null)).toBe('Clearing tokens: starting.');
    expect(clearAnnouncement(true, { done: 0, total: 1000 }, null)).toBe('Clearing tokens: 0% done.');
    // Many progress events inside one step give the same text, so a screen reader is not flooded.
    const within = [410, 450, 499].map((done) => clearAnnouncement(true, { done, total: 1000 }, null));
    expect(new Set(within)).toEqual(new Set(['Clearing tokens: 40% done.']));
    expect(clearAnnouncement(true, { done: 1000, total: 1000 }, null)).toBe('Clearing tokens: 100% done.');
  });

  it('announces the outcome, including tokens kept after a failed revoke', () => {
    expect(clearAnnouncement(false, null, result)).toBe(
      'Clear all finished: 2 deleted, 1 revoked at Zoho, 1 revoke failed, 1 skipped, 1 kept because the revoke failed.',
    );
  });
});
