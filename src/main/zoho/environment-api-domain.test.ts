import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importRefreshToken } from '../oauth/self-client';
import { type ServiceHarness, startServiceHarness } from '../tokens/test-support/service-harness';
import { connectZoho } from '.';

/**
 * Zoho's token endpoint names the data center's production API domain in `api_domain`, whatever the
 * environment; a sandbox or developer token is used at its own API domain. The simulator serves each
 * environment at its own origin and refuses a token at another environment's, as a separate org would.
 */
describe('a sandbox or developer token keeps its API domain', () => {
  let h: ServiceHarness;
  beforeEach(async () => {
    h = await startServiceHarness();
  });
  afterEach(() => h.close());

  it.each(['sandbox', 'developer'] as const)(
    'a %s token: imported, refreshed, then tested at its own API domain',
    async (environment) => {
      const us = h.sim.dataCenter('US');
      const { token: production } = await h.grant();
      const granted = await importRefreshToken({
        zoho: connectZoho({ endpoints: h.clients.endpoints }),
        clientId: production.clientId ?? '',
        clientSecret: production.clientSecret ?? '',
        dataCenter: 'US',
        environment,
        refreshToken: production.refreshToken ?? '',
      });
      const saved = await h.service.saveGranted(granted, 'import');
      expect(saved.apiDomain).toBe(us.apiDomains[environment]);

      const refreshed = await h.service.refreshNow(saved.id);
      // What is on disk: the environment's API domain, not the production one the answer named.
      expect(refreshed.apiDomain).toBe(us.apiDomains[environment]);
      expect((await h.store.findTokenById(saved.id))?.apiDomain).toBe(us.apiDomains[environment]);

      const test = await h.service.testCall(saved.id);
      expect(test).toMatchObject({ ok: true, httpStatus: 200, errorCode: null });
      expect(h.sim.stats.crmWrongEnvironment).toBe(0);
    },
  );

  it('the simulator refuses a sandbox-bound token at the production API domain', async () => {
    const us = h.sim.dataCenter('US');
    const { token } = await h.grant();
    const call = (origin: string) =>
      fetch(new URL('/crm/v8/users?type=CurrentUser', origin), {
        headers: { authorization: `Zoho-oauthtoken ${token.accessToken}` },
      });
    expect((await call(us.apiDomains.sandbox)).status).toBe(200);
    const wrong = await call(us.apiDomains.production);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(h.sim.stats.crmWrongEnvironment).toBe(1);
  });
});
