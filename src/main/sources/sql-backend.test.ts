import { describe, expect, it } from 'vitest';
import { isWellFormedId } from '../store/token-matching';
import type { SdkRow } from './sdk-row';
import { idNumber, inIdOrder } from './sql-backend';

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

describe('inIdOrder', () => {
  const row = (id: string) => ({ id }) as unknown as SdkRow;
  const ids = (rows: readonly SdkRow[]) => rows.map((r) => r.id);

  it("puts rows read in the key's text order into numeric order", () => {
    const textOrder = ['1', '10', '100', '1000', '11', '2', '20', '3', '9', '99'];
    expect(ids(inIdOrder(textOrder.map(row)))).toEqual([
      '1',
      '2',
      '3',
      '9',
      '10',
      '11',
      '20',
      '99',
      '100',
      '1000',
    ]);
  });

  it('sorts rows that came in any other order', () => {
    const shuffled = ['20', '3', '100', '1', '11', '2', '10'];
    expect(ids(inIdOrder(shuffled.map(row)))).toEqual(['1', '2', '3', '10', '11', '20', '100']);
  });
});
