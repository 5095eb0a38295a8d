import { describe, expect, it } from 'vitest';
import type { TokenJobOutcome, TokenJobResult } from '../../../shared/ipc/token-jobs';
import { jobAnnouncement, jobSummary, jobTitle, reportFileName, sortJobOutcomes } from './token-job-words';

const outcome = (id: string, state: TokenJobOutcome['state']): TokenJobOutcome => ({
  id,
  userName: `${id}@example.com`,
  state,
  label: state,
  detail: null,
  needsAttention: false,
  delete: null,
});

const result = (counts: Partial<TokenJobResult['counts']>, cancelled = false): TokenJobResult => ({
  jobId: 'j',
  action: 'delete',
  trigger: 'manual',
  startedAt: 0,
  finishedAt: 0,
  cancelled,
  outcomes: [],
  counts: { done: 0, failed: 0, kept: 0, skipped: 0, cancelled: 0, ...counts },
  warnings: [],
  csv: '',
});

describe('token job words', () => {
  it('titles each phase', () => {
    expect(jobTitle('delete', 1, 'confirm')).toBe('Delete 1 token?');
    expect(jobTitle('check', 12, 'running')).toBe('Checking every token (12)');
    expect(jobTitle('refresh', 3, 'running')).toBe('Refreshing 3 tokens');
    expect(jobTitle('test', 3, 'done')).toBe('Test: finished');
  });

  it('announces progress in 10% steps, then the summary without zero counts beyond done and failed', () => {
    expect(jobAnnouncement('check', null, null)).toBe('');
    expect(jobAnnouncement('check', { done: 29, total: 100 }, null)).toBe('Checking tokens: 20% done.');
    expect(jobAnnouncement('delete', null, result({ done: 2, kept: 1 }))).toBe(
      'Delete finished: 2 done, 0 failed, 1 kept (revoke failed).',
    );
    expect(jobAnnouncement('check', null, result({ done: 1, cancelled: 4 }, true))).toBe(
      'Check all finished, cancelled part-way: 1 done, 0 failed, 4 not reached (cancelled).',
    );
    expect(jobSummary(result({ failed: 1 })).find((p) => p.label === 'failed')?.danger).toBe(true);
  });

  it('lists what needs a person first, keeping the job order within a state', () => {
    const sorted = sortJobOutcomes([
      outcome('a', 'done'),
      outcome('b', 'failed'),
      outcome('c', 'kept'),
      outcome('d', 'done'),
      outcome('e', 'failed'),
    ]);
    expect(sorted.map((o) => o.id)).toEqual(['c', 'b', 'e', 'a', 'd']);
  });

  it('names the report file by action and local time', () => {
    expect(reportFileName('check', new Date(2026, 10, 27, 9, 5).getTime())).toBe(
      'tokendesk-check-report-2026-11-27-0905.csv',
    );
  });
});
