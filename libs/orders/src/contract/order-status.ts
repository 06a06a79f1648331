import type { SubOrderStatus } from './orders.events';

export type OrderStatus = 'placed' | 'confirmed' | 'preparing' | 'ready' | 'delivering' | 'delivered' | 'cancelling' | 'cancelled';

const ORDER_RANK: Record<OrderStatus, number> = { placed: 0, confirmed: 1, preparing: 2, ready: 3, delivering: 4, delivered: 5, cancelling: 6, cancelled: 7 };

/**
 * The order's one status, from its sub-orders, in the contract's order of rules: cancelled once
 * compensation is done; cancelling while any sub-order is rejected, timed out or cancelled, or the
 * customer asked; else all delivered → delivered; any picked up or delivered → delivering; all
 * ready → ready; any preparing or ready → preparing; all past pending → confirmed; else placed.
 * It never moves backwards: `previous` (what it was) is kept when the rules would give less.
 */
export function orderStatus(
  subOrders: readonly SubOrderStatus[],
  { cancelRequested, cancelled, previous }: { cancelRequested: boolean; cancelled: boolean; previous?: OrderStatus },
): OrderStatus {
  const derived = ((): OrderStatus => {
    if (cancelled) return 'cancelled';
    if (cancelRequested || subOrders.some((s) => s === 'rejected' || s === 'timed_out' || s === 'cancelled')) return 'cancelling';
    if (subOrders.every((s) => s === 'delivered')) return 'delivered';
    if (subOrders.some((s) => s === 'picked_up' || s === 'delivered')) return 'delivering';
    if (subOrders.every((s) => s === 'ready')) return 'ready';
    if (subOrders.some((s) => s === 'preparing' || s === 'ready')) return 'preparing';
    if (subOrders.every((s) => s !== 'pending')) return 'confirmed';
    return 'placed';
  })();
  return previous !== undefined && ORDER_RANK[previous] > ORDER_RANK[derived] ? previous : derived;
}
