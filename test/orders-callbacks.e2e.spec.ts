import { ApiModule } from '../apps/api/api.module';
import { contexts } from '../apps/contexts';
import type { ProviderStatus } from '../libs/orders/src/contract/orders.events';
import { orderStatus } from '../libs/orders/src/domain/sub-order-status';
import { type FakeRestaurant, startFakeRestaurant } from './fixtures/fake-restaurant';
import { bearer, IDENTITY_ENV, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { foldSubOrder, OrdersLog, type PlacedOrder, placeOne, registerProvider, SECRET, sendCallback, subOrderOf } from './fixtures/orders.fixture';
import { exited } from './support/child-process';
import { AppProcesses } from './support/processes';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually } from './support/wait';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FORWARD: ProviderStatus[] = ['accepted', 'preparing', 'ready', 'picked_up', 'delivered'];
const RANK = Object.fromEntries(FORWARD.map((status, i) => [status, i + 1])) as Record<string, number>;
type Event = { type: string; data: any };

/** A seeded shuffle (mulberry32), so a failing order of callbacks can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

/**
 * What a sub-order's stream says of the statuses its provider reported: each update recorded once
 * by its eventId, the ones applied moving it strictly forward, and every one that would have moved
 * it back (or nowhere) kept as ignored.
 */
function checkReported(subOrderId: string, events: Event[]) {
  const reported = events.filter((e) => e.type === 'SubOrderStatusReported').map((e) => e.data);
  const applied = reported.filter((r) => !r.ignored).map((r) => r.status);
  let highest = 0;
  const misjudged = reported.filter((r) => {
    const forward = RANK[r.status] > highest;
    if (forward) highest = RANK[r.status];
    return r.ignored === forward;
  });
  return {
    subOrderId,
    status: foldSubOrder(events).status,
    eventIds: new Set(reported.map((r) => r.eventId)).size,
    updates: reported.length,
    statuses: [...new Set(reported.map((r) => r.status))].sort(),
    backwardsApplied: applied.some((status, i) => i > 0 && RANK[status] <= RANK[applied[i - 1]]),
    misjudged: misjudged.length,
  };
}

const everyStatusOnce = (subOrderId: string) => ({
  subOrderId,
  status: 'delivered',
  eventIds: 5,
  updates: 5,
  statuses: [...FORWARD].sort(),
  backwardsApplied: false,
  misjudged: 0,
});

