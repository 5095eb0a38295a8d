import { describe, expect, it } from 'vitest';
import { maskSecret } from '../common/mask';
import { emptyToken } from '../store/oauth-token';
import { TokenStoreError } from '../store/token-store';
import { entryToView, tokenStatus } from './token-view';
import { consoleUserName, sameUser } from './user-name';

const ACCESS = '1000.ab34567890abcdef1234567890abcdef.0123456789abcdef0123456789ab9f3c';
const REFRESH = '1000.cd34567890abcdef1234567890abcdef.0123456789abcdef0123456789ab1a2b';
const NOW = 1_700_000_000_000;

describe('maskSecret', () => {
  it('keeps the 1000. prefix, two characters and the last four', () => {
    expect(maskSecret(ACCESS)).toBe('1000.ab…9f3c');
    expect(maskSecret(null)).toBeNull();
    expect(maskSecret('1000.short')).toBe('1000.…');
    expect(maskSecret('no-prefix-but-long-enough-value-x1y2')).toBe('no…x1y2');
  });
});

describe('tokenStatus', () => {
  const base = { accessToken: ACCESS, refreshToken: REFRESH };
  it.each([
    ['valid', { ...base, expiryTime: String(NOW + 3_600_000) }, false],
    ['expiring', { ...base, expiryTime: String(NOW + 60_000) }, false],
    ['expired', { ...base, expiryTime: String(NOW + 4_999) }, false],
    ['expired', { ...base, accessToken: null, expiryTime: null }, false],
    ['reauth', { ...base, refreshToken: null, expiryTime: String(NOW + 3_600_000) }, false],
    ['reauth', { ...base, expiryTime: String(NOW + 3_600_000) }, true],
  ] as const)('%s', (status, token, reauthRequired) => {
    expect(tokenStatus(token, { lastTest: null, reauthRequired }, NOW)).toBe(status);
  });
});

describe('entryToView', () => {
  it('never carries a raw secret', () => {
    const token = emptyToken({
      id: '1',
      userName: 'ann@example.com',
      clientId: '1000.CLIENT',
      clientSecret: 'topsecretclientsecretvalue0123456789',
      accessToken: ACCESS,
      refreshToken: REFRESH,
      grantToken: '1000.grantgrantgrantgrantgrant.abcdefabcdef',
      expiryTime: String(NOW + 3_600_000),
      dataCenter: 'US',
      environment: 'production',
    });
    const view = entryToView({ ok: true, token }, new Map(), NOW);
    const json = JSON.stringify(view);
    for (const secret of [ACCESS, REFRESH, token.clientSecret!, token.grantToken!]) {
      expect(json).not.toContain(secret);
      expect(json).not.toContain(secret.slice(5, 20));
    }
    expect(view.accessTokenPreview).toBe('1000.ab…9f3c');
    expect(view.status).toBe('valid');
  });

  it('shows an unreadable row with its plain-words error', () => {
    const view = entryToView(
      {
        ok: false,
        id: '9',
        userName: 'x@example.com',
        clientId: null,
        dataCenter: 'EU',
        environment: 'bogus',
        error: new TokenStoreError('UNREADABLE_ROW', 'This row failed its integrity check.', {
          tokenId: '9',
        }),
      },
      new Map(),
      NOW,
    );
    expect(view).toMatchObject({ id: '9', status: 'unreadable', dataCenter: 'EU', environment: null });
    expect(view.lastError).toContain('integrity');
  });
});

describe('user names the official SDK wrote', () => {
  it('shows the email of an SDK `<email>:<org id>` name, and compares users by it', () => {
    expect(consoleUserName('admin@demo-us.example.com:800000001')).toBe('admin@demo-us.example.com');
    expect(consoleUserName('admin@demo-us.example.com')).toBe('admin@demo-us.example.com');
    expect(consoleUserName('not-an-email:123')).toBe('not-an-email:123');
    expect(consoleUserName(null)).toBeNull();
    expect(sameUser('Admin@Demo-US.example.com:800000001', 'admin@demo-us.example.com')).toBe(true);
    expect(sameUser('a@example.com', 'b@example.com')).toBe(false);
    expect(sameUser(null, null)).toBe(false);
  });

  it('lists such a row under the email', () => {
    const token = emptyToken({
      id: '1',
      userName: 'admin@demo-us.example.com:800000001',
      accessToken: ACCESS,
      refreshToken: REFRESH,
      expiryTime: String(NOW + 3_600_000),
    });
    expect(entryToView({ ok: true, token }, new Map(), NOW).userName).toBe('admin@demo-us.example.com');
  });
});
