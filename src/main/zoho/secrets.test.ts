import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveConsent } from '../../../sim/consent-driver';
import { DEFAULT_REDIRECT_URI, DEMO_CLIENT } from '../../../sim/demo-data';
import { simulatorEndpoints } from '../../../sim/endpoints';
import { startZohoSimulator, type ZohoSimulator } from '../../../sim/simulator';
import { authorizationUrl, EU_USER } from '../../../sim/test-support';
import { type LogRecord, setLogSink } from '../log';
import { createAccountsClient } from './accounts-client';
import { createCrmClient } from './crm-client';
import { ZohoError } from './errors';

/**
 * docs/architecture.md "Secrets": no client secret, grant code or token in a log line or an error. This runs every
 * flow and failure the clients have, captures all log records and every error, and scans them.
 */
describe('no secret reaches a log record or an error', () => {
  let sim: ZohoSimulator;
  const records: LogRecord[] = [];
  const errors: unknown[] = [];
  const secrets = new Set<string>([DEMO_CLIENT.clientSecret]);
  let restore: () => void;

  beforeAll(async () => {
    restore = setLogSink((r) => records.push(r));
    sim = await startZohoSimulator();
  });
  afterAll(async () => {
    restore();
    await sim.close();
  });

  const capture = async <T>(p: Promise<T>): Promise<T | undefined> => {
    try {
      return await p;
    } catch (e) {
      errors.push(e);
      return undefined;
    }
  };

  it('runs every flow and failure, then finds none of the secrets', async () => {
    const endpoints = simulatorEndpoints(sim);
    const accounts = createAccountsClient({ endpoints, timeoutMs: 200 });
    const crm = createCrmClient({ endpoints, timeoutMs: 200 });
    const creds = { clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret };
    const us = sim.dataCenter('US').accountsUrl;

    const { redirectedTo } = await driveConsent(authorizationUrl(sim), { userEmail: EU_USER.email });
    const code = redirectedTo?.searchParams.get('code') ?? '';
    const eu = redirectedTo?.searchParams.get('accounts-server') ?? '';
    secrets.add(code);
    const exchange = { ...creds, code, redirectUri: DEFAULT_REDIRECT_URI };

    await capture(accounts.exchangeCode({ ...exchange, accountsServer: us })); // wrong DC
    await capture(accounts.exchangeCode({ ...exchange, accountsServer: eu, clientSecret: 'x' }));
    await capture(
      accounts.exchangeCode({ ...exchange, accountsServer: eu, redirectUri: 'http://127.0.0.1:1/' }),
    );
    await capture(accounts.exchangeCode({ ...exchange, accountsServer: 'https://evil.example' }));
    const grant = await accounts.exchangeCode({ ...exchange, accountsServer: eu });
    await capture(accounts.exchangeCode({ ...exchange, accountsServer: eu })); // reused
    const rt = grant.refreshToken ?? '';
    secrets.add(grant.accessToken).add(rt);

    const refresh = { ...creds, refreshToken: rt, accountsServer: eu };
    for (const fault of ['5xx', 'drop', 'invalid_client', 'slow'] as const) {
      sim.injectFault({ kind: 'refresh', fault, delayMs: 30_000 });
      await capture(accounts.refresh(refresh));
    }
    await capture(accounts.refresh({ ...refresh, accountsServer: us }));
    for (let i = 0; i < 11; i++) {
      const g = await capture(accounts.refresh(refresh));
      if (g) secrets.add(g.accessToken);
    }
    await capture(crm.currentUser(grant.apiDomain, grant.accessToken));
    await capture(crm.org(sim.dataCenter('US').apiDomain, grant.accessToken));
    sim.injectFault({ kind: 'crm', fault: 'drop' });
    await capture(crm.org(grant.apiDomain, grant.accessToken));
    await capture(accounts.revoke({ accountsServer: us, token: rt }));
    sim.injectFault({ kind: 'revoke', fault: 'drop' });
    await capture(accounts.revoke({ accountsServer: eu, token: rt }));
    await accounts.revoke({ accountsServer: eu, token: rt });
    await capture(accounts.revoke({ accountsServer: eu, token: rt }));
    await capture(crm.org(grant.apiDomain, grant.accessToken));

    // Every failure kind was produced, so the scan below covers them.
    const codes = new Set(errors.map((e) => (e instanceof ZohoError ? e.code : 'not-a-zoho-error')));
    expect([...codes].sort()).toEqual(
      [
        'INVALID_CODE',
        'INVALID_CLIENT',
        'INVALID_REDIRECT_URI',
        'UNTRUSTED_SERVER',
        'SERVER_ERROR',
        'NETWORK',
        'TIMEOUT',
        'THROTTLED',
        'INVALID_TOKEN',
      ].sort(),
    );
    expect(records.length).toBeGreaterThan(10);
    // Redaction must not hide what went wrong: each failure's code is readable in the log.
    const loggedCodes = new Set(records.map((r) => r.fields?.errorCode));
    for (const code of codes) expect(loggedCodes, `${code} logged`).toContain(code);

    const haystack = [
      ...records.map((r) => JSON.stringify(r)),
      ...errors.flatMap((e) =>
        e instanceof ZohoError
          ? [e.message, e.hint, String(e.stack), JSON.stringify(e), JSON.stringify({ ...e })]
          : [String(e)],
      ),
    ].join('\n');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(10);
      expect(haystack.includes(secret), 'a secret leaked into logs or errors').toBe(false);
    }
  });
});
