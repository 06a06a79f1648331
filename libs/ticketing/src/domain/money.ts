/** Prices: whole cents inside, decimal strings in the API (the platform's one reading and writing of them). */
export { formatCents, MAX_PRICE_CENTS, parsePrice } from '@app/core/domain';
