/**
 * Money as the API writes it: decimal strings with at most two decimals ("10.00", "7.5", "12").
 * Added up in whole cents (integers), never as floating-point amounts.
 */
const PRICE = /^(\d+)(?:\.(\d{1,2}))?$/;

/** A decimal string as whole cents; null when it is not one. */
export function cents(price: string): number | null {
  const parts = PRICE.exec(price.trim());
  if (!parts) return null;
  return Number(parts[1]) * 100 + Number((parts[2] ?? '').padEnd(2, '0'));
}

/** Whole cents as a decimal string with two decimals (950 → "9.50"). */
export function formatCents(value: number): string {
  const sign = value < 0 ? '-' : '';
  const magnitude = Math.abs(value);
  return `${sign}${Math.floor(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')}`;
}

/** The sum of decimal strings, as one (what is not a price counts as nothing). */
export function sumPrices(prices: readonly string[]): string {
  return formatCents(prices.reduce((sum, price) => sum + (cents(price) ?? 0), 0));
}
