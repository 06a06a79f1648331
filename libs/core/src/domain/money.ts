/**
 * Prices as the contexts hold them: whole cents, never a float. The API writes them as decimal
 * strings ("49.90"); they are read digit by digit. A price is at most 100000.00.
 */
export const MAX_PRICE_CENTS = 10_000_000;

const DECIMAL = /^(\d{1,6})(?:\.(\d{1,2}))?$/;

/** Cents of a price string ("49.90", "12", "0.5"), or null for anything else or above the most. */
export function parsePrice(value: string): number | null {
  const match = DECIMAL.exec(value);
  if (!match) return null;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return cents <= MAX_PRICE_CENTS ? cents : null;
}

/** Cents as a decimal string with two decimals ("49.90", "-0.07"). */
export function formatCents(cents: number | bigint): string {
  const value = BigInt(cents);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
