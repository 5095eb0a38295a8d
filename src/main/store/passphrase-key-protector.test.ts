import { describe, expect, it } from 'vitest';
import { KeyProtectorError } from './key-protector';
import { DEFAULT_SCRYPT_COST, PassphraseKeyProtector } from './passphrase-key-protector';
import { generateDataKey } from './row-crypto';
import { TEST_SCRYPT_COST, testProtector } from './test-support/temp-store';

describe('PassphraseKeyProtector', () => {
  it('unwraps what it wrapped; the wrapped form holds params and salt, not the key', async () => {
    const key = generateDataKey();
    const protector = testProtector('pass');
    const wrapped = await protector.wrap(key);
    expect((await protector.unwrap(wrapped)).equals(key)).toBe(true);
    const parsed = JSON.parse(wrapped) as Record<string, unknown>;
    expect(parsed).toMatchObject({ v: 1, kdf: 'scrypt', ...TEST_SCRYPT_COST });
    expect(wrapped).not.toContain(key.toString('base64'));
    // A fresh salt and IV per wrap.
    expect(await protector.wrap(key)).not.toBe(wrapped);
  });

  it('a wrong passphrase throws WRONG_PASSPHRASE, never returns a key', async () => {
    const wrapped = await testProtector('right').wrap(generateDataKey());
    const err = await testProtector('wrong')
      .unwrap(wrapped)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyProtectorError);
    expect((err as KeyProtectorError).code).toBe('WRONG_PASSPHRASE');
    expect((err as KeyProtectorError).message).toContain('wrong passphrase');
  });

  it('unwraps with the stored cost, whatever cost the instance would wrap with', async () => {
    const wrapped = await testProtector('p').wrap(generateDataKey());
    const defaultCost = new PassphraseKeyProtector('p');
    await expect(defaultCost.unwrap(wrapped)).resolves.toHaveLength(32);
    expect(DEFAULT_SCRYPT_COST.N).toBeGreaterThanOrEqual(2 ** 17);
  });

  it('treats the passphrase in NFC, so composed and decomposed forms agree', async () => {
    const wrapped = await testProtector('caf\u00e9').wrap(generateDataKey());
    await expect(testProtector('cafe\u0301').unwrap(wrapped)).resolves.toHaveLength(32);
  });

  it('rejects corrupt or hostile wrapped keys as CORRUPT', async () => {
    const p = testProtector('p');
    await expect(p.unwrap('not json')).rejects.toMatchObject({ code: 'CORRUPT' });
    const wrapped = JSON.parse(await p.wrap(generateDataKey())) as Record<string, unknown>;
    await expect(p.unwrap(JSON.stringify({ ...wrapped, N: 2 ** 30 }))).rejects.toMatchObject({
      code: 'CORRUPT',
    });
    await expect(p.unwrap(JSON.stringify({ ...wrapped, N: 1000 }))).rejects.toMatchObject({
      code: 'CORRUPT',
    });
    await expect(p.unwrap(JSON.stringify({ ...wrapped, v: 2 }))).rejects.toMatchObject({ code: 'CORRUPT' });
  });

  it('destroy zeroes and drops the passphrase bytes; wrap and unwrap fail after it', async () => {
    const p = testProtector('pass');
    const wrapped = await p.wrap(generateDataKey());
    const internals = p as unknown as { passphrase: Buffer | null };
    const held = internals.passphrase!;
    expect(held.toString('utf8')).toBe('pass');
    p.destroy();
    expect([...held]).toEqual([0, 0, 0, 0]);
    expect(internals.passphrase).toBeNull();
    await expect(p.unwrap(wrapped)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(p.wrap(generateDataKey())).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    p.destroy(); // twice is harmless
  });

  it('refuses an empty passphrase', () => {
    expect(() => new PassphraseKeyProtector('')).toThrow(KeyProtectorError);
  });
});

describe('PassphraseKeyProtector: a damaged wrapped key is not a wrong passphrase', () => {
  /** Flips one bit of a base64 field of the wrapped form (what a bad sector or a bad edit does). */
  function damage(wrapped: string, field: 'ct' | 'tag' | 'iv' | 'salt'): string {
    const parsed = JSON.parse(wrapped) as Record<string, string>;
    const bytes = Buffer.from(parsed[field] ?? '', 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 0x01;
    return JSON.stringify({ ...parsed, [field]: bytes.toString('base64') });
  }

  it.each(['ct', 'tag', 'iv', 'salt'] as const)(
    'a flipped bit in %s is CORRUPT, even with the right passphrase',
    async (field) => {
      const wrapped = await testProtector('right').wrap(generateDataKey());
      await expect(testProtector('right').unwrap(damage(wrapped, field))).rejects.toMatchObject({
        code: 'CORRUPT',
      });
      await expect(testProtector('wrong').unwrap(damage(wrapped, field))).rejects.toMatchObject({
        code: 'CORRUPT',
      });
    },
  );

  it('a field of the wrong length is CORRUPT', async () => {
    const wrapped = JSON.parse(await testProtector('p').wrap(generateDataKey())) as Record<string, string>;
    const { check: _check, ...withoutCheck } = wrapped;
    await expect(
      testProtector('p').unwrap(JSON.stringify({ ...withoutCheck, ct: Buffer.alloc(31).toString('base64') })),
    ).rejects.toMatchObject({ code: 'CORRUPT' });
    await expect(
      testProtector('p').unwrap(JSON.stringify({ ...withoutCheck, iv: Buffer.alloc(8).toString('base64') })),
    ).rejects.toMatchObject({ code: 'CORRUPT' });
  });

  it('a key wrapped before the checksum existed still opens, and a wrong passphrase is still WRONG_PASSPHRASE', async () => {
    const key = generateDataKey();
    const { check: _check, ...legacy } = JSON.parse(await testProtector('p').wrap(key)) as Record<
      string,
      string
    >;
    expect((await testProtector('p').unwrap(JSON.stringify(legacy))).equals(key)).toBe(true);
    await expect(testProtector('q').unwrap(JSON.stringify(legacy))).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
  });
});
