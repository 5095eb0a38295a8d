import { describe, expect, it } from 'vitest';
import {
  decodeSecrets,
  ENVELOPE_VERSION,
  encodeSecrets,
  generateDataKey,
  type RowBinding,
  RowCrypto,
  RowIntegrityError,
  type RowSecrets,
} from './row-crypto';

function row(id: string, fields: Partial<RowBinding> = {}): RowBinding {
  return {
    id,
    userName: 'user@example.com',
    clientId: '1000.CLIENT',
    dataCenter: 'US',
    environment: 'production',
    expiryTime: '1893456000000',
    redirectUrl: 'http://127.0.0.1:53682/callback',
    apiDomain: 'https://www.zohoapis.com',
    ...fields,
  };
}

const SECRETS: RowSecrets = {
  clientSecret: 'client-secret 🔑',
  refreshToken: '1000.refresh',
  accessToken: '1000.access',
  grantToken: null,
};

describe('RowCrypto envelope', () => {
  const crypto = new RowCrypto(generateDataKey());

  it('round-trips the four secrets, with a fresh IV every time', () => {
    const a = crypto.seal(row('7'), SECRETS);
    const b = crypto.seal(row('7'), SECRETS);
    expect(a.equals(b)).toBe(false);
    expect(a[0]).toBe(ENVELOPE_VERSION);
    expect(crypto.open(row('7'), a)).toEqual(SECRETS);
  });

  it('keeps null apart from the empty string, in every field', () => {
    const cases: RowSecrets[] = [
      { clientSecret: null, refreshToken: null, accessToken: null, grantToken: null },
      { clientSecret: '', refreshToken: '', accessToken: '', grantToken: '' },
      { clientSecret: '', refreshToken: null, accessToken: '', grantToken: null },
      { clientSecret: null, refreshToken: 'x'.repeat(10_240), accessToken: "' OR 1=1 --", grantToken: '\0' },
    ];
    for (const secrets of cases)
      expect(crypto.open(row('7'), crypto.seal(row('7'), secrets))).toEqual(secrets);
  });

  it('encodes unambiguously: values that would run together under a separator stay apart', () => {
    const a = encodeSecrets({ clientSecret: 'a,b', refreshToken: 'c', accessToken: null, grantToken: null });
    const b = encodeSecrets({ clientSecret: 'a', refreshToken: 'b,c', accessToken: null, grantToken: null });
    expect(a.equals(b)).toBe(false);
    expect(decodeSecrets(a, '1')).toMatchObject({ clientSecret: 'a,b', refreshToken: 'c' });
  });

  it('decodes strictly: unknown presence bits, overruns and trailing bytes are integrity failures', () => {
    const good = encodeSecrets(SECRETS);
    const bad = [
      Buffer.alloc(0),
      Buffer.of(0x10),
      Buffer.concat([good, Buffer.of(0)]),
      good.subarray(0, good.length - 1),
      Buffer.of(0x01, 0, 0, 0, 5, 0x61),
    ];
    for (const plain of bad) expect(() => decodeSecrets(plain, '3')).toThrow(RowIntegrityError);
  });

  it('rejects an envelope moved to another row, tampered anywhere, truncated or missing', () => {
    const sealed = crypto.seal(row('7'), SECRETS);
    expect(() => crypto.open(row('8'), sealed)).toThrow(RowIntegrityError);
    for (let i = 0; i < sealed.length; i++) {
      const flipped = Buffer.from(sealed);
      flipped[i]! ^= 0x01;
      expect(() => crypto.open(row('7'), flipped), `byte ${i}`).toThrow(RowIntegrityError);
    }
    expect(() => crypto.open(row('7'), sealed.subarray(0, 20))).toThrow(RowIntegrityError);
    expect(() => crypto.open(row('7'), sealed.subarray(0, sealed.length - 1))).toThrow(RowIntegrityError);
    expect(() => crypto.open(row('7'), null)).toThrow(RowIntegrityError);
    expect(() => crypto.open(row('7'), new Uint8Array(sealed))).not.toThrow();
  });

  const changes: [string, Partial<RowBinding>, Partial<RowBinding>][] = [
    ['user name', {}, { userName: 'someone.else@example.com' }],
    ['client id', {}, { clientId: '1000.OTHER' }],
    ['data center', {}, { dataCenter: 'EU' }],
    ['environment', {}, { environment: 'sandbox' }],
    ['expiry time', {}, { expiryTime: '1993456000000' }],
    ['redirect URL', {}, { redirectUrl: 'http://127.0.0.1:1/callback' }],
    ['API domain', {}, { apiDomain: 'https://attacker.example' }],
    ['API domain (set to null)', {}, { apiDomain: null }],
    ['client id (null to "")', { clientId: null }, { clientId: '' }],
  ];
  it.each(changes)('rejects an envelope whose row changed its %s', (_label, before, after) => {
    const sealed = crypto.seal(row('7', before), SECRETS);
    expect(crypto.open(row('7', before), sealed)).toEqual(SECRETS);
    expect(() => crypto.open(row('7', { ...before, ...after }), sealed)).toThrow(RowIntegrityError);
  });

  it('rejects an envelope sealed under another data key', () => {
    const other = new RowCrypto(generateDataKey());
    expect(() => other.open(row('7'), crypto.seal(row('7'), SECRETS))).toThrow(RowIntegrityError);
  });

  it('error messages name the row, never a value', () => {
    const err = (() => {
      try {
        crypto.open(row('9'), crypto.seal(row('7'), { ...SECRETS, clientSecret: 'super-secret-value' }));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toBe('Row 9 failed its integrity check.');
    expect(err?.message).not.toContain('super-secret-value');
  });

  it('the ciphertext holds no secret in the clear', () => {
    const sealed = crypto.seal(row('7'), SECRETS);
    for (const value of Object.values(SECRETS)) {
      if (value) expect(sealed.includes(Buffer.from(value, 'utf8'))).toBe(false);
    }
  });

  it('blind indexes are deterministic, per field and per key', () => {
    const idx = crypto.blindIndex('refreshToken', '1000.r');
    expect(idx.equals(crypto.blindIndex('refreshToken', '1000.r'))).toBe(true);
    expect(idx.equals(crypto.blindIndex('accessToken', '1000.r'))).toBe(false);
    expect(idx.equals(crypto.blindIndex('refreshToken', '1000.s'))).toBe(false);
    expect(idx.equals(new RowCrypto(generateDataKey()).blindIndex('refreshToken', '1000.r'))).toBe(false);
    expect(idx.includes(Buffer.from('1000.r'))).toBe(false);
  });

  it('refuses a data key of the wrong size', () => {
    expect(() => new RowCrypto(Buffer.alloc(16))).toThrow(RangeError);
  });
});
