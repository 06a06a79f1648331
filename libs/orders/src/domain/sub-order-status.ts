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

export { orderStatus, type OrderStatus } from '../contract/order-status';
