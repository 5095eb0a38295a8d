import { expect, it } from 'vitest';
import { AppError } from '../errors';
import { KeyProtectorError } from './key-protector';
import { TokenStoreError } from './token-store';

it('TokenStoreError is an AppError: code, safe message, optional hint; cause kept for main only', () => {
  const cause = new Error('inner');
  const err = new TokenStoreError('UNREADABLE_ROW', 'Token row 4 failed its integrity check.', {
    tokenId: '4',
    cause,
  });
  expect(err).toBeInstanceOf(AppError);
  expect(err).toBeInstanceOf(TokenStoreError);
  expect(err).toMatchObject({ name: 'TokenStoreError', code: 'UNREADABLE_ROW', tokenId: '4' });
  expect(err.message).toBe('Token row 4 failed its integrity check.');
  expect(err.hint).toBeUndefined();
  expect(err.cause).toBe(cause);
  expect(new TokenStoreError('LOCKED', 'Locked.', { hint: 'Unlock it.' }).hint).toBe('Unlock it.');
});

it('KeyProtectorError is an AppError with its code and message', () => {
  const err = new KeyProtectorError('WRONG_PASSPHRASE', 'wrong passphrase');
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({
    name: 'KeyProtectorError',
    code: 'WRONG_PASSPHRASE',
    message: 'wrong passphrase',
  });
  expect(err.hint).toBeUndefined();
});
