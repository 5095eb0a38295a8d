import { describe, expect, it } from 'vitest';
import { FieldCrypto, FieldIntegrityError, generateDataKey, RowAad, type RowBinding } from './field-crypto';

function row(id: string, fields: Partial<RowBinding> = {}): RowAad {
  return new RowAad({
    id,
    userName: 'user@example.com',
    clientId: '1000.CLIENT',
    dataCenter: 'US',
    environment: 'production',
    expiryTime: '1893456000000',
    redirectUrl: 'http://127.0.0.1:53682/callback',
    apiDomain: 'https://www.zohoapis.com',
    ...fields,
  });
}

describe('FieldCrypto', () => {
  const crypto = new FieldCrypto(generateDataKey());

  it('round-trips text, with a fresh IV every time', () => {
    const a = crypto.encrypt(row('7'), 'refreshToken', '1000.secret 🔑');
    const b = crypto.encrypt(row('7'), 'refreshToken', '1000.secret 🔑');
    expect(a.equals(b)).toBe(false);
    expect(crypto.decrypt(row('7'), 'refreshToken', a)).toBe('1000.secret 🔑');
    expect(crypto.decrypt(row('7'), 'refreshToken', crypto.encrypt(row('7'), 'refreshToken', ''))).toBe('');
  });

  it('rejects a ciphertext moved to another row or field, or tampered, or truncated', () => {
    const sealed = crypto.encrypt(row('7'), 'refreshToken', '1000.secret');
    expect(() => crypto.decrypt(row('8'), 'refreshToken', sealed)).toThrow(FieldIntegrityError);
    expect(() => crypto.decrypt(row('7'), 'accessToken', sealed)).toThrow(FieldIntegrityError);
    for (let i = 0; i < sealed.length; i++) {
      const flipped = Buffer.from(sealed);
      flipped[i]! ^= 0x01;
      expect(() => crypto.decrypt(row('7'), 'refreshToken', flipped)).toThrow(FieldIntegrityError);
    }
    expect(() => crypto.decrypt(row('7'), 'refreshToken', sealed.subarray(0, 20))).toThrow(
      FieldIntegrityError,
    );
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
  it.each(changes)('rejects a ciphertext whose row changed its %s', (_label, before, after) => {
    const sealed = crypto.encrypt(row('7', before), 'accessToken', '1000.secret');
    expect(crypto.decrypt(row('7', before), 'accessToken', sealed)).toBe('1000.secret');
    expect(() => crypto.decrypt(row('7', { ...before, ...after }), 'accessToken', sealed)).toThrow(
      FieldIntegrityError,
    );
  });

  it('rejects a ciphertext sealed under another data key', () => {
    const other = new FieldCrypto(generateDataKey());
    expect(() =>
      other.decrypt(row('7'), 'refreshToken', crypto.encrypt(row('7'), 'refreshToken', 'x')),
    ).toThrow(FieldIntegrityError);
  });

  it('error messages name the row and field, never the value', () => {
    const err = (() => {
      try {
        crypto.decrypt(
          row('9'),
          'clientSecret',
          crypto.encrypt(row('7'), 'clientSecret', 'super-secret-value'),
        );
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toContain('row 9');
    expect(err?.message).not.toContain('super-secret-value');
  });

  it('blind indexes are deterministic, per field and per key', () => {
    const idx = crypto.blindIndex('refreshToken', '1000.r');
    expect(idx.equals(crypto.blindIndex('refreshToken', '1000.r'))).toBe(true);
    expect(idx.equals(crypto.blindIndex('accessToken', '1000.r'))).toBe(false);
    expect(idx.equals(crypto.blindIndex('refreshToken', '1000.s'))).toBe(false);
    expect(idx.equals(new FieldCrypto(generateDataKey()).blindIndex('refreshToken', '1000.r'))).toBe(false);
    expect(idx.includes(Buffer.from('1000.r'))).toBe(false);
  });

  it('refuses a data key of the wrong size', () => {
    expect(() => new FieldCrypto(Buffer.alloc(16))).toThrow(RangeError);
  });
});
