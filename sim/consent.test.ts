import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from './clock';
import { driveConsent } from './consent-driver';
import { DEMO_CLIENT } from './demo-data';
import { startZohoSimulator, type ZohoSimulator } from './simulator';
import { authorizationUrl, EU_USER, US_USER, ZOHO_TOKEN_SHAPE } from './test-support';

let sim: ZohoSimulator;
let clock: ManualClock;

beforeEach(async () => {
  clock = createManualClock(1_700_000_000_000);
  sim = await startZohoSimulator({ clock });
});
afterEach(() => sim.close());

describe('GET /oauth/v2/auth consent page', () => {
  it('shows the client name, the scopes, a user picker and Accept/Deny buttons posting back', async () => {
    const res = await fetch(authorizationUrl(sim));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain(DEMO_CLIENT.name);
    expect(html).toContain('ZohoCRM.users.READ');
    expect(html).toContain('ZohoCRM.org.READ');
    expect(html).toContain('action="/oauth/v2/auth/approve"');
    expect(html).toContain(`value="${US_USER.email}"`);
    expect(html).toMatch(/name="decision" value="accept"/);
    expect(html).toMatch(/name="decision" value="deny"/);
  });

  it('escapes request values it echoes into the page', async () => {
    const html = await (await fetch(authorizationUrl(sim, { state: '"><script>x</script>' }))).text();
    expect(html).not.toContain('<script>x');
    // The value is still there, escaped, in the hidden field the form posts back.
    expect(html).toContain('name="state" value="&#34;&#62;&#60;script&#62;x&#60;/script&#62;"');
  });

  it('answers an unknown client with an error page and no redirect', async () => {
    const res = await fetch(authorizationUrl(sim, { client_id: '1000.UNKNOWN' }), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('Invalid Client');
  });

  it.each([
    'http://127.0.0.1:53682/callback/',
    'http://127.0.0.1:53683/callback',
    'http://localhost:53682/callback',
    'http://127.0.0.1:53682/callback?x=1',
    'HTTP://127.0.0.1:53682/callback',
  ])('requires an exact redirect URI match (%s is refused, no redirect)', async (redirectUri) => {
    const res = await fetch(authorizationUrl(sim, { redirect_uri: redirectUri }), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('Invalid Redirect Uri');
    // The approve endpoint checks the same, so it cannot be used to bypass the page.
    const approve = await driveConsent(authorizationUrl(sim, { redirect_uri: redirectUri }), {
      userEmail: US_USER.email,
    });
    expect(approve.redirectedTo).toBeNull();
  });
});

describe('POST /oauth/v2/auth/approve', () => {
  it('Accept redirects to the redirect URI with code, location, accounts-server and state', async () => {
    const { pageStatus, redirectedTo } = await driveConsent(authorizationUrl(sim), {
      userEmail: US_USER.email,
    });
    expect(pageStatus).toBe(200);
    expect(redirectedTo?.origin + (redirectedTo?.pathname ?? '')).toBe('http://127.0.0.1:53682/callback');
    expect(redirectedTo?.searchParams.get('code')).toMatch(ZOHO_TOKEN_SHAPE);
    expect(redirectedTo?.searchParams.get('location')).toBe('us');
    expect(redirectedTo?.searchParams.get('accounts-server')).toBe(sim.dataCenter('US').accountsUrl);
    expect(redirectedTo?.searchParams.get('state')).toBe('st-123');
    expect(sim.stats.grantCodesIssued).toBe(1);
  });

  it('sends an EU user back with location=eu and the EU accounts server, even from the US page', async () => {
    const { redirectedTo } = await driveConsent(authorizationUrl(sim, { at: 'US' }), {
      userEmail: EU_USER.email,
    });
    expect(redirectedTo?.searchParams.get('location')).toBe('eu');
    expect(redirectedTo?.searchParams.get('accounts-server')).toBe(sim.dataCenter('EU').accountsUrl);
  });

  it('Deny redirects with error=access_denied and the state', async () => {
    const { redirectedTo } = await driveConsent(authorizationUrl(sim), {
      userEmail: US_USER.email,
      decision: 'deny',
    });
    expect(redirectedTo?.searchParams.get('error')).toBe('access_denied');
    expect(redirectedTo?.searchParams.get('state')).toBe('st-123');
    expect(redirectedTo?.searchParams.get('code')).toBeNull();
  });

  it('works with a plain fetch of the form post (redirect: manual)', async () => {
    const form = new URLSearchParams(new URL(authorizationUrl(sim)).searchParams);
    form.set('email', US_USER.email);
    form.set('decision', 'accept');
    const res = await fetch(`${sim.dataCenter('US').accountsUrl}/oauth/v2/auth/approve`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('code')).toMatch(ZOHO_TOKEN_SHAPE);
  });

  it('refuses an unknown user without redirecting', async () => {
    const { redirectedTo } = await driveConsent(authorizationUrl(sim), { userEmail: 'nobody@example.com' });
    expect(redirectedTo).toBeNull();
  });

  it('answers access_denied after 10 grant codes in 10 minutes for one client, and recovers', async () => {
    for (let i = 0; i < 10; i++) {
      const { redirectedTo } = await driveConsent(authorizationUrl(sim), { userEmail: US_USER.email });
      expect(redirectedTo?.searchParams.get('code')).toBeTruthy();
    }
    const limited = await driveConsent(authorizationUrl(sim), { userEmail: US_USER.email });
    expect(limited.redirectedTo?.searchParams.get('error')).toBe('access_denied');
    expect(limited.redirectedTo?.searchParams.get('state')).toBe('st-123');
    clock.advance(10 * 60_000);
    const later = await driveConsent(authorizationUrl(sim), { userEmail: US_USER.email });
    expect(later.redirectedTo?.searchParams.get('code')).toBeTruthy();
  });
});
