import { describe, expect, it } from 'vitest';
import {
  type AccountFormValues,
  buildSignInRequest,
  DEFAULT_SCOPES,
  parseScopes,
  redirectUri,
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
