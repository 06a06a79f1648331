import { NotFoundError } from '@app/core/domain';
import { spec } from '@app/core/testing/given-when-then';
import type { OrderCancelled, OrderCancelRequested, OrderPlaced, SubOrderStatus } from '../contract/orders.events';
import { type OrderCommand, orderDecider } from './order.decider';
import { TooLateToCancel } from './orders.errors';

const orderId = '0d000000-0000-4000-8000-000000000001';
const customerId = 'c0000000-0000-4000-8000-00000000000a';
const p1 = 'a1000000-0000-4000-8000-000000000001';
const p2 = 'a1000000-0000-4000-8000-000000000002';
const s1 = '5b000000-0000-4000-8000-000000000001';
const s2 = '5b000000-0000-4000-8000-000000000002';
const placedAt = '2027-02-01T10:00:00.000Z';
const later = '2027-02-01T10:05:00.000Z';

const pizza = { providerId: p1, sku: 'margherita', name: 'Margherita', priceCents: 850, quantity: 2 };
const sushi = { providerId: p2, sku: 'maki', name: 'Maki', priceCents: 1200, quantity: 1 };
const placeData: OrderPlaced['data'] = {
  orderId,
  customerId,
  deliveryAddress: 'Penguin Lane 4',
  items: [pizza, sushi],
  totalCents: 2900,
  subOrders: [
    { subOrderId: s1, providerId: p1, providerName: 'Pinguino', adapter: 'simulated', acceptTimeoutSeconds: 60, items: [pizza] },
    { subOrderId: s2, providerId: p2, providerName: 'Iceberg', adapter: 'http', acceptTimeoutSeconds: 30, items: [sushi] },
  ],
  placedAt,
};
const placed: OrderPlaced = { type: 'OrderPlaced', data: placeData };
const cancelRequested: OrderCancelRequested = { type: 'OrderCancelRequested', data: { orderId, requestedBy: customerId, requestedAt: later } };
const cancelledBy = (reason: OrderCancelled['data']['reason']): OrderCancelled => ({ type: 'OrderCancelled', data: { orderId, reason, cancelledAt: later } });

const order = spec(orderDecider);

const cancel = (statuses: [SubOrderStatus, SubOrderStatus]): OrderCommand => ({
  type: 'CancelOrder',
  data: { orderId, requestedBy: customerId, requestedAt: later, subOrders: [{ subOrderId: s1, status: statuses[0] }, { subOrderId: s2, status: statuses[1] }] },
});
const complete = (reason: OrderCancelled['data']['reason']): OrderCommand => ({ type: 'CompleteCancellation', data: { orderId, reason, cancelledAt: later } });

/** The code, status and details a refusal is expected to carry. */
function refusal(expected: { code: string; status?: number; details?: Record<string, unknown> }): { code: string } {
  return expected;
}

describe('order decider', () => {
  describe('place', () => {
    it('a new order is placed as the handler priced and split it', () => {
      order.given([]).when({ type: 'PlaceOrder', data: placeData }).then([placed]);
    });

    it('placing it again records nothing', () => {
      order.given([placed]).when({ type: 'PlaceOrder', data: placeData }).then([]);
    });
  });

  describe('cancel at the customer’s request', () => {
    it('is recorded while no sub-order is picked up or delivered', () => {
      const open: [SubOrderStatus, SubOrderStatus][] = [
        ['pending', 'pending'],
        ['accepted', 'pending'],
        ['preparing', 'ready'],
        ['ready', 'ready'],
        ['timed_out', 'accepted'],
      ];
      for (const statuses of open) order.given([placed]).when(cancel(statuses)).then([cancelRequested]);
    });

    it('is refused with ORDERS_TOO_LATE_TO_CANCEL (409) once any sub-order is picked up or delivered, naming it', () => {
      order.given([placed]).when(cancel(['preparing', 'picked_up'])).thenThrows(TooLateToCancel);
      order.given([placed]).when(cancel(['preparing', 'picked_up'])).thenThrows(refusal({ code: 'ORDERS_TOO_LATE_TO_CANCEL', status: 409, details: { orderId, subOrderId: s2 } }));
      order.given([placed]).when(cancel(['delivered', 'ready'])).thenThrows(refusal({ code: 'ORDERS_TOO_LATE_TO_CANCEL', status: 409, details: { orderId, subOrderId: s1 } }));
      order.given([placed]).when(cancel(['delivered', 'delivered'])).thenThrows(TooLateToCancel);
    });

    it('twice records it once', () => {
      order.given([placed, cancelRequested]).when(cancel(['pending', 'pending'])).then([]);
    });

    it('after the order is cancelled (by compensation) records nothing', () => {
      order.given([placed, cancelledBy('rejected')]).when(cancel(['rejected', 'cancelled'])).then([]);
    });

    it('of an order that does not exist is NOT_FOUND', () => {
      order.given([]).when(cancel(['pending', 'pending'])).thenThrows(NotFoundError);
    });
  });

  describe('complete the cancellation', () => {
    it('cancels the order with its reason, once', () => {
      order.given([placed, cancelRequested]).when(complete('customer')).then([cancelledBy('customer')]);
      order.given([placed]).when(complete('rejected')).then([cancelledBy('rejected')]);
      order.given([placed]).when(complete('timed_out')).then([cancelledBy('timed_out')]);
      order.given([placed, cancelledBy('rejected')]).when(complete('rejected')).then([]);
      order.given([placed, cancelRequested, cancelledBy('customer')]).when(complete('timed_out')).then([]);
    });

    it('of an order that does not exist is NOT_FOUND', () => {
      order.given([]).when(complete('customer')).thenThrows(NotFoundError);
    });
  });
});
