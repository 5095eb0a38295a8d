import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorEndpoints } from '../../../sim/endpoints';
import { startZohoSimulator, type ZohoSimulator } from '../../../sim/simulator';
import { DATA_CENTERS, dataCenterAndEnvironmentOfApiDomain } from '../../shared/datacenters';
import { apiDomainForEnvironment, bareOrigin, zohoEndpoints } from './endpoints';

describe('zohoEndpoints (real Zoho hosts)', () => {
  it('resolves accounts server and API domain per DC and environment', () => {
    expect(zohoEndpoints.resolve('EU', 'sandbox')).toEqual({
      dataCenter: 'EU',
      environment: 'sandbox',
      accountsServer: 'https://accounts.zoho.eu',
      apiDomain: 'https://sandbox.zohoapis.eu',
    });
    expect(zohoEndpoints.resolve('CA', 'production')?.accountsServer).toBe('https://accounts.zohocloud.ca');
    expect(zohoEndpoints.dataCenters).toEqual(['US', 'EU', 'IN', 'CN', 'JP', 'AU', 'CA', 'SA', 'UK']);
  });

  // Zoho's multi-DC page lists a UK data center; a UK user's callback names it.
  it('knows the UK data center: accounts server, API domains and callback location', () => {
    expect(zohoEndpoints.dataCenterOfAccountsServer('https://accounts.zoho.uk')).toBe('UK');
    expect(zohoEndpoints.dataCenterOfLocation('uk')).toBe('UK');
    expect(zohoEndpoints.resolve('UK', 'production')?.apiDomain).toBe('https://www.zohoapis.uk');
    expect(zohoEndpoints.isTrustedApiDomain('https://sandbox.zohoapis.uk')).toBe(true);
  });

  it.each(
    Object.values(DATA_CENTERS).flatMap((dc) =>
      (['production', 'sandbox', 'developer'] as const).map(
        (env) => [dc.id, env, dc.apiDomains[env]] as const,
      ),
    ),
  )('%s %s: its API domain %s names that DC and environment', (dataCenter, environment, apiDomain) => {
    expect(zohoEndpoints.placeOfApiDomain(apiDomain)).toEqual({ dataCenter, environment });
    expect(dataCenterAndEnvironmentOfApiDomain(`${apiDomain}/`)).toEqual({ dataCenter, environment });
  });

  it('names no place for anything but a Zoho API origin', () => {
    for (const url of [
      'https://accounts.zoho.com',
      'https://www.zohoapis.com/crm/v8',
      'http://www.zohoapis.com',
      'https://www.zohoapis.com.evil.example',
      '',
    ]) {
      expect(zohoEndpoints.placeOfApiDomain(url)).toBeUndefined();
      expect(dataCenterAndEnvironmentOfApiDomain(url)).toBeUndefined();
    }
  });

  it('a refresh answer names production; a sandbox or developer token keeps its own API domain', () => {
    expect(apiDomainForEnvironment(zohoEndpoints, 'https://www.zohoapis.eu', 'sandbox')).toBe(
      'https://sandbox.zohoapis.eu',
    );
    expect(apiDomainForEnvironment(zohoEndpoints, 'https://www.zohoapis.com', 'developer')).toBe(
      'https://developer.zohoapis.com',
    );
    expect(apiDomainForEnvironment(zohoEndpoints, 'https://www.zohoapis.uk', 'production')).toBe(
      'https://www.zohoapis.uk',
    );
    expect(apiDomainForEnvironment(zohoEndpoints, 'https://evil.example', 'sandbox')).toBeUndefined();
  });

  it.each([
    ['https://accounts.zoho.com', true],
    ['https://accounts.zoho.eu/', true],
    ['https://accounts.zoho.com.cn', true],
    ['http://accounts.zoho.com', false],
    ['https://accounts.zoho.com.evil.example', false],
    ['https://accounts.zoho.com@evil.example', false],
    ['https://evil.example/?https://accounts.zoho.com', false],
    ['https://accounts.zoho.com/oauth/v2/token', false],
    ['https://accounts.zoho.com:8443', false],
    ['not a url', false],
    ['', false],
  ])('isTrustedAccountsServer(%s) = %s', (url, trusted) => {
    expect(zohoEndpoints.isTrustedAccountsServer(url)).toBe(trusted);
  });

  it('maps accounts-server and location back to the DC', () => {
    expect(zohoEndpoints.dataCenterOfAccountsServer('https://accounts.zoho.eu')).toBe('EU');
    expect(zohoEndpoints.dataCenterOfAccountsServer('https://accounts.zoho.evil')).toBeUndefined();
    expect(zohoEndpoints.dataCenterOfLocation('EU')).toBe('EU');
    expect(zohoEndpoints.dataCenterOfLocation('xx')).toBeUndefined();
  });

  it('trusts only Zoho API domains', () => {
    expect(zohoEndpoints.isTrustedApiDomain('https://www.zohoapis.com')).toBe(true);
    expect(zohoEndpoints.isTrustedApiDomain('https://developer.zohoapis.com.au')).toBe(true);
    expect(zohoEndpoints.isTrustedApiDomain('https://www.zohoapis.com.evil.example')).toBe(false);
    expect(zohoEndpoints.isTrustedApiDomain('https://accounts.zoho.com')).toBe(false);
  });

  it('bareOrigin refuses anything but an origin', () => {
    expect(bareOrigin('https://a.example/')).toBe('https://a.example');
    expect(bareOrigin('https://a.example/#x')).toBeUndefined();
    expect(bareOrigin('ftp://a.example')).toBeUndefined();
  });
});

describe('simulatorEndpoints', () => {
  let sim: ZohoSimulator;
  beforeAll(async () => {
    sim = await startZohoSimulator();
  });
  afterAll(() => sim.close());

  it('has the simulator DCs only, each environment at its own origin', () => {
    const endpoints = simulatorEndpoints(sim);
    expect(endpoints.dataCenters).toEqual(['US', 'EU']);
    const eu = sim.dataCenter('EU');
    expect(endpoints.resolve('EU', 'developer')).toEqual({
      dataCenter: 'EU',
      environment: 'developer',
      accountsServer: eu.accountsUrl,
      apiDomain: eu.apiDomains.developer,
    });
    expect(new Set(Object.values(eu.apiDomains)).size).toBe(3);
    expect(eu.apiDomains.production).toBe(eu.apiDomain);
    expect(endpoints.placeOfApiDomain(eu.apiDomains.sandbox)).toEqual({
      dataCenter: 'EU',
      environment: 'sandbox',
    });
    expect(endpoints.resolve('IN', 'production')).toBeUndefined();
    expect(endpoints.isTrustedAccountsServer(eu.accountsUrl)).toBe(true);
    expect(endpoints.isTrustedAccountsServer('https://accounts.zoho.eu')).toBe(false);
    expect(endpoints.isTrustedAccountsServer(`http://127.0.0.1:${eu.port + 1}`)).toBe(
      sim.dataCenter('US').port === eu.port + 1,
    );
    expect(endpoints.dataCenterOfLocation('eu')).toBe('EU');
  });
});
