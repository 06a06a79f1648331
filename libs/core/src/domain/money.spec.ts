import { formatCents, parsePrice } from './money';

describe('prices', () => {
  it('reads decimal strings digit by digit into cents, and refuses the rest', () => {
    expect(['0', '0.5', '12', '49.90', '100000.00', '0.01'].map(parsePrice)).toEqual([0, 50, 1200, 4990, 10_000_000, 1]);
    expect(['1.234', '-1', '1e3', ' 1', '100000.01', '1234567', '', '.5', '5.'].map(parsePrice)).toEqual(Array(9).fill(null));
  });

  it('writes cents with two decimals, bigints and negatives too', () => {
    expect([formatCents(0), formatCents(5), formatCents(4990), formatCents(-7), formatCents(12_345_678_901_234_567n)]).toEqual(['0.00', '0.05', '49.90', '-0.07', '123456789012345.67']);
  });
});
