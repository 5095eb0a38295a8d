import { describe, expect, it } from 'vitest';
import { DATA_CENTERS } from '../../shared/datacenters';
import { decideExternalUrl } from './external-urls';

describe('external URL policy', () => {
  it.each(Object.values(DATA_CENTERS).map((dc) => [dc.id, `${dc.accountsServer}/oauth/v2/auth?client_id=x`]))(
    'allows the %s accounts server',
    (_id, url) => {
      expect(decideExternalUrl(url)).toEqual({ allowed: true, url });
    },
  );

  it.each([
    ['http (not https)', 'http://accounts.zoho.com/oauth/v2/auth'],
    ['another Zoho host', 'https://www.zohoapis.com/crm/v8/users'],
    ['a look-alike host', 'https://accounts.zoho.com.evil.example/oauth'],
    ['a sub-domain', 'https://evil.accounts.zoho.com/'],
    ['a non-default port', 'https://accounts.zoho.com:8443/'],
    ['credentials in the URL', 'https://user:pw@accounts.zoho.com/'],
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['a custom scheme', 'ms-settings:privacy'],
    ['smb:', 'smb://server/share'],
    ['a loopback URL outside demo mode', 'http://127.0.0.1:53100/oauth/v2/auth'],
    ['garbage', 'not a url'],
    ['empty', ''],
  ])('refuses %s with a reason', (_label, url) => {
    const decision = decideExternalUrl(url);
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) expect(decision.reason.length).toBeGreaterThan(5);
  });

  it('refuses a value that is not a string', () => {
    expect(decideExternalUrl(42).allowed).toBe(false);
    expect(decideExternalUrl(undefined).allowed).toBe(false);
  });

  it("allows the simulator's own loopback origin in demo mode, and nothing else on loopback", () => {
    const policy = { simulatorOrigins: ['http://127.0.0.1:53100', 'http://127.0.0.1:53200'] };
    expect(decideExternalUrl('http://127.0.0.1:53100/oauth/v2/auth?state=s', policy).allowed).toBe(true);
    expect(decideExternalUrl('http://127.0.0.1:53200/oauth/v2/auth', policy).allowed).toBe(true);
    expect(decideExternalUrl('http://127.0.0.1:53101/oauth/v2/auth', policy).allowed).toBe(false);
    expect(decideExternalUrl('http://localhost:53100/oauth/v2/auth', policy).allowed).toBe(false);
    expect(decideExternalUrl('https://127.0.0.1:53100/', policy).allowed).toBe(false);
  });

  it('ignores a simulator origin that is not literal loopback', () => {
    const policy = { simulatorOrigins: ['http://evil.example:80', 'http://localhost:53100'] };
    expect(decideExternalUrl('http://evil.example/', policy).allowed).toBe(false);
    expect(decideExternalUrl('http://localhost:53100/', policy).allowed).toBe(false);
  });
});
