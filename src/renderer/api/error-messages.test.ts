import { describe, expect, it } from 'vitest';
import { explainError, knownHint, normaliseCode } from './error-messages';

describe('explainError', () => {
  it('falls back to plain words for known codes, in either case', () => {
    const e = explainError({ code: 'invalid_client', message: '' });
    expect(e.code).toBe('INVALID_CLIENT');
    expect(e.message).toMatch(/client id or client secret/);
    expect(e.hint).toMatch(/data center/);
  });
  it('prefers the message and hint main sent', () => {
    const e = explainError({
      code: 'INVALID_CODE',
      message: 'The grant code expired.',
      hint: 'Make a new one.',
    });
    expect(e.message).toBe('The grant code expired.');
    expect(e.hint).toBe('Make a new one.');
  });
  it('keeps the server message but adds a known hint when none came', () => {
    const e = explainError({ code: 'THROTTLED', message: 'Too many requests.' });
    expect(e.message).toBe('Too many requests.');
    expect(e.hint).toMatch(/Wait a few minutes/);
  });
  it('covers every code the sign-in dialog can meet', () => {
    for (const code of ['INVALID_CODE', 'INVALID_REDIRECT_URI', 'ACCESS_DENIED', 'NETWORK', 'TIMEOUT']) {
      expect(explainError({ code, message: '' }).hint).not.toBeNull();
    }
  });
  it('says something for unknown codes', () => {
    const e = explainError({ code: 'WHATEVER', message: '' });
    expect(e.message).toBe('The action failed.');
    expect(e.hint).toBeNull();
  });
  it('normalises codes and finds hints alone', () => {
    expect(normaliseCode(' access-denied ')).toBe('ACCESS_DENIED');
    expect(knownHint('invalid_redirect_uri')).toMatch(/redirect URI/);
  });
});

describe('every Zoho error docs/zoho.md lists to explain', () => {
  // Zoho's own spellings (and the codes main maps them to): each needs plain words and a likely fix even
  // when main sends nothing but the code.
  const codes = [
    'invalid_code',
    'invalid_client',
    'invalid_redirect_uri',
    'access_denied',
    'THROTTLED',
    'INVALID_TOKEN',
    'INVALID_OAUTHTOKEN',
    'OAUTH_SCOPE_MISMATCH',
    'SCOPE_MISMATCH',
    'NETWORK',
    'TIMEOUT',
    'SERVER_ERROR',
    'UNEXPECTED_RESPONSE',
    'UNTRUSTED_SERVER',
  ];
  it.each(codes)('%s has a message and a hint', (code) => {
    const e = explainError({ code, message: '' });
    expect(e.message).not.toBe('The action failed.');
    expect(e.hint).toBeTruthy();
  });
});
