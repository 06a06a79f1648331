import type { ProviderStatus, SubOrderStatus } from '../contract/orders.events';

/** How far along the road to the customer each status is; a sub-order only moves to a higher rank. */
const RANK: Record<SubOrderStatus, number> = { pending: 0, accepted: 1, preparing: 2, ready: 3, picked_up: 4, delivered: 5, rejected: 0, timed_out: 0, cancelled: 0 };

/** Statuses after which nothing a provider reports changes the sub-order. */
export const FINAL: readonly SubOrderStatus[] = ['delivered', 'rejected', 'timed_out', 'cancelled'];

/**
 * Whether a reported status moves the sub-order: forward only (steps may be skipped), never from a
 * final status; `rejected` only before the sub-order is on its way (pending or accepted).
 */
export function moves(current: SubOrderStatus, reported: ProviderStatus): boolean {
  if (FINAL.includes(current)) return false;
  if (reported === 'rejected') return current === 'pending' || current === 'accepted';
  return RANK[reported] > RANK[current];
}

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
