/**
 * A rough passphrase strength hint. Not an entropy proof: it nudges towards length, which is what makes
 * an scrypt-protected passphrase hard to guess, and flags the obvious weak patterns.
 */
export type Strength = 'too-short' | 'weak' | 'fair' | 'strong';

export interface StrengthHint {
  readonly strength: Strength;
  /** 0..4, for the meter. */
  readonly score: number;
  readonly label: string;
  readonly advice: string;
}

const COMMON = ['password', 'passphrase', 'qwerty', '123456', 'letmein', 'zoho', 'tokendesk', 'admin'];

export function passphraseStrength(value: string): StrengthHint {
  if (value.length < 8) {
    return { strength: 'too-short', score: 0, label: 'Too short', advice: 'Use at least 8 characters.' };
  }
  const lower = value.toLowerCase();
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  const words = value
    .trim()
    .split(/[\s\-_.]+/)
    .filter((w) => w.length >= 3).length;
  const repetitive = /^(.)\1+$/.test(value) || new Set(value).size <= 3;
  if (repetitive || COMMON.some((c) => lower.includes(c))) {
    return {
      strength: 'weak',
      score: 1,
      label: 'Weak',
      advice: 'Avoid common words and repeated characters; a few unrelated words work well.',
    };
  }
  if (value.length >= 20 || (value.length >= 14 && (classes >= 3 || words >= 3))) {
    return {
      strength: 'strong',
      score: 4,
      label: 'Strong',
      advice: 'Good. Store it somewhere safe: it cannot be recovered.',
    };
  }
  if (value.length >= 12 || classes >= 3) {
    return {
      strength: 'fair',
      score: 3,
      label: 'Fair',
      advice: 'Longer is stronger: try four or more unrelated words.',
    };
  }
  return {
    strength: 'weak',
    score: 2,
    label: 'Weak',
    advice: 'Make it longer: 14 or more characters, or several words.',
  };
}
