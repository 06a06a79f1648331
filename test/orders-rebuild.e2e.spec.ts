import { ORDERS_PROJECTIONS } from '../libs/orders/src/orders.projections';
import { settle } from './fixtures/accounting.fixture';
import { readModelRows, rebuildAll } from './fixtures/projections.fixture';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

type Json = Record<string, any>;

describe('orders: rebuilding the read models', () => {
  let platform: TestApp;
  let staff: Staff;
  const http = () => platform.http;

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
  });

  afterAll(() => platform?.close());

  async function provider(name: string, simulation: object): Promise<string> {
    const { body } = await http().post('/orders/providers').set(bearer(staff.admin)).send({ name, adapter: 'simulated', secret: 'secret-123', simulation }).expect(201);
    await http().put(`/orders/providers/${body.providerId}/menu`).set(bearer(staff.admin)).send({ items: [{ sku: 'a', name: 'A', price: '2.50' }] }).expect(200);
    await http().put(`/orders/providers/${body.providerId}/menu`).set(bearer(staff.admin)).send({ items: [{ sku: 'a', name: 'A', price: '3.10' }, { sku: 'b', name: 'B', price: '0.99' }] }).expect(200);
    return body.providerId;
  }

  async function place(customer: TestUser, providerIds: string[]): Promise<Json> {
    const items = providerIds.map((providerId) => ({ providerId, sku: 'a', quantity: 1 }));
    return (await http().post('/orders').set(bearer(customer)).send({ items, deliveryAddress: 'Ice Street 9' }).expect(201)).body;
  }

  async function statusOf(customer: TestUser, orderId: string): Promise<string> {
    return (await http().get(`/orders/${orderId}`).set(bearer(customer)).expect(200)).body.status;
  }

  /** Every row of every table of every Delibery read model, in a stable order. */
  const snapshot = () => readModelRows(platform, ORDERS_PROJECTIONS, '1');

  it('gives the same rows as the live read models after delivered, rejected and cancelled orders', async () => {
    const [ann, bob] = [await staff.hire('customer'), await staff.hire('customer')];
    const quick = await provider('Quick', { acceptAfterMs: 20, stepMs: 20 });
    const steady = await provider('Steady', { acceptAfterMs: 40, stepMs: 3_600_000 });
    const rejecting = await provider('Rejecting', { acceptAfterMs: 30, stepMs: 20, reject: true });

    const delivered = await place(ann, [quick]);
    const rejected = await place(bob, [steady, rejecting]);
    const cancelled = await place(ann, [steady]);
    await eventually(async () => (await statusOf(ann, cancelled.orderId)) === 'confirmed' || null, 20_000, 'the order to be confirmed');
    await http().post(`/orders/${cancelled.orderId}/cancel`).set(bearer(ann)).expect(200);
    await eventually(
      async () =>
        ((await statusOf(ann, delivered.orderId)) === 'delivered' && (await statusOf(bob, rejected.orderId)) === 'cancelled' && (await statusOf(ann, cancelled.orderId)) === 'cancelled') || null,
      30_000,
      'the orders to be delivered and cancelled',
    );

    await settle(platform.app);
    const before = await snapshot();
    expect((before.orders_orders as { status: string }[]).map((row) => row.status).sort()).toEqual(['cancelled', 'cancelled', 'delivered']);
    expect(before.orders_sub_orders).toHaveLength(4);
    expect(before.orders_providers).toHaveLength(3);

    await rebuildAll(platform, staff.admin, ORDERS_PROJECTIONS.map((projection) => projection.name));
    expect(await snapshot()).toEqual(before);
  });
});
