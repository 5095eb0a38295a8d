import { describe, expect, it } from 'vitest';
import { AUDIT_LIMIT, auditCsvFilename, toAuditFilter } from './audit-filters';

describe('toAuditFilter', () => {
  const base = { action: 'all', outcome: 'all', text: '  ', since: 'any', sinceFrom: 1_000_000_000 } as const;
  it('leaves out "all" and blank choices', () => {
    expect(toAuditFilter(base)).toEqual({ limit: AUDIT_LIMIT });
  });
  it('maps every choice', () => {
    expect(
      toAuditFilter({ ...base, action: 'revoke', outcome: 'failure', text: ' bob ', since: '24h' }),
    ).toEqual({
      action: 'revoke',
      outcome: 'failure',
      text: 'bob',
      since: 1_000_000_000 - 86_400_000,
      limit: AUDIT_LIMIT,
    });
  });
});

describe('toAuditFilter: source and partial outcome', () => {
  const base = { action: 'all', outcome: 'all', text: '', since: 'any', sinceFrom: 0 } as const;
  it('passes a chosen source and the partial outcome, leaves out "all sources"', () => {
    expect(toAuditFilter({ ...base, source: 'FileStore sdk_tokens.txt', outcome: 'partial' })).toEqual({
      outcome: 'partial',
      source: 'FileStore sdk_tokens.txt',
      limit: AUDIT_LIMIT,
    });
    expect(toAuditFilter({ ...base, source: 'local' })).toEqual({ source: 'local', limit: AUDIT_LIMIT });
    expect(toAuditFilter({ ...base, source: 'all' })).toEqual({ limit: AUDIT_LIMIT });
  });
});

describe('auditCsvFilename', () => {
  it('is dated with the local day', () => {
    expect(auditCsvFilename(new Date(2026, 0, 5, 23, 59).getTime())).toBe('tokendesk-audit-2026-01-05.csv');
  });
});