describe('orders: provider callbacks, many at once', () => {
  let platform: TestApp;
  let staff: Staff;
  let customers: TestUser[];
  let log: OrdersLog;
  let fakes: FakeRestaurant[];
  let providers: string[];

  beforeAll(async () => {
    // Polls every 10 minutes only: every status here comes from a callback.
    platform = await startPlatform({ env: { ORDERS_POLL_AFTER_MS: '600000', EVENT_STORE_POLL_MS: '50' } });
    staff = await Staff.of(platform.http);
    customers = await Promise.all([staff.hire('customer'), staff.hire('customer'), staff.hire('customer')]);
    log = new OrdersLog(platform);
    fakes = await Promise.all([startFakeRestaurant(), startFakeRestaurant(), startFakeRestaurant()]);
    providers = await Promise.all(fakes.map((fake) => registerProvider(platform.http, staff.admin, { adapter: 'http', baseUrl: fake.baseUrl, acceptTimeoutSeconds: 600 })));
  }, 60_000);

  afterAll(async () => {
    await Promise.all((fakes ?? []).map((fake) => fake.close()));
    await platform?.close();
  });

  it('100 orders across 3 http providers, every callback sent twice, shuffled and concurrent: every order delivered, no update lost, each recorded once', async () => {
    const orders = await pool(Array.from({ length: 100 }, (_, i) => i), 10, (i) => placeOne(platform.http, customers[i % 3], providers));
    const subs = orders.flatMap((order) => order.subOrders.map((sub) => ({ ...sub, orderId: order.orderId })));
    expect(subs).toHaveLength(300);
    // Every sub-order is submitted (its provider's reference recorded) before its provider calls back.
    await eventually(async () => {
      const states = await pool(subs, 20, async (sub) => foldSubOrder(await log.subOrder(sub.subOrderId)));
      return states.every((state) => state.providerRef !== null);
    }, 60_000, 'every sub-order submitted');
    fakes.forEach((fake) => expect(fake.orders()).toHaveLength(100));

    const callbacks = subs.flatMap((sub) => {
      const fake = fakes[providers.indexOf(sub.providerId)];
      const providerRef = fake.orderOf(sub.subOrderId)!.providerRef;
      return FORWARD.flatMap((status, step) => {
        const body = { eventId: `${sub.subOrderId}:${status}`, providerRef, subOrderId: sub.subOrderId, status, at: new Date(Date.UTC(2027, 1, 1, 10, step)).toISOString() };
        return [
          { providerId: sub.providerId, body },
          { providerId: sub.providerId, body },
        ];
      });
    });
    expect(callbacks).toHaveLength(3000);
    const answers = await pool(shuffled(callbacks, 20270201), 32, async ({ providerId, body }) => {
      const response = await sendCallback(platform.http, providerId, body);
      return { eventId: body.eventId, status: response.status, recorded: response.body?.recorded, body: response.body };
    });
    expect(answers.filter((a) => a.status !== 200).slice(0, 5)).toEqual([]);
    // Each update recorded by exactly one of its two deliveries; the other answered 200 too, recording nothing.
    const recordedTimes = new Map<string, number>();
    for (const answer of answers) recordedTimes.set(answer.eventId, (recordedTimes.get(answer.eventId) ?? 0) + (answer.recorded === true ? 1 : 0));
    expect([...recordedTimes.values()].filter((n) => n !== 1)).toEqual([]);
    expect(recordedTimes.size).toBe(1500);

    const streams = await pool(subs, 20, (sub) => log.subOrder(sub.subOrderId));
    const checks = subs.map((sub, i) => checkReported(sub.subOrderId, streams[i]));
    expect(checks.filter((check) => JSON.stringify(check) !== JSON.stringify(everyStatusOnce(check.subOrderId)))).toEqual([]);
    // The shuffle did deliver updates out of order: some were recorded as ignored (backwards), none applied.
    const ignored = streams.flat().filter((e) => e.type === 'SubOrderStatusReported' && e.data.ignored).length;
    expect(ignored).toBeGreaterThan(100);
    // Every order is delivered, as its sub-orders give it; nothing was cancelled at any provider.
    for (const order of orders) {
      const statuses = await Promise.all(order.subOrders.map((sub) => log.status(sub.subOrderId)));
      expect({ orderId: order.orderId, status: orderStatus(statuses, { cancelRequested: false, cancelled: false }) }).toEqual({ orderId: order.orderId, status: 'delivered' });
      expect((await log.order(order.orderId)).map((e) => e.type)).toEqual(['OrderPlaced']);
    }
    // And as the customers read them.
    await eventually(async () => {
      const seen = await pool(orders, 10, async (order) => (await platform.http.get(`/orders/${order.orderId}`).set(bearer(staff.admin)).expect(200)).body.status);
      return seen.every((status) => status === 'delivered');
    }, 30_000, 'every order delivered in its read model');
    fakes.forEach((fake) => expect(fake.cancels).toEqual([]));
    for (const sub of subs) expect({ sub: sub.subOrderId, submits: fakes[providers.indexOf(sub.providerId)].submitsFor(sub.subOrderId) }).toEqual({ sub: sub.subOrderId, submits: 1 });
  }, 240_000);

  it('a callback with a bad signature is ORDERS_BAD_SIGNATURE (401) and records nothing', async () => {
    const order = await placeOne(platform.http, customers[0], [providers[0]]);
    const sub = order.subOrders[0].subOrderId;
    await eventually(async () => foldSubOrder(await log.subOrder(sub)).providerRef !== null, 20_000, 'submitted');
    const body = { eventId: `${sub}:accepted`, subOrderId: sub, status: 'accepted', at: new Date().toISOString() };
    const forged = await sendCallback(platform.http, providers[0], body, 'not-the-secret');
    expect({ status: forged.status, code: forged.body?.error?.code }).toEqual({ status: 401, code: 'ORDERS_BAD_SIGNATURE' });
    // Another provider's secret does not do either, even for a provider that does exist.
    const other = await sendCallback(platform.http, providers[1], body, SECRET + 'x');
    expect(other.status).toBe(401);
    expect(foldSubOrder(await log.subOrder(sub)).status).toBe('pending');
    // Signed right, it is recorded.
    const signed = await sendCallback(platform.http, providers[0], body);
    expect(signed.body).toEqual({ recorded: true, position: expect.any(String) });
    expect(foldSubOrder(await log.subOrder(sub)).status).toBe('accepted');
    // Its position reads the update back from the read model at once.
    const read = await platform.http.get(`/orders/${order.orderId}`).query({ after: signed.body.position }).set(bearer(customers[0])).expect(200);
    expect(read.body.subOrders[0].status).toBe('accepted');
  });

  it('hostile callback bodies are 400 naming the field (never 500) and record nothing; an unknown provider or sub-order records nothing either', async () => {
    const order = await placeOne(platform.http, customers[1], [providers[2]]);
    const sub = order.subOrders[0].subOrderId;
    await eventually(async () => foldSubOrder(await log.subOrder(sub)).providerRef !== null, 20_000, 'submitted');
    const good = { eventId: 'e-1', subOrderId: sub, status: 'accepted', at: '2027-02-01T10:00:00Z' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...good, status: 'eaten' }, 'status'],
      [{ ...good, status: 'pending' }, 'status'],
      [{ ...good, status: 'cancelled' }, 'status'],
      [{ ...good, status: undefined }, 'status'],
      [{ ...good, eventId: undefined }, 'eventId'],
      [{ ...good, eventId: '' }, 'eventId'],
      [{ ...good, eventId: 'x'.repeat(201) }, 'eventId'],
      [{ ...good, eventId: 7 }, 'eventId'],
      [{ ...good, at: 'yesterday' }, 'at'],
      [{ ...good, at: undefined }, 'at'],
      [{ ...good, subOrderId: 'not-a-uuid' }, 'subOrderId'],
      [{ ...good, subOrderId: undefined }, 'subOrderId'],
      [{ ...good, providerRef: 42 }, 'providerRef'],
      [{ ...good, orderId: order.orderId }, 'orderId'],
    ];
    for (const [body, field] of cases) {
      const response = await sendCallback(platform.http, providers[2], body);
      const fields = response.body?.error?.details?.fields ?? {};
      expect({ body, status: response.status, code: response.body?.error?.code, named: Object.keys(fields).includes(field) }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED', named: true });
    }
    const notJson = await platform.http.post(`/orders/providers/${providers[2]}/callbacks`).set('Content-Type', 'application/json').set('X-Signature', 'sha256=00').send('{"eventId":');
    expect(notJson.status).toBe(400);
    // A provider that does not exist is told no more than a bad signature.
    const ghost = await sendCallback(platform.http, '00000000-0000-4000-8000-000000000000', good);
    expect({ status: ghost.status, code: ghost.body?.error?.code }).toEqual({ status: 401, code: 'ORDERS_BAD_SIGNATURE' });
    // Another provider's sub-order is not found under this provider.
    const elsewhere = await sendCallback(platform.http, providers[0], good);
    expect({ status: elsewhere.status, code: elsewhere.body?.error?.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(foldSubOrder(await log.subOrder(sub)).status).toBe('pending');
    expect((await log.subOrder(sub)).map((e) => e.type)).toEqual(['SubOrderSubmitted']);
  });
});

/**
 * The worker dies (SIGKILL) in the middle of orders' progress and another takes over on the same
 * database: every order completes (delivered, or cancelled after a rejection), and no provider got a
 * second submit or a second cancel for any sub-order.
 */
describe('orders: a worker killed mid-way and restarted', () => {
  let database: TestDatabase;
  let api: TestApp;
  let staff: Staff;
  let customer: TestUser;
  let log: OrdersLog;
  let workers: AppProcesses;
  let fakes: FakeRestaurant[];

  const ENV = { ORDERS_POLL_AFTER_MS: '600000', ORDERS_RETRY_BASE_MS: '50', ORDERS_RETRY_MAX_MS: '200', EVENT_STORE_POLL_MS: '50' };

  beforeAll(async () => {
    database = await createTestDatabase('orders_takeover');
    Object.assign(process.env, IDENTITY_ENV);
    // The api in this process runs no worker: only the worker processes submit, step and compensate.
    api = await startTestApp({ imports: [ApiModule], contexts, database, env: ENV });
    workers = new AppProcesses(database.url, { ...IDENTITY_ENV, ...ENV, EVENT_STORE_POOL_SIZE: '4', READ_MODEL_POOL_SIZE: '2' });
    staff = await Staff.of(api.http);
    customer = await staff.hire('customer');
    log = new OrdersLog(api);
    fakes = await Promise.all([startFakeRestaurant(), startFakeRestaurant()]);
  }, 60_000);

  afterAll(async () => {
    await workers?.stop();
    await Promise.all((fakes ?? []).map((fake) => fake.close()));
    await api?.close({ keepDatabase: true });
    await database?.drop();
  }, 60_000);

  it('every order completes after the take-over; no provider is submitted or cancelled twice for a sub-order', async () => {
    const doomed = await workers.startWorker();
    const [h1, h2] = await Promise.all(fakes.map((fake) => registerProvider(api.http, staff.admin, { adapter: 'http', baseUrl: fake.baseUrl, acceptTimeoutSeconds: 600 })));
    // Simulated kitchens move on their own, on the worker's timers: accepted at once, then a step every
    // 1.5 s (the orders to be delivered), or never (the orders to be rejected, so their kitchen's part is
    // surely still there to cancel).
    const [kitchen, stuck] = await Promise.all([
      registerProvider(api.http, staff.admin, { simulation: { acceptAfterMs: 10, stepMs: 1500 }, acceptTimeoutSeconds: 600 }),
      registerProvider(api.http, staff.admin, { simulation: { acceptAfterMs: 10, stepMs: 600_000 }, acceptTimeoutSeconds: 600 }),
    ]);
    const orders: PlacedOrder[] = await pool(Array.from({ length: 10 }, (_, i) => i), 5, (i) => placeOne(api.http, customer, [h1, h2, i < 7 ? kitchen : stuck]));
    const kitchenOf = (order: PlacedOrder) => order.subOrders.find((sub) => sub.providerId === kitchen || sub.providerId === stuck)!.subOrderId;
    const http = (order: PlacedOrder) => [subOrderOf(order, h1), subOrderOf(order, h2)];
    await eventually(async () => {
      const states = await Promise.all(orders.flatMap((order) => order.subOrders.map(async (sub) => foldSubOrder(await log.subOrder(sub.subOrderId)))));
      return states.every((state) => state.providerRef !== null);
    }, 30_000, 'every sub-order submitted');

    // The worker dies while the simulated kitchen is half-way through the orders (one of them preparing).
    await eventually(async () => {
      const statuses = await Promise.all(orders.slice(0, 7).map((order) => log.status(kitchenOf(order))));
      return statuses.some((status) => status === 'preparing');
    }, 20_000, 'the kitchen preparing');
    doomed.child.kill('SIGKILL');
    await exited(doomed.child);
    const atKill = await Promise.all(orders.map(async (order) => log.status(kitchenOf(order))));
    expect(atKill.filter((status) => status === 'delivered')).toEqual([]);

    // While no worker runs, the http providers call back (the api records it): orders 0–6 all the way
    // to delivered; 7–9 rejected by the first provider, which the workflow must compensate for.
    for (const [i, order] of orders.entries()) {
      const [a, b] = http(order);
      const updates: [string, string, ProviderStatus][] = i < 7 ? FORWARD.flatMap((status) => [[h1, a, status], [h2, b, status]] as [string, string, ProviderStatus][]) : [[h1, a, 'rejected'], [h2, b, 'accepted']];
      for (const [providerId, subOrderId, status] of updates) {
        const response = await sendCallback(api.http, providerId, { eventId: `${subOrderId}:${status}`, subOrderId, status, at: new Date().toISOString() });
        expect(response.status).toBe(200);
      }
    }

    const successor = await workers.startWorker();
    for (const [i, order] of orders.entries()) {
      if (i < 7) {
        for (const sub of order.subOrders) await log.waitFor(sub.subOrderId, 'delivered', 30_000);
      } else {
        expect((await log.cancelled(order.orderId, 30_000)).data.reason).toBe('rejected');
      }
    }
    // Anything a redelivery would send twice has had time to be sent.
    await sleep(1500);

    for (const [i, order] of orders.entries()) {
      const [a, b] = http(order);
      const statuses = await Promise.all(order.subOrders.map((sub) => log.status(sub.subOrderId)));
      const events = await log.order(order.orderId);
      const status = orderStatus(statuses, { cancelRequested: false, cancelled: events.some((e) => e.type === 'OrderCancelled') });
      expect({ order: i, status }).toEqual({ order: i, status: i < 7 ? 'delivered' : 'cancelled' });
      // One submit per sub-order at each provider, the simulated one received once.
      expect({ order: i, submits: [fakes[0].submitsFor(a), fakes[1].submitsFor(b)] }).toEqual({ order: i, submits: [1, 1] });
      const kitchenSub = kitchenOf(order);
      const received = (await log.simulated(kitchenSub)).map((e) => e.type);
      // Cancels: none for a delivered order; for a rejected one, one for each other sub-order, none for the rejected.
      const refOf = (fake: FakeRestaurant, subOrderId: string) => fake.orderOf(subOrderId)!.providerRef;
      const cancels = [fakes[0].cancels.filter((ref) => ref === refOf(fakes[0], a)).length, fakes[1].cancels.filter((ref) => ref === refOf(fakes[1], b)).length];
      if (i < 7) {
        expect({ order: i, cancels, received }).toEqual({ order: i, cancels: [0, 0], received: ['SimulatedOrderReceived'] });
        expect(checkReported(kitchenSub, await log.subOrder(kitchenSub))).toEqual(everyStatusOnce(kitchenSub));
      } else {
        expect({ order: i, cancels, received }).toEqual({ order: i, cancels: [0, 1], received: ['SimulatedOrderReceived', 'SimulatedOrderCancelled'] });
        expect(events.filter((e) => e.type === 'OrderCancelled')).toHaveLength(1);
      }
    }
    expect(successor.lines().filter((line) => line.level >= 50)).toEqual([]);
  }, 120_000);
});

/**
 * A provider that takes a sub-order but whose answer to the submit is lost (it answers after the
 * call timed out), and then calls back: the sub-order still learns the provider's reference, so
 * the platform can poll it when later callbacks are late.
 */
describe('orders: a callback before the submit’s answer', () => {
  let platform: TestApp;
  let staff: Staff;
  let customer: TestUser;
  let log: OrdersLog;
  let fake: FakeRestaurant;
  let providerId: string;

  beforeAll(async () => {
    platform = await startPlatform({
      env: {
        ORDERS_HTTP_TIMEOUT_MS: '200',
        ORDERS_HTTP_ATTEMPTS: '1',
        ORDERS_RETRY_BASE_MS: '100',
        ORDERS_RETRY_MAX_MS: '300',
        ORDERS_POLL_AFTER_MS: '300',
        ORDERS_CIRCUIT_FAILURES: '1000',
        EVENT_STORE_POLL_MS: '50',
      },
    });
    staff = await Staff.of(platform.http);
    customer = await staff.hire('customer');
    log = new OrdersLog(platform);
    fake = await startFakeRestaurant({ delayMs: 1000 });
    providerId = await registerProvider(platform.http, staff.admin, { adapter: 'http', baseUrl: fake.baseUrl, acceptTimeoutSeconds: 600 });
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    await platform?.close();
  });

  it('an accepted callback that overtakes a timed-out submit: the sub-order is submitted again for its providerRef, and polled', async () => {
    const order = await placeOne(platform.http, customer, [providerId]);
    const sub = order.subOrders[0].subOrderId;
    // The restaurant made the order, but the platform's submit timed out before its answer.
    const made = await eventually(async () => {
      const failed = (await log.subOrder(sub)).some((e) => e.type === 'SubOrderSubmitFailed');
      return failed ? fake.orderOf(sub) : undefined;
    }, 20_000, 'a submit that timed out at a restaurant that made the order');
    const accepted = await sendCallback(platform.http, providerId, { eventId: `${sub}:accepted`, subOrderId: sub, providerRef: made.providerRef, status: 'accepted', at: new Date().toISOString() });
    expect(accepted.body).toEqual({ recorded: true, position: expect.any(String) });
    fake.delayMs = 0;
    // Its next callbacks are lost: only a poll can tell the platform the order is ready.
    fake.setStatus(made.providerRef, 'ready');
    await log.waitFor(sub, 'ready', 15_000);
    expect(foldSubOrder(await log.subOrder(sub)).providerRef).toBe(made.providerRef);
  }, 40_000);
});
