import { describe, expect, it } from 'vitest';
import { blankTokenView } from '../../../shared/ipc/test-support/token-views';
import type { TokenView } from '../../../shared/ipc/views';
import { demoProgress, demoSubject, readGuideDismissed, writeGuideDismissed } from './demo-guide';

function token(id: string, over: Partial<TokenView> = {}): TokenView {
  return blankTokenView({
    id,
    userName: `${id}@example.com`,
    clientId: '1000.X',
    createdAt: 1,
    updatedAt: 1,
    ...over,
  });
}

const passed = {
  at: 5,
  ok: true,
  httpStatus: 200,
  latencyMs: 100,
  userEmail: null,
  userName: null,
  orgName: null,
  orgId: null,
  refreshed: false,
  errorCode: null,
  message: null,
};

const none = { auditHasTest: false, auditHasRevoke: false };

describe('demo walkthrough progress', () => {
  it('starts at "add" with nothing done', () => {
    const p = demoProgress({ tokens: [], ...none });
    expect(p.current).toBe('add');
    expect(p.steps.map((s) => s.done)).toEqual([false, false, false]);
    expect(p.complete).toBe(false);
  });

  it('moves to "test" once an account is listed', () => {
    expect(demoProgress({ tokens: [token('a')], ...none }).current).toBe('test');
  });

  it('a passed test (in the list or in the audit log) ticks "test"; a failed one does not', () => {
    const failed = token('a', { lastTest: { ...passed, ok: false } });
    expect(demoProgress({ tokens: [failed], ...none }).current).toBe('test');
    expect(demoProgress({ tokens: [token('a', { lastTest: passed })], ...none }).current).toBe('revoke');
    expect(demoProgress({ tokens: [token('a')], ...none, auditHasTest: true }).current).toBe('revoke');
  });

  it('is complete after a revoke, even once the list is empty again', () => {
    const p = demoProgress({ tokens: [], auditHasTest: true, auditHasRevoke: true });
    expect(p.complete).toBe(true);
    expect(p.current).toBeNull();
    expect(p.steps.every((s) => s.done)).toBe(true);
  });

  it('acts on the newest token that can be tested and revoked', () => {
    const old = token('old', { createdAt: 1 });
    const fresh = token('new', { createdAt: 9 });
    const broken = token('broken', { createdAt: 20, status: 'unreadable' });
    expect(demoSubject([old, broken, fresh])?.id).toBe('new');
    expect(demoSubject([broken])).toBeNull();
    expect(demoSubject([])).toBeNull();
  });

  it('remembers a dismissal, and survives storage that throws', () => {
    const map = new Map<string, string>();
    const storage = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
    expect(readGuideDismissed(storage)).toBe(false);
    writeGuideDismissed(storage, true);
    expect(readGuideDismissed(storage)).toBe(true);
    writeGuideDismissed(storage, false);
    expect(readGuideDismissed(storage)).toBe(false);
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {},
    };
    expect(readGuideDismissed(broken)).toBe(false);
    expect(() => writeGuideDismissed(broken, true)).not.toThrow();
    expect(readGuideDismissed(undefined)).toBe(false);
  });
});
