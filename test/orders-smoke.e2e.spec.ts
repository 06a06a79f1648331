import { randomUUID } from 'node:crypto';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { streamEvents } from './fixtures/ticketing-log.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

describe('orders: smoke', () => {
  let platform: TestApp;
  let staff: Staff;
  let customer: TestUser;

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
    customer = await staff.hire('customer');
  });

  afterAll(() => platform?.close());

  async function provider(simulation: object): Promise<string> {
    const { body } = await platform.http.post('/orders/providers').set(bearer(staff.admin)).send({ name: `P ${randomUUID().slice(0, 4)}`, adapter: 'simulated', secret: 'secret-123', simulation }).expect(201);
    await platform.http.put(`/orders/providers/${body.providerId}/menu`).set(bearer(staff.admin)).send({ items: [{ sku: 'a', name: 'A', price: '2.50' }] }).expect(200);
    return body.providerId;
  }

  it('an order across two simulated providers is delivered; one rejecting cancels the other', async () => {
    const [p1, p2, bad] = await Promise.all([provider({ acceptAfterMs: 50, stepMs: 50 }), provider({ acceptAfterMs: 80, stepMs: 30 }), provider({ acceptAfterMs: 300, stepMs: 50, reject: true })]);
    const placed = await platform.http.post('/orders').set(bearer(customer)).send({ items: [{ providerId: p1, sku: 'a', quantity: 2 }, { providerId: p2, sku: 'a', quantity: 1 }], deliveryAddress: 'Ice 1' }).expect(201);
    expect(placed.body).toMatchObject({ status: 'placed', total: '7.50' });
    for (const sub of placed.body.subOrders) {
      await eventually(async () => (await streamEvents(platform, `orders-suborder-${sub.subOrderId}`)).some((e) => e.type === 'SubOrderStatusReported' && e.data.status === 'delivered'), 20_000, 'delivered');
    }
    const failing = await platform.http.post('/orders').set(bearer(customer)).send({ items: [{ providerId: p1, sku: 'a', quantity: 1 }, { providerId: bad, sku: 'a', quantity: 1 }], deliveryAddress: 'Ice 2' }).expect(201);
    await eventually(async () => (await streamEvents(platform, `orders-order-${failing.body.orderId}`)).some((e) => e.type === 'OrderCancelled'), 20_000, 'cancelled');
    const good = failing.body.subOrders.find((s: { providerId: string }) => s.providerId === p1);
    const goodEvents = await streamEvents(platform, `orders-suborder-${good.subOrderId}`);
    expect(goodEvents.map((e) => e.type)).toContain('SubOrderCancelled');
  });
});
