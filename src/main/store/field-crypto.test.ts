import { describe, expect, it } from 'vitest';
import { FieldCrypto, FieldIntegrityError, generateDataKey } from './field-crypto';

describe('FieldCrypto', () => {
  const crypto = new FieldCrypto(generateDataKey());

  it('round-trips text, with a fresh IV every time', () => {
    const a = crypto.encrypt('7', 'refreshToken', '1000.secret 🔑');
    const b = crypto.encrypt('7', 'refreshToken', '1000.secret 🔑');
    expect(a.equals(b)).toBe(false);
    expect(crypto.decrypt('7', 'refreshToken', a)).toBe('1000.secret 🔑');
    expect(crypto.decrypt('7', 'refreshToken', crypto.encrypt('7', 'refreshToken', ''))).toBe('');
  });

  it('rejects a ciphertext moved to another row or field, or tampered, or truncated', () => {
    const sealed = crypto.encrypt('7', 'refreshToken', '1000.secret');
    expect(() => crypto.decrypt('8', 'refreshToken', sealed)).toThrow(FieldIntegrityError);
    expect(() => crypto.decrypt('7', 'accessToken', sealed)).toThrow(FieldIntegrityError);
    for (let i = 0; i < sealed.length; i++) {
      const flipped = Buffer.from(sealed);
      flipped[i]! ^= 0x01;
      expect(() => crypto.decrypt('7', 'refreshToken', flipped)).toThrow(FieldIntegrityError);
    }
    expect(() => crypto.decrypt('7', 'refreshToken', sealed.subarray(0, 20))).toThrow(FieldIntegrityError);
  });

  it('rejects a ciphertext sealed under another data key', () => {
    const other = new FieldCrypto(generateDataKey());
    expect(() => other.decrypt('7', 'refreshToken', crypto.encrypt('7', 'refreshToken', 'x'))).toThrow(
      FieldIntegrityError,
    );
  });

  it('error messages name the row and field, never the value', () => {
    const err = (() => {
      try {
        crypto.decrypt('9', 'clientSecret', crypto.encrypt('7', 'clientSecret', 'super-secret-value'));
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
