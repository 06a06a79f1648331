import type { OrdersEvent, ProviderStatus, SubOrderStatus } from '@app/orders/contract';
import { orderStatus, type OrderStatus } from '../../../libs/orders/src/domain/sub-order-status';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { orderStatusOf, type OrdersReadEvent, ordersProjection } from './orders.projection';
import { ordersQueries } from './orders.queries';

type Read = Extract<OrdersEvent, OrdersReadEvent>;
const recorded = recorder<Read>((event) => ('subOrderId' in event.data ? `orders-suborder-${event.data.subOrderId}` : `orders-order-${event.data.orderId}`));
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [O1, O2, O3, O4] = [1, 2, 3, 4].map(uuid);
const [S1, S2, S3, S4, S5, S6] = [11, 12, 13, 14, 15, 16].map(uuid);
const [P1, P2] = [21, 22].map(uuid);
const t = (minute: number) => `2027-02-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

const item = (providerId: string, sku: string, priceCents: number, quantity: number) => ({ providerId, sku, name: sku.toUpperCase(), priceCents, quantity });
const plan = (subOrderId: string, providerId: string) => ({
  subOrderId,
  providerId,
  providerName: providerId === P1 ? 'Pasta Place' : 'Sushi Spot',
  adapter: 'simulated' as const,
  acceptTimeoutSeconds: 60,
  items: [item(providerId, 'a', 250, 1)],
});
const placed = (orderId: string, customerId: string, subs: [string, string][], minute: number) =>
  recorded('OrderPlaced', {
    orderId,
    customerId,
    deliveryAddress: `Street ${orderId.slice(-1)}`,
    items: subs.map(([, providerId]) => item(providerId, 'a', 250, 2)),
    totalCents: 500 * subs.length,
    subOrders: subs.map(([subOrderId, providerId]) => plan(subOrderId, providerId)),
    placedAt: t(minute),
  });
const ids = (subOrderId: string, orderId: string, providerId: string) => ({ subOrderId, orderId, providerId });
let eventIds = 0;
const reported = (sub: ReturnType<typeof ids>, status: ProviderStatus, minute: number, ignored = false) =>
  recorded('SubOrderStatusReported', { ...sub, eventId: `e${++eventIds}`, status, at: t(minute - 1), source: 'callback', ignored, receivedAt: t(minute) });

const s1 = ids(S1, O1, P1);
const s2 = ids(S2, O1, P2);
const s3 = ids(S3, O2, P1);
const s4 = ids(S4, O3, P2);
const s5 = ids(S5, O3, P1);
const s6 = ids(S6, O4, P2);

const events = [
  // O1: two providers, one failed submit and a late update that would go backwards, delivered.
  placed(O1, 'ann', [[S1, P1], [S2, P2]], 0),
  recorded('SubOrderSubmitFailed', { ...s1, attempt: 1, error: 'timed out after 5000 ms', failedAt: t(1) }),
  recorded('SubOrderSubmitted', { ...s2, providerRef: 'sushi-1', attempt: 1, submittedAt: t(1) }),
  recorded('SubOrderSubmitted', { ...s1, providerRef: 'pasta-1', attempt: 2, submittedAt: t(2) }),
  reported(s1, 'accepted', 3),
  reported(s2, 'accepted', 4),
  reported(s1, 'preparing', 5),
  reported(s1, 'ready', 6),
  reported(s1, 'preparing', 7, true),
  reported(s2, 'ready', 8),
  reported(s1, 'picked_up', 9),
  reported(s2, 'delivered', 10),
  reported(s1, 'delivered', 11),
  // O2: rejected, so cancelled.
  placed(O2, 'bob', [[S3, P1]], 12),
  recorded('SubOrderSubmitted', { ...s3, providerRef: 'pasta-2', attempt: 1, submittedAt: t(13) }),
  reported(s3, 'rejected', 14),
  recorded('OrderCancelled', { orderId: O2, reason: 'rejected', cancelledAt: t(15) }),
  // O3: the customer cancels; one cancel call fails first.
  placed(O3, 'ann', [[S4, P2], [S5, P1]], 16),
  recorded('SubOrderSubmitted', { ...s4, providerRef: 'sushi-2', attempt: 1, submittedAt: t(17) }),
  recorded('SubOrderSubmitted', { ...s5, providerRef: 'pasta-3', attempt: 1, submittedAt: t(17) }),
  recorded('OrderCancelRequested', { orderId: O3, requestedBy: 'ann', requestedAt: t(18) }),
  recorded('SubOrderCancelFailed', { ...s4, attempt: 1, error: 'provider answered 503', failedAt: t(19) }),
  recorded('SubOrderCancelled', { ...s5, attempt: 1, cancelledAt: t(19) }),
  recorded('SubOrderCancelled', { ...s4, attempt: 2, cancelledAt: t(20) }),
  recorded('OrderCancelled', { orderId: O3, reason: 'customer', cancelledAt: t(21) }),
  // O4: never accepted in time, its submit still failing.
  placed(O4, 'ann', [[S6, P2]], 22),
  recorded('SubOrderSubmitFailed', { ...s6, attempt: 1, error: 'circuit open', failedAt: t(23) }),
  recorded('SubOrderTimedOut', { ...s6, timedOutAt: t(24) }),
];
const positionOf = (n: number) => events[n].position;

const sub = (subOrderId: string, providerId: string, change: Record<string, unknown>) => ({
  subOrderId,
  providerId,
  providerName: providerId === P1 ? 'Pasta Place' : 'Sushi Spot',
  status: 'pending',
  providerRef: null,
  attempts: 0,
  lastError: null,
  ...change,
});
const items = (...providers: string[]) => providers.map((providerId) => item(providerId, 'a', 250, 2));

const expectedRows = [
  {
    order_id: O1,
    customer_id: 'ann',
    status: 'delivered',
    total_cents: '1000',
    delivery_address: 'Street 1',
    items: items(P1, P2),
    sub_orders: [
      sub(S1, P1, { status: 'delivered', providerRef: 'pasta-1', attempts: 2, updatedAt: t(11) }),
      sub(S2, P2, { status: 'delivered', providerRef: 'sushi-1', attempts: 1, updatedAt: t(10) }),
    ],
    history: [
      { at: t(0), status: 'placed' },
      { at: t(0), status: 'pending', subOrderId: S1 },
      { at: t(0), status: 'pending', subOrderId: S2 },
      { at: t(3), status: 'accepted', subOrderId: S1 },
      { at: t(4), status: 'accepted', subOrderId: S2 },
      { at: t(4), status: 'confirmed' },
      { at: t(5), status: 'preparing', subOrderId: S1 },
      { at: t(5), status: 'preparing' },
      { at: t(6), status: 'ready', subOrderId: S1 },
      { at: t(7), status: 'preparing', subOrderId: S1, ignored: true },
      { at: t(8), status: 'ready', subOrderId: S2 },
      { at: t(8), status: 'ready' },
      { at: t(9), status: 'picked_up', subOrderId: S1 },
      { at: t(9), status: 'delivering' },
      { at: t(10), status: 'delivered', subOrderId: S2 },
      { at: t(11), status: 'delivered', subOrderId: S1 },
      { at: t(11), status: 'delivered' },
    ],
    cancel_requested: false,
    cancelled: false,
    created_at: new Date(t(0)),
    created_position: positionOf(0),
    position: positionOf(12),
  },
  {
    order_id: O2,
    customer_id: 'bob',
    status: 'cancelled',
    total_cents: '500',
    delivery_address: 'Street 2',
    items: items(P1),
    sub_orders: [sub(S3, P1, { status: 'rejected', providerRef: 'pasta-2', attempts: 1, updatedAt: t(14) })],
    history: [
      { at: t(12), status: 'placed' },
      { at: t(12), status: 'pending', subOrderId: S3 },
      { at: t(14), status: 'rejected', subOrderId: S3 },
      { at: t(14), status: 'cancelling' },
      { at: t(15), status: 'cancelled' },
    ],
    cancel_requested: false,
    cancelled: true,
    created_at: new Date(t(12)),
    created_position: positionOf(13),
    position: positionOf(16),
  },
  {
    order_id: O3,
    customer_id: 'ann',
    status: 'cancelled',
    total_cents: '1000',
    delivery_address: 'Street 3',
    items: items(P2, P1),
    sub_orders: [
      sub(S4, P2, { status: 'cancelled', providerRef: 'sushi-2', attempts: 3, updatedAt: t(20) }),
      sub(S5, P1, { status: 'cancelled', providerRef: 'pasta-3', attempts: 2, updatedAt: t(19) }),
    ],
    history: [
      { at: t(16), status: 'placed' },
      { at: t(16), status: 'pending', subOrderId: S4 },
      { at: t(16), status: 'pending', subOrderId: S5 },
      { at: t(18), status: 'cancelling' },
      { at: t(19), status: 'cancelled', subOrderId: S5 },
      { at: t(20), status: 'cancelled', subOrderId: S4 },
      { at: t(21), status: 'cancelled' },
    ],
    cancel_requested: true,
    cancelled: true,
    created_at: new Date(t(16)),
    created_position: positionOf(17),
    position: positionOf(24),
  },
  {
    order_id: O4,
    customer_id: 'ann',
    status: 'cancelling',
    total_cents: '500',
    delivery_address: 'Street 4',
    items: items(P2),
    sub_orders: [sub(S6, P2, { status: 'timed_out', attempts: 1, lastError: 'circuit open', updatedAt: t(24) })],
    history: [
      { at: t(22), status: 'placed' },
      { at: t(22), status: 'pending', subOrderId: S6 },
      { at: t(24), status: 'timed_out', subOrderId: S6 },
      { at: t(24), status: 'cancelling' },
    ],
    cancel_requested: false,
    cancelled: false,
    created_at: new Date(t(22)),
    created_position: positionOf(25),
    position: positionOf(27),
  },
];

const expectedRefs = [
  { sub_order_id: S1, order_id: O1, provider_id: P1, provider_ref: 'pasta-1' },
  { sub_order_id: S2, order_id: O1, provider_id: P2, provider_ref: 'sushi-1' },
  { sub_order_id: S3, order_id: O2, provider_id: P1, provider_ref: 'pasta-2' },
  { sub_order_id: S4, order_id: O3, provider_id: P2, provider_ref: 'sushi-2' },
  { sub_order_id: S5, order_id: O3, provider_id: P1, provider_ref: 'pasta-3' },
  { sub_order_id: S6, order_id: O4, provider_id: P2, provider_ref: null },
];

describe('orders read model', () => {
  it('reads the orders and every sub-order event', () => {
    expect(ordersProjection.eventTypes).toEqual([
      'OrderPlaced',
      'OrderCancelRequested',
      'OrderCancelled',
      'SubOrderSubmitted',
      'SubOrderSubmitFailed',
      'SubOrderStatusReported',
      'SubOrderTimedOut',
      'SubOrderCancelFailed',
      'SubOrderCancelled',
    ]);
  });

  it('derives the order’s status by the domain’s rules (orderStatus), for every combination of up to three sub-orders', () => {
    const statuses: SubOrderStatus[] = ['pending', 'accepted', 'preparing', 'ready', 'picked_up', 'delivered', 'rejected', 'timed_out', 'cancelled'];
    const previous: (OrderStatus | undefined)[] = [undefined, 'placed', 'confirmed', 'preparing', 'ready', 'delivering', 'delivered', 'cancelling', 'cancelled'];
    const combinations: SubOrderStatus[][] = statuses.flatMap((a) => [[a], ...statuses.flatMap((b) => [[a, b], ...statuses.map((c) => [a, b, c])])]);
    let checked = 0;
    const differ: unknown[] = [];
    for (const subs of combinations) {
      for (const cancelRequested of [false, true]) {
        for (const cancelled of [false, true]) {
          for (const before of previous) {
            const ours = orderStatusOf(subs, { cancelRequested, cancelled, previous: before });
            const domain = orderStatus(subs, { cancelRequested, cancelled, previous: before });
            if (ours !== domain) differ.push({ subs, cancelRequested, cancelled, before, ours, domain });
            checked++;
          }
        }
      }
    }
    expect(differ).toEqual([]);
    expect(checked).toBe((9 + 81 + 729) * 4 * 9);
  });

  describe('the events in one batch', () => {
    const readModel = readModelUnderTest(ordersProjection, { batches: [events] });
    const queries = () => readModel.queries(ordersQueries);

    it('keeps each order as it is now: status never backwards, sub-orders with their calls and last error, every change in log order', async () => {
      expect(await readModel.rows('orders_orders', 'served', 'created_position')).toEqual(expectedRows);
    });

    it('keeps each sub-order’s provider reference once its submit is recorded', async () => {
      expect(await readModel.rows('orders_sub_orders', 'served', 'sub_order_id')).toEqual(expectedRefs);
    });

    it('answers an order by id, several by id, null or nothing for unknown ids', async () => {
      expect(await queries().byId(O3)).toEqual(expectedRows[2]);
      expect(await queries().byId(uuid(99))).toBeNull();
      expect((await queries().byIds([O4, O1, uuid(99)])).map((row) => row.order_id).sort()).toEqual([O1, O4]);
      expect(await queries().byIds([])).toEqual([]);
    });

    it('pages a customer’s orders newest first, only theirs', async () => {
      const orderIds = (page: { rows: { order_id: string }[] }) => page.rows.map((row) => row.order_id);
      const first = await queries().pageOfCustomer('ann', { limit: 2 });
      expect(orderIds(first)).toEqual([O4, O3]);
      expect(first.more).toBe(true);
      const second = await queries().pageOfCustomer('ann', { limit: 2, createdBefore: first.rows[1].created_position });
      expect(orderIds(second)).toEqual([O1]);
      expect(second.more).toBe(false);
      expect(orderIds(await queries().pageOfCustomer('bob', { limit: 50 }))).toEqual([O2]);
      expect(await queries().pageOfCustomer('carl', { limit: 50 })).toEqual({ rows: [], more: false });
    });

    it('pages every order, or those in one status, newest first', async () => {
      const orderIds = (page: { rows: { order_id: string }[] }) => page.rows.map((row) => row.order_id);
      const all = await queries().page(undefined, { limit: 3 });
      expect(orderIds(all)).toEqual([O4, O3, O2]);
      expect(all.more).toBe(true);
      expect(orderIds(await queries().page(undefined, { limit: 3, createdBefore: all.rows[2].created_position }))).toEqual([O1]);
      expect(orderIds(await queries().page('cancelled', { limit: 50 }))).toEqual([O3, O2]);
      expect(orderIds(await queries().page('delivered', { limit: 50 }))).toEqual([O1]);
      expect(orderIds(await queries().page('placed', { limit: 50 }))).toEqual([]);
    });

    it('finds a sub-order of a provider by its id or by the provider’s reference, and no other provider’s', async () => {
      expect(await queries().subOrderOf(P1, { providerRef: 'pasta-3' })).toEqual(expectedRefs[4]);
      expect(await queries().subOrderOf(P2, { subOrderId: S6 })).toEqual(expectedRefs[5]);
      expect(await queries().subOrderOf(P2, { providerRef: 'pasta-3' })).toBeNull();
      expect(await queries().subOrderOf(P1, { subOrderId: S6 })).toBeNull();
      expect(await queries().subOrderOf(P1, { providerRef: 'unknown' })).toBeNull();
    });
  });

  describe('the same events one batch each', () => {
    const readModel = readModelUnderTest(ordersProjection);

    it('gives the same rows as one batch', async () => {
      await readModel.applyEachAlone(events);
      expect(await readModel.rows('orders_orders', 'served', 'created_position')).toEqual(expectedRows);
      expect(await readModel.rows('orders_sub_orders', 'served', 'sub_order_id')).toEqual(expectedRefs);
    });
  });
});
