/**
 * Money as the API writes it: decimal strings ("10.00", "7.5", "12"). Added up in whole cents
 * (integers), never as floating-point amounts.
 */
export function toCents(price: string): number {
  const [whole = '0', fraction = ''] = price.split('.');
  return Number(whole) * 100 + Number((fraction + '00').slice(0, 2));
}

export function fromCents(cents: number): string {
  const whole = Math.floor(cents / 100);
  return `${whole}.${String(cents % 100).padStart(2, '0')}`;
}

export function sumPrices(prices: readonly string[]): string {
  return fromCents(prices.reduce((sum, price) => sum + toCents(price), 0));
}
