import { describe, expect, it } from 'vitest';
import {
  type AccountFormValues,
  buildSignInRequest,
  DEFAULT_SCOPES,
  parseScopes,
  redirectUri,
  signInAnnouncement,
} from './account-form';

const base: AccountFormValues = {
  dataCenter: 'EU',
  environment: 'production',
  clientId: ' 1000.CLIENT ',
  clientSecret: 'secret',
  scopes: DEFAULT_SCOPES,
  grantCode: '',
  refreshToken: '',
};
const FLOW = '6f1c2b0e-3a4d-4e5f-8a9b-0c1d2e3f4a5b';

describe('account form', () => {
  it('parses scopes separated by commas or spaces', () => {
    expect(parseScopes(' a, b  c,,')).toEqual(['a', 'b', 'c']);
  });
  it('builds the redirect URI on the literal loopback IP', () => {
    expect(redirectUri(53682, '/callback')).toBe('http://127.0.0.1:53682/callback');
  });
  it('builds a trimmed browser request that passes the contract', () => {
    const built = buildSignInRequest('browser', base, FLOW);
    expect(built.ok).toBe(true);
    if (built.ok) {
      expect(built.method).toBe('signInWithBrowser');
      expect(built.request).toMatchObject({ clientId: '1000.CLIENT', scopes: DEFAULT_SCOPES.split(',') });
    }
  });
  it('reports field errors in plain words before any round trip', () => {
    const built = buildSignInRequest('grant', { ...base, clientSecret: ' ', grantCode: '' }, FLOW);
    expect(built.ok).toBe(false);
    if (!built.ok) {
      expect(built.errors.clientSecret).toMatch(/client secret/);
      expect(built.errors.grantCode).toMatch(/grant code/);
      expect(built.errors.clientId).toBeUndefined();
    }
  });
  it('needs scopes for the browser flow and a refresh token for import', () => {
    const noScopes = buildSignInRequest('browser', { ...base, scopes: ' , ' }, FLOW);
    expect(noScopes.ok ? null : noScopes.errors.scopes).toMatch(/scope/);
    const imp = buildSignInRequest('import', { ...base, refreshToken: '1000.abc' }, FLOW);
    expect(imp.ok && imp.method).toBe('importRefreshToken');
  });
});

describe('sign-in announcement', () => {
  it('is silent before a flow, says "starting" before the first event, then each stage', () => {
    expect(signInAnnouncement(false, null)).toBe('');
    expect(signInAnnouncement(true, null)).toBe('Starting the sign-in…');
    expect(signInAnnouncement(true, { stage: 'waiting-for-browser' })).toBe(
      'Waiting for the browser… Finish signing in to Zoho in your browser.',
    );
    expect(signInAnnouncement(true, { stage: 'exchanging-code' })).toBe('Exchanging the code with Zoho…');
    expect(signInAnnouncement(false, { stage: 'cancelled' })).toBe('Sign-in cancelled.');
  });
});
