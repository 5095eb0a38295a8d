import { describe, expect, it } from 'vitest';
import { passphraseStrength } from './passphrase';

describe('passphraseStrength', () => {
  it('rejects short and flags common ones', () => {
    expect(passphraseStrength('short').strength).toBe('too-short');
    expect(passphraseStrength('password123').strength).toBe('weak');
    expect(passphraseStrength('aaaaaaaaaaaa').strength).toBe('weak');
  });
  it('rewards length and words', () => {
    expect(passphraseStrength('Tulip7-harbor').strength).toBe('fair');
    expect(passphraseStrength('correct horse battery staple').strength).toBe('strong');
  });
});
