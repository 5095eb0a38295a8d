import { describe, expect, it } from 'vitest';
import { ErrorCodeSchema, normaliseCode, toErrorCode } from './error-codes';
import { ERROR_WORDING, wordingOf, wordingOfRaw } from './error-wording';
import { ZOHO_CALL_WORDING } from './zoho-wording';

const CODES = ErrorCodeSchema.options;

describe('the error catalogue', () => {
  it.each(CODES)('%s has a message and a hint', (code) => {
    const { message, hint } = ERROR_WORDING[code];
    expect(message.trim().length).toBeGreaterThan(10);
    expect(hint.trim().length).toBeGreaterThan(5);
    // Plain sentences, not a code repeated back.
    expect(message).not.toContain(code);
  });

  it('words exactly the codes of the enum, no stale entries', () => {
    expect(Object.keys(ERROR_WORDING).sort()).toEqual([...CODES].sort());
  });

  it('call-specific words are for codes of the catalogue and differ from the general words', () => {
    for (const byCode of Object.values(ZOHO_CALL_WORDING)) {
      for (const [code, wording] of Object.entries(byCode ?? {})) {
        expect(CODES).toContain(code);
        expect(wording?.message).not.toBe(ERROR_WORDING[code as keyof typeof ERROR_WORDING].message);
      }
    }
    expect(wordingOf('INVALID_CODE', 'refresh').message).toMatch(/refresh token/);
    expect(wordingOf('INVALID_CODE', 'exchange')).toBe(ERROR_WORDING.INVALID_CODE);
  });

  it('LOCKED tells how to unlock whatever protects the store (keychain or passphrase)', () => {
    expect(ERROR_WORDING.LOCKED.hint).toBe('Unlock the store first.');
    expect(ERROR_WORDING.LOCKED.hint).not.toMatch(/passphrase/i);
  });
});

describe('toErrorCode', () => {
  it("maps Zoho's spellings onto the catalogue", () => {
    expect(toErrorCode('invalid_code')).toBe('INVALID_CODE');
    expect(toErrorCode(' access-denied ')).toBe('ACCESS_DENIED');
    expect(toErrorCode('INVALID_OAUTHTOKEN')).toBe('INVALID_TOKEN');
    expect(toErrorCode('OAUTH_SCOPE_MISMATCH')).toBe('SCOPE_MISMATCH');
    expect(normaliseCode('invalid client')).toBe('INVALID_CLIENT');
  });

  it('knows nothing of an unknown code', () => {
    expect(toErrorCode('WHATEVER')).toBeNull();
    expect(wordingOfRaw('WHATEVER')).toBeNull();
    expect(ErrorCodeSchema.safeParse('ZOHO_INVALID_CLIENT').success).toBe(false);
  });
});
