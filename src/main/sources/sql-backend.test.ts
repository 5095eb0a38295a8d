import { describe, expect, it } from 'vitest';
import { isWellFormedId } from '../store/token-matching';
import { idNumber } from './sql-backend';

describe('idNumber', () => {
  it('accepts exactly the ids isWellFormedId accepts, with their value', () => {
    const ids = [
      '1',
      '9',
      '10',
      '42',
      '999999999999999',
      '1000000000000000',
      '0',
      '01',
      '',
      ' 1',
      '1 ',
      '1a',
      '-1',
      '1.0',
      '１',
    ];
    for (const id of ids) {
      expect(idNumber(id), id).toBe(isWellFormedId(id) ? Number(id) : null);
    }
    expect(idNumber(null)).toBeNull();
  });
});
