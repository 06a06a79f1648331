import { formatCents, isAmountCents, MAX_AMOUNT_CENTS, parseAmount } from './money';

const cents = (value: unknown) => {
  const parsed = parseAmount(value);
  return parsed.ok ? parsed.cents : parsed.reason;
};

describe('money', () => {
  describe('parseAmount', () => {
    it('reads whole units, one decimal and two decimals as cents', () => {
      expect(cents('1500.00')).toBe(150000);
      expect(cents('1500')).toBe(150000);
      expect(cents('1500.5')).toBe(150050);
      expect(cents('0.5')).toBe(50);
      expect(cents('0.05')).toBe(5);
      expect(cents('0.01')).toBe(1);
      expect(cents('7')).toBe(700);
      expect(cents('10.10')).toBe(1010);
      expect(cents('0100.00')).toBe(10000);
    });

    it('reads the amounts floats get wrong exactly', () => {
      expect(cents('0.29')).toBe(29);
      expect(cents('1.15')).toBe(115);
      expect(cents('4.35')).toBe(435);
      expect(cents('1234567.89')).toBe(123456789);
      expect(cents('9007199254740.99')).toBe(900719925474099);
    });

    it('reads the largest amount, and refuses a cent more', () => {
      expect(cents('9999999999999.99')).toBe(MAX_AMOUNT_CENTS);
      expect(cents('9999999999999.9')).toBe(999999999999990);
      expect(cents('00009999999999999.99')).toBe(MAX_AMOUNT_CENTS);
      expect(cents('10000000000000')).toBe('an amount is at most 9999999999999.99');
      expect(cents('10000000000000.00')).toBe('an amount is at most 9999999999999.99');
      expect(cents('99999999999999999999999')).toBe('an amount is at most 9999999999999.99');
    });

    it('refuses zero', () => {
      for (const zero of ['0', '0.0', '0.00', '000.00']) expect(cents(zero)).toBe('an amount is more than zero');
    });

    it('refuses more than two decimals, even zeros', () => {
      for (const value of ['1.001', '1.000', '0.005', '1500.123']) expect(cents(value)).toBe('an amount has at most two decimals');
    });

    it('refuses what is not a plain positive decimal', () => {
      for (const value of ['', '.5', '5.', '-1', '-0.5', '+1', ' 1', '1 ', '1,50', '1e3', '0x10', 'NaN', 'Infinity', '1.2.3', '١٢', '１', '1_000', '1\n']) {
        expect(cents(value)).toBe('an amount is digits with at most two decimals, such as "1500.00" or "0.5"');
      }
    });

    it('refuses a JSON number and anything else that is not a string', () => {
      for (const value of [1500, 0.5, 1500n, null, undefined, true, {}, ['1']]) {
        expect(cents(value)).toBe('an amount is a decimal string such as "1500.00", not a JSON number');
      }
    });

    it('reads every amount of two decimals back as it writes it', () => {
      for (const value of ['0.01', '0.10', '0.99', '1.00', '12.34', '999.90', '9999999999999.99', '9999999999999.00']) {
        const parsed = parseAmount(value);
        expect(parsed.ok && formatCents(parsed.cents)).toBe(value);
      }
      for (let n = 1; n <= 10_000; n++) {
        const text = formatCents(n);
        expect(cents(text)).toBe(n);
      }
    });
  });

  describe('formatCents', () => {
    it('writes two decimals', () => {
      expect(formatCents(0)).toBe('0.00');
      expect(formatCents(1)).toBe('0.01');
      expect(formatCents(10)).toBe('0.10');
      expect(formatCents(100)).toBe('1.00');
      expect(formatCents(150050)).toBe('1500.50');
      expect(formatCents(MAX_AMOUNT_CENTS)).toBe('9999999999999.99');
    });

    it('writes negative balances', () => {
      expect(formatCents(-1)).toBe('-0.01');
      expect(formatCents(-7)).toBe('-0.07');
      expect(formatCents(-150050)).toBe('-1500.50');
      expect(formatCents('-100')).toBe('-1.00');
      expect(formatCents(-0)).toBe('0.00');
    });

    it('writes sums beyond 2^53 exactly, from a bigint or a bigint column’s string', () => {
      expect(formatCents(9_223_372_036_854_775_807n)).toBe('92233720368547758.07');
      expect(formatCents('9223372036854775807')).toBe('92233720368547758.07');
      expect(formatCents('-9223372036854775808')).toBe('-92233720368547758.08');
      expect(formatCents(BigInt(MAX_AMOUNT_CENTS) * 1000n + 1n)).toBe('9999999999999990.01');
    });

    it('refuses what is not a whole number of cents', () => {
      expect(() => formatCents(0.5)).toThrow(/not a whole number/);
      expect(() => formatCents(2 ** 53)).toThrow(/not a whole number/);
      expect(() => formatCents(Number.NaN)).toThrow(/not a whole number/);
      expect(() => formatCents('1.5')).toThrow(/not a whole number/);
      expect(() => formatCents('')).toThrow(/not a whole number/);
    });
  });

  describe('isAmountCents', () => {
    it('takes a whole number of cents from one cent to the largest amount', () => {
      expect(isAmountCents(1)).toBe(true);
      expect(isAmountCents(MAX_AMOUNT_CENTS)).toBe(true);
      for (const value of [0, -1, 0.5, MAX_AMOUNT_CENTS + 1, Number.NaN, Number.POSITIVE_INFINITY, '100', 100n]) expect(isAmountCents(value)).toBe(false);
    });
  });
});
