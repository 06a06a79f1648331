import { randomUUID } from 'node:crypto';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { MENU, OrdersLog, placeOne, placeOrder, registerProvider, setMenu, subOrderOf } from './fixtures/orders.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A step so slow the sub-order stays where it is for the whole test. */
const FOREVER = 600_000;

/**
 * Delibery's write side through HTTP: an order split across providers, each submitted through its
 * adapter, and its compensation when one rejects, one does not accept in time, or the customer
 * cancels (every other sub-order cancelled at its provider, the order OrderCancelled with its
 * reason); placement's rules (menu prices at the time, unknown items, Idempotency-Key, hostile
 * bodies, roles). What happened is read from the log: the order's and sub-orders' streams, and
 * what the simulated provider itself received.
 */
describe('orders: fulfilment and placement through HTTP', () => {
  let platform: TestApp;
  let staff: Staff;
  let ann: TestUser;
  let bob: TestUser;
  let log: OrdersLog;
  const http = () => platform.http;

  beforeAll(async () => {
    platform = await startPlatform({ env: { ORDERS_RETRY_BASE_MS: '50', ORDERS_RETRY_MAX_MS: '200', ORDERS_POLL_AFTER_MS: '500', EVENT_STORE_POLL_MS: '50' } });
    staff = await Staff.of(platform.http);
    [ann, bob] = await Promise.all([staff.hire('customer'), staff.hire('customer')]);
    log = new OrdersLog(platform);
  });

  afterAll(() => platform?.close());

  function expectError(response: { status: number; body: any }, status: number, code: string): any {
    expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
    expect(typeof response.body.error.message).toBe('string');
    return response.body.error.details;
  }

  /** The customer's cancel, POST /orders/:orderId/cancel: its status, the error code of a refusal, the order's status in a 200. */
  async function cancelOrder(user: TestUser, orderId: string): Promise<{ status: number; code?: string; order?: string }> {
    const response = await http().post(`/orders/${orderId}/cancel`).set(bearer(user));
    if (response.status === 200) {
      expect(response.body.orderId).toBe(orderId);
      return { status: 200, order: response.body.status };
    }
    return { status: response.status, code: response.body?.error?.code };
  }

  /** GET /orders/:orderId once its read model has the order's cancellation. */
  async function orderOnceCancelled(user: TestUser, orderId: string): Promise<any> {
    return eventually(async () => {
      const { body } = await http().get(`/orders/${orderId}`).set(bearer(user)).expect(200);
      return body.status === 'cancelled' ? body : null;
    }, 20_000, `order ${orderId} cancelled in its read model`);
  }

  const types = (events: { type: string }[]) => events.map((e) => e.type);

  describe('compensation', () => {
    it('a rejection cancels every other sub-order at its provider, never the rejected one, and the order is cancelled (rejected)', async () => {
      const [p1, p2, bad] = await Promise.all([
        registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 20, stepMs: FOREVER } }),
        registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 20, stepMs: FOREVER } }),
        registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 400, stepMs: 50, reject: true } }),
      ]);
      const order = await placeOne(http(), ann, [p1, p2, bad]);
      expect(order).toMatchObject({ status: 'placed', total: '7.50' });
      expect(order.subOrders.map((sub) => sub.status)).toEqual(['pending', 'pending', 'pending']);

      const cancelled = await log.cancelled(order.orderId);
      expect(cancelled.data.reason).toBe('rejected');
      const rejected = subOrderOf(order, bad);
      expect(await log.status(rejected)).toBe('rejected');
      for (const good of [subOrderOf(order, p1), subOrderOf(order, p2)]) {
        const events = await log.subOrder(good);
        expect(types(events)).toContain('SubOrderCancelled');
        expect(types(await log.simulated(good))).toEqual(['SimulatedOrderReceived', 'SimulatedOrderCancelled']);
        expect(await log.status(good)).toBe('cancelled');
      }
      // Nothing is left to settle: the rejected one got no cancel call, and the order was cancelled once.
      await sleep(500);
      expect(types(await log.subOrder(rejected)).filter((t) => t.startsWith('SubOrderCancel'))).toEqual([]);
      expect(types(await log.simulated(rejected))).toEqual(['SimulatedOrderReceived']);
      expect(types(await log.order(order.orderId))).toEqual(['OrderPlaced', 'OrderCancelled']);
      // As the customer sees it: cancelled, the rejected sub-order rejected, the others cancelled.
      const seen = await orderOnceCancelled(ann, order.orderId);
      const statusOf = Object.fromEntries(seen.subOrders.map((sub: any) => [sub.providerId, sub.status]));
      expect(statusOf).toEqual({ [p1]: 'cancelled', [p2]: 'cancelled', [bad]: 'rejected' });
    });

    it('a sub-order not accepted in time is timed out and cancelled too (it may have accepted late), with the others; the order is cancelled (timed_out)', async () => {
      const [fast, slow] = await Promise.all([
        registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 20, stepMs: FOREVER } }),
        registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 4000, stepMs: 50 }, acceptTimeoutSeconds: 1 }),
      ]);
      const order = await placeOne(http(), ann, [fast, slow]);
      const cancelled = await log.cancelled(order.orderId);
      expect(cancelled.data.reason).toBe('timed_out');
      const late = subOrderOf(order, slow);
      const lateEvents = await log.subOrder(late);
      expect(types(lateEvents)).toEqual(['SubOrderSubmitted', 'SubOrderTimedOut', 'SubOrderCancelled']);
      expect(types(await log.simulated(late))).toEqual(['SimulatedOrderReceived', 'SimulatedOrderCancelled']);
      const other = subOrderOf(order, fast);
      expect(types(await log.subOrder(other))).toEqual(['SubOrderSubmitted', 'SubOrderStatusReported', 'SubOrderCancelled']);
      expect(types(await log.simulated(other))).toEqual(['SimulatedOrderReceived', 'SimulatedOrderCancelled']);
      // The slow provider was stopped by the cancel: its acceptance never comes.
      await sleep(4000 - (Date.now() - Date.parse(lateEvents[0].data.submittedAt)) + 300);
      expect(types(await log.subOrder(late)).filter((t) => t === 'SubOrderStatusReported')).toEqual([]);
      expect(await log.status(late)).toBe('cancelled');
    }, 30_000);

    it('an order whose every sub-order is accepted in time is not timed out', async () => {
      const quick = await registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 20, stepMs: FOREVER }, acceptTimeoutSeconds: 1 });
      const order = await placeOne(http(), ann, [quick]);
      const sub = order.subOrders[0].subOrderId;
      await log.waitFor(sub, 'accepted');
      await sleep(1500);
      expect(types(await log.subOrder(sub))).toEqual(['SubOrderSubmitted', 'SubOrderStatusReported']);
      expect(types(await log.order(order.orderId))).toEqual(['OrderPlaced']);
    });
  });

  describe('the customer’s cancel', () => {
    it('cancels every sub-order at its provider, and the order is cancelled (customer); a second cancel changes nothing', async () => {
      const [p1, p2] = await Promise.all([
        registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 20, stepMs: FOREVER } }),
        registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 60_000, stepMs: FOREVER } }),
      ]);
      const order = await placeOne(http(), ann, [p1, p2]);
      await log.waitFor(subOrderOf(order, p1), 'accepted');
      const first = await cancelOrder(ann, order.orderId);
      expect(first.status).toBe(200);
      expect(['cancelling', 'cancelled']).toContain(first.order);
      const cancelled = await log.cancelled(order.orderId);
      expect(cancelled.data.reason).toBe('customer');
      for (const sub of order.subOrders) {
        expect(await log.status(sub.subOrderId)).toBe('cancelled');
        expect(types(await log.simulated(sub.subOrderId))).toEqual(['SimulatedOrderReceived', 'SimulatedOrderCancelled']);
      }
      const seen = await orderOnceCancelled(ann, order.orderId);
      expect(seen.subOrders.map((sub: any) => sub.status)).toEqual(['cancelled', 'cancelled']);
      expect(await cancelOrder(ann, order.orderId)).toEqual({ status: 200, order: 'cancelled' });
      await sleep(300);
      expect(types(await log.order(order.orderId))).toEqual(['OrderPlaced', 'OrderCancelRequested', 'OrderCancelled']);
    });

    it('another customer cannot cancel it (NOT_FOUND); an admin can', async () => {
      const p = await registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 20, stepMs: FOREVER } });
      const order = await placeOne(http(), ann, [p]);
      expect(await cancelOrder(bob, order.orderId)).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect(await cancelOrder(ann, randomUUID())).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect(types(await log.order(order.orderId))).toEqual(['OrderPlaced']);
      expect((await cancelOrder(staff.admin, order.orderId)).status).toBe(200);
      expect((await log.cancelled(order.orderId)).data.reason).toBe('customer');
    });

    it('is refused with ORDERS_TOO_LATE_TO_CANCEL (409) once a sub-order is picked up, and nothing is cancelled', async () => {
      const [courier, still] = await Promise.all([
        // accepted, preparing, ready, picked_up 100 ms apart, then delivered only after a long while.
        registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 20, stepMs: 100 } }),
        registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 20, stepMs: FOREVER } }),
      ]);
      const order = await placeOne(http(), ann, [courier, still]);
      await eventually(async () => ['picked_up', 'delivered'].includes(await log.status(subOrderOf(order, courier))), 20_000, 'picked up');
      expect(await cancelOrder(ann, order.orderId)).toEqual({ status: 409, code: 'ORDERS_TOO_LATE_TO_CANCEL' });
      await sleep(300);
      expect(types(await log.order(order.orderId))).toEqual(['OrderPlaced']);
      expect(types(await log.simulated(subOrderOf(order, still)))).toEqual(['SimulatedOrderReceived']);
      expect(await log.status(subOrderOf(order, still))).toBe('accepted');
    });
  });

  describe('placing an order', () => {
    let p1: string;
    let p2: string;

    beforeAll(async () => {
      [p1, p2] = await Promise.all([
        registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 60_000, stepMs: FOREVER } }),
        registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 60_000, stepMs: FOREVER } }),
      ]);
    });

    it('is split into one sub-order per provider, priced from the menus: 2 × 2.50 + 4.00 + 2.50', async () => {
      const placed = await placeOrder(http(), ann, [
        { providerId: p1, sku: 'a', quantity: 2 },
        { providerId: p1, sku: 'b', quantity: 1 },
        { providerId: p2, sku: 'a', quantity: 1 },
      ]).expect(201);
      expect(placed.body).toEqual({
        orderId: expect.any(String),
        status: 'placed',
        total: '11.50',
        subOrders: expect.arrayContaining([
          { subOrderId: expect.any(String), providerId: p1, status: 'pending' },
          { subOrderId: expect.any(String), providerId: p2, status: 'pending' },
        ]),
        position: expect.any(String),
      });
      expect(placed.body.subOrders).toHaveLength(2);
      const [event] = await log.order(placed.body.orderId);
      expect(event.data).toMatchObject({ customerId: ann.userId, totalCents: 1150, deliveryAddress: 'Penguin Lane 4, Ice City' });
      const byProvider = Object.fromEntries(event.data.subOrders.map((sub: any) => [sub.providerId, sub.items.map((i: any) => [i.sku, i.priceCents, i.quantity])]));
      expect(byProvider).toEqual({ [p1]: [['a', 250, 2], ['b', 400, 1]], [p2]: [['a', 250, 1]] });
      // Each sub-order is submitted to its provider.
      for (const sub of placed.body.subOrders) await eventually(async () => (await log.simulated(sub.subOrderId)).length === 1, 10_000, 'submitted');
    });

    it('keeps the prices of the menu at the time of the order: a menu change after does not change it', async () => {
      const p = await registerProvider(http(), staff.admin, { simulation: { acceptAfterMs: 60_000, stepMs: FOREVER } });
      const before = await placeOrder(http(), ann, [{ providerId: p, sku: 'a', quantity: 3 }]).expect(201);
      expect(before.body.total).toBe('7.50');
      await setMenu(http(), staff.admin, p, [{ sku: 'a', name: 'A', price: '9.99' }]);
      const after = await placeOrder(http(), ann, [{ providerId: p, sku: 'a', quantity: 3 }]).expect(201);
      expect(after.body.total).toBe('29.97');
      const [placedBefore] = await log.order(before.body.orderId);
      expect(placedBefore.data.totalCents).toBe(750);
      expect(placedBefore.data.items).toEqual([{ providerId: p, sku: 'a', name: 'A', priceCents: 250, quantity: 3 }]);
      // As the customer reads it, after the second order: the first still at the old price.
      const seen = await http().get(`/orders/${before.body.orderId}?after=${after.body.position}`).set(bearer(ann)).expect(200);
      expect(seen.body.total).toBe('7.50');
      expect(seen.body.items).toEqual([expect.objectContaining({ sku: 'a', quantity: 3 })]);
      // An item taken off the menu can no longer be ordered; the order placed with it stands.
      expect((await placeOrder(http(), ann, [{ providerId: p, sku: 'b', quantity: 1 }])).status).toBe(422);
    });

    it('an item on no menu is ORDERS_UNKNOWN_ITEM (422), details.items naming each one; nothing is placed', async () => {
      const ghost = randomUUID();
      const response = await placeOrder(http(), ann, [
        { providerId: p1, sku: 'a', quantity: 1 },
        { providerId: p1, sku: 'nope', quantity: 1 },
        { providerId: ghost, sku: 'a', quantity: 2 },
      ]);
      const details = expectError(response, 422, 'ORDERS_UNKNOWN_ITEM');
      expect(details.items).toEqual([
        { providerId: p1, sku: 'nope' },
        { providerId: ghost, sku: 'a' },
      ]);
    });

    it('the same Idempotency-Key places one order: the repeat answers the same order with Idempotency-Hit', async () => {
      const key = randomUUID();
      const items = [{ providerId: p1, sku: 'a', quantity: 1 }, { providerId: p2, sku: 'b', quantity: 1 }];
      const [first, second] = await Promise.all([placeOrder(http(), ann, items, { 'Idempotency-Key': key }), placeOrder(http(), ann, items, { 'Idempotency-Key': key })]);
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body).toEqual(first.body);
      const third = await placeOrder(http(), ann, items, { 'Idempotency-Key': key }).expect(201);
      expect(third.body).toEqual(first.body);
      expect(third.headers['idempotency-hit']).toBe('true');
      // The subOrders too: each was submitted once.
      for (const sub of first.body.subOrders) {
        await eventually(async () => (await log.simulated(sub.subOrderId)).length === 1, 10_000, 'submitted');
      }
      // Another body with the same key is refused; without a key, the same body is a new order.
      expectError(await placeOrder(http(), ann, [{ providerId: p1, sku: 'b', quantity: 1 }], { 'Idempotency-Key': key }), 409, 'IDEMPOTENCY_KEY_REUSED');
      const fresh = await placeOrder(http(), ann, items).expect(201);
      expect(fresh.body.orderId).not.toBe(first.body.orderId);
    });

    describe('hostile input: 400 VALIDATION_FAILED naming the field, never a 500', () => {
      function expectFields(response: { status: number; body: any }, field: string, what: unknown): void {
        try {
          const fields = expectError(response, 400, 'VALIDATION_FAILED').fields as Record<string, string[]>;
          expect(Object.keys(fields)).toContain(field);
        } catch (error) {
          throw new Error(`${JSON.stringify(what)}: ${response.status} ${JSON.stringify(response.body)}\n${String(error)}`);
        }
      }

      it('order bodies', async () => {
        const item = () => ({ providerId: p1, sku: 'a', quantity: 1 });
        const cases: Array<[unknown, string]> = [
          [{ deliveryAddress: 'x' }, 'items'],
          [{ items: [], deliveryAddress: 'x' }, 'items'],
          [{ items: 'a', deliveryAddress: 'x' }, 'items'],
          [{ items: null, deliveryAddress: 'x' }, 'items'],
          [{ items: [null], deliveryAddress: 'x' }, 'items.0'],
          [{ items: Array.from({ length: 101 }, item), deliveryAddress: 'x' }, 'items'],
          [{ items: [{ ...item(), quantity: 0 }], deliveryAddress: 'x' }, 'items.0.quantity'],
          [{ items: [{ ...item(), quantity: 101 }], deliveryAddress: 'x' }, 'items.0.quantity'],
          [{ items: [{ ...item(), quantity: 1.5 }], deliveryAddress: 'x' }, 'items.0.quantity'],
          [{ items: [{ ...item(), quantity: '2' }], deliveryAddress: 'x' }, 'items.0.quantity'],
          [{ items: [{ ...item(), quantity: -1 }], deliveryAddress: 'x' }, 'items.0.quantity'],
          [{ items: [{ providerId: p1, sku: 'a' }], deliveryAddress: 'x' }, 'items.0.quantity'],
          [{ items: [{ ...item(), providerId: 'p1' }], deliveryAddress: 'x' }, 'items.0.providerId'],
          [{ items: [{ ...item(), providerId: 7 }], deliveryAddress: 'x' }, 'items.0.providerId'],
          [{ items: [{ ...item(), sku: 'a b' }], deliveryAddress: 'x' }, 'items.0.sku'],
          [{ items: [{ ...item(), sku: '' }], deliveryAddress: 'x' }, 'items.0.sku'],
          [{ items: [{ ...item(), sku: 'x'.repeat(51) }], deliveryAddress: 'x' }, 'items.0.sku'],
          [{ items: [{ ...item(), sku: { $ne: 1 } }], deliveryAddress: 'x' }, 'items.0.sku'],
          [{ items: [{ ...item(), price: '0.01' }], deliveryAddress: 'x' }, 'items.0.price'],
          [{ items: [item()] }, 'deliveryAddress'],
          [{ items: [item()], deliveryAddress: '' }, 'deliveryAddress'],
          [{ items: [item()], deliveryAddress: 42 }, 'deliveryAddress'],
          [{ items: [item()], deliveryAddress: 'x'.repeat(501) }, 'deliveryAddress'],
          [{ items: [item()], deliveryAddress: 'x', customerId: bob.userId }, 'customerId'],
          [{ items: [item()], deliveryAddress: 'x', total: '0.01' }, 'total'],
        ];
        for (const [body, field] of cases) expectFields(await http().post('/orders').set(bearer(ann)).send(body as object), field, body);
        // Not an object at all.
        for (const raw of ['[]', '"x"', 'null', '{"items": [', '']) {
          const response = await http().post('/orders').set(bearer(ann)).set('Content-Type', 'application/json').send(raw);
          expect({ raw, status: response.status }).toEqual({ raw, status: 400 });
        }
      });

      it('provider and menu bodies', async () => {
        const provider = { name: 'P', adapter: 'simulated', secret: 'a-secret-1' };
        const cases: Array<[Record<string, unknown>, string]> = [
          [{ ...provider, adapter: 'ftp' }, 'adapter'],
          [{ ...provider, adapter: undefined }, 'adapter'],
          [{ ...provider, adapter: 'http' }, 'baseUrl'],
          [{ ...provider, adapter: 'http', baseUrl: 'not a url' }, 'baseUrl'],
          [{ ...provider, adapter: 'http', baseUrl: 'ftp://x.example' }, 'baseUrl'],
          [{ ...provider, adapter: 'http', baseUrl: 'http://x.example', simulation: { acceptAfterMs: 1, stepMs: 1 } }, 'simulation'],
          [{ ...provider, name: '' }, 'name'],
          [{ ...provider, name: 'x'.repeat(201) }, 'name'],
          [{ ...provider, secret: undefined }, 'secret'],
          [{ ...provider, acceptTimeoutSeconds: 0 }, 'acceptTimeoutSeconds'],
          [{ ...provider, acceptTimeoutSeconds: 86_401 }, 'acceptTimeoutSeconds'],
          [{ ...provider, acceptTimeoutSeconds: '60' }, 'acceptTimeoutSeconds'],
          [{ ...provider, acceptTimeoutSeconds: null }, 'acceptTimeoutSeconds'],
          [{ ...provider, simulation: { acceptAfterMs: -1, stepMs: 1 } }, 'simulation.acceptAfterMs'],
          [{ ...provider, simulation: { acceptAfterMs: 1, stepMs: 0 } }, 'simulation.stepMs'],
          [{ ...provider, simulation: { acceptAfterMs: 1, stepMs: 1, reject: 'yes' } }, 'simulation.reject'],
          [{ ...provider, simulation: 'fast' }, 'simulation'],
          [{ ...provider, providerId: randomUUID() }, 'providerId'],
        ];
        for (const [body, field] of cases) expectFields(await http().post('/orders/providers').set(bearer(staff.admin)).send(body), field, body);

        const menu = MENU[0];
        const menuCases: Array<[unknown, string]> = [
          [{ items: [{ ...menu, price: '1.234' }] }, 'items.0.price'],
          [{ items: [{ ...menu, price: '-1' }] }, 'items.0.price'],
          [{ items: [{ ...menu, price: 2.5 }] }, 'items.0.price'],
          [{ items: [{ ...menu, price: '1e3' }] }, 'items.0.price'],
          [{ items: [{ ...menu, price: '100000.01' }] }, 'items.0.price'],
          [{ items: [{ ...menu, price: '' }] }, 'items.0.price'],
          [{ items: [{ ...menu, sku: 'a/b' }] }, 'items.0.sku'],
          [{ items: [{ ...menu, name: '' }] }, 'items.0.name'],
          [{ items: [menu, { ...menu, name: 'Again' }] }, 'items'],
          [{ items: 'a' }, 'items'],
          [{}, 'items'],
          [{ items: Array.from({ length: 501 }, (_, i) => ({ ...menu, sku: `s${i}` })) }, 'items'],
        ];
        for (const [body, field] of menuCases) expectFields(await http().put(`/orders/providers/${p1}/menu`).set(bearer(staff.admin)).send(body as object), field, body);
        expectFields(await http().put('/orders/providers/not-a-uuid/menu').set(bearer(staff.admin)).send({ items: [menu] }), 'providerId', 'not-a-uuid');
        expectError(await http().put(`/orders/providers/${randomUUID()}/menu`).set(bearer(staff.admin)).send({ items: [menu] }), 404, 'NOT_FOUND');
        // The menu is still the one set.
        expect((await placeOrder(http(), ann, [{ providerId: p1, sku: 'b', quantity: 1 }])).body.total).toBe('4.00');
      });
    });

    it('roles: only an admin registers providers and sets menus; any logged-in user orders; no token is 401', async () => {
      const provider = { name: 'P', adapter: 'simulated', secret: 'a-secret-1' };
      const manager = await staff.hire('manager');
      for (const user of [ann, manager]) {
        expectError(await http().post('/orders/providers').set(bearer(user)).send(provider), 403, 'FORBIDDEN');
        expectError(await http().put(`/orders/providers/${p1}/menu`).set(bearer(user)).send({ items: MENU }), 403, 'FORBIDDEN');
      }
      expectError(await http().post('/orders/providers').send(provider), 401, 'UNAUTHENTICATED');
      expectError(await http().put(`/orders/providers/${p1}/menu`).send({ items: MENU }), 401, 'UNAUTHENTICATED');
      expectError(await http().post('/orders').send({ items: [{ providerId: p1, sku: 'a', quantity: 1 }], deliveryAddress: 'x' }), 401, 'UNAUTHENTICATED');
      expect((await placeOrder(http(), manager, [{ providerId: p1, sku: 'a', quantity: 1 }])).status).toBe(201);
      expect((await http().post('/orders/providers').set(bearer(staff.admin)).send(provider)).status).toBe(201);
    });
  });
});
