/**
 * Money as the ledger holds it: a whole number of cents, never a float. The API writes amounts as
 * decimal strings; they are read digit by digit, so no binary fraction ever rounds a cent.
 *
 * A posting's amount is at most 9999999999999.99, that is 999,999,999,999,999 cents, below
 * Number.MAX_SAFE_INTEGER (9,007,199,254,740,991): a JavaScript number holds every amount exactly
 * and JSON carries it as it is. Sums of many amounts (a day's totals, accumulated balances) can
 * exceed it, so they are bigint: `bigint` columns, strings out of PostgreSQL, BigInt in code.
 */
export type Cents = number;

/** The largest amount one posting can carry, in cents. */
export const MAX_AMOUNT_CENTS: Cents = 999_999_999_999_999;

export type ParsedAmount = { ok: true; cents: Cents } | { ok: false; reason: string };

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Reads an API amount ("1500.00", "0.5", "7"): positive, at most two decimals, at most 9999999999999.99. */
export function parseAmount(value: unknown): ParsedAmount {
  if (typeof value !== 'string') return { ok: false, reason: 'an amount is a decimal string such as "1500.00", not a JSON number' };
  const match = DECIMAL.exec(value);
  if (!match) return { ok: false, reason: 'an amount is digits with at most two decimals, such as "1500.00" or "0.5"' };
  const [, digits, fraction = ''] = match;
  if (fraction.length > 2) return { ok: false, reason: 'an amount has at most two decimals' };
  const units = digits.replace(/^0+(?=\d)/, '');
  if (units.length > 13) return { ok: false, reason: 'an amount is at most 9999999999999.99' };
  // At most 13 digits and two decimals: below 2^53, so these numbers are exact.
  const cents = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
  if (cents === 0) return { ok: false, reason: 'an amount is more than zero' };
  return { ok: true, cents };
}

/** Whether a number is an amount one posting can carry: a whole number of cents from 1 to MAX_AMOUNT_CENTS. */
export function isAmountCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= MAX_AMOUNT_CENTS;
}

/**
 * Writes cents with two decimals ("1500.50", "-0.07"). Takes a bigint, a safe integer, or the
 * decimal string of a whole number (how PostgreSQL returns a bigint column), so sums beyond 2^53
 * are written exactly.
 */
export function formatCents(cents: bigint | number | string): string {
  const value = toBigInt(cents);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function toBigInt(cents: bigint | number | string): bigint {
  if (typeof cents === 'bigint') return cents;
  if (typeof cents === 'number') {
    if (!Number.isSafeInteger(cents)) throw new Error(`${cents} is not a whole number of cents held exactly`);
    return BigInt(cents);
  }
  if (!/^-?\d+$/.test(cents)) throw new Error(`"${cents}" is not a whole number of cents`);
  return BigInt(cents);
}
