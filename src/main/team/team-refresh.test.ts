import { describe, expect, it } from 'vitest';
import { isAccessTokenExpired } from '../store/oauth-token';
import { pgTestServer } from './test-support/pg-test-server';
import { runRefreshFleet } from './test-support/refresh-fleet';

const server = await pgTestServer();

describe.skipIf(!server.available)('one refresh per expiry across processes (PostgreSQL)', () => {
  it('3 processes x 20 concurrent callers on one expired token make exactly 1 refresh request', async () => {
    const result = await runRefreshFleet(server.available ? server.url : '', {
      kind: 'service',
      processes: 3,
      callers: 20,
    });
    expect(result.failures).toEqual([]);
    expect(result.refreshRequests).toBe(1);
    // Every caller in every process got the one new access token, and the store holds it.
    expect(result.accessTokens).toHaveLength(1);
    expect(result.stored?.accessToken).toBe(result.accessTokens[0]);
    expect(isAccessTokenExpired(result.stored!)).toBe(false);
    // The team's audit log has the one refresh, attributed to the server member that made it.
    expect(result.refreshAudit).toEqual([
      { actor: expect.stringMatching(/^sdk fleet \(/), outcome: 'success' },
    ]);
  }, 60_000);
});

describe.skipIf(!server.available)(
  'the official SDK on several servers over the team store (PostgreSQL)',
  () => {
    it('3 SDK processes with an expired token each make their CRM call, with 1 refresh in all', async () => {
      const result = await runRefreshFleet(server.available ? server.url : '', { kind: 'sdk', processes: 3 });
      expect(result.outputs).toEqual(
        Array.from({ length: 3 }, () => ({ status: 200, company: result.orgName })),
      );
      expect(result.refreshRequests).toBe(1);
      expect(isAccessTokenExpired(result.stored!)).toBe(false);
      expect(result.refreshAudit).toEqual([
        { actor: expect.stringMatching(/^sdk fleet \(/), outcome: 'success' },
      ]);
    }, 60_000);
  },
);
