import { assertNever, type Decider, NotFoundError } from '@app/core/domain';
import type { OrderCancelled, OrderEvent, OrderPlaced } from '../contract/orders.events';
import type { SubOrderStatus } from '../contract/orders.events';
import { TooLateToCancel } from './orders.errors';

export interface OrderState {
  order: OrderPlaced['data'] | null;
  cancelRequested: boolean;
  cancelled: OrderCancelled['data'] | null;
}

export type OrderCommand =
  | { type: 'PlaceOrder'; data: OrderPlaced['data'] }
  /** `subOrders`: each sub-order's status as the handler read it, to refuse a cancel once one is picked up. */
  | { type: 'CancelOrder'; data: { orderId: string; requestedBy: string; requestedAt: string; subOrders: readonly { subOrderId: string; status: SubOrderStatus }[] } }
  | { type: 'CompleteCancellation'; data: OrderCancelled['data'] };

export function orderStream(orderId: string): string {
  return `orders-order-${orderId}`;
}

/**
 * One customer order: placed (priced, split into sub-orders), cancelled at the customer's request
 * while no sub-order is picked up, and marked cancelled once its compensation is done. Its status
 * is not here: it is derived from the sub-orders (`orderStatus`), which live in their own streams
 * so that updates from different providers never contend.
 */
export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: () => ({ order: null, cancelRequested: false, cancelled: null }),
  decide(command, state) {
    switch (command.type) {
      case 'PlaceOrder':
        return state.order ? [] : [{ type: 'OrderPlaced', data: command.data }];
      case 'CancelOrder': {
        const { orderId, requestedBy, requestedAt, subOrders } = command.data;
        if (!state.order) throw new NotFoundError('Order', orderId);
        if (state.cancelRequested || state.cancelled) return [];
        const gone = subOrders.find((sub) => sub.status === 'picked_up' || sub.status === 'delivered');
        if (gone) throw new TooLateToCancel(orderId, gone.subOrderId);
        return [{ type: 'OrderCancelRequested', data: { orderId, requestedBy, requestedAt } }];
      }
      case 'CompleteCancellation':
        if (!state.order) throw new NotFoundError('Order', command.data.orderId);
        return state.cancelled ? [] : [{ type: 'OrderCancelled', data: command.data }];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'OrderPlaced':
        return { ...state, order: event.data };
      case 'OrderCancelRequested':
        return { ...state, cancelRequested: true };
      case 'OrderCancelled':
        return { ...state, cancelled: event.data };
      default:
        return assertNever(event);
    }
  },
};
