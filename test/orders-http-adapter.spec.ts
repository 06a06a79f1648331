import { randomUUID } from 'node:crypto';
import { PlatformMetrics } from '@app/core';
import { HttpProviderAdapter, type HttpProviderSettings } from '../libs/orders/src/application/adapters/http-provider.adapter';
import type { ProviderInfo, SubOrderRequest } from '../libs/orders/src/application/adapters/provider-adapter';
import { ProviderMetrics } from '../libs/orders/src/application/adapters/provider-metrics';
import { type FakeRestaurant, startFakeRestaurant } from './fixtures/fake-restaurant';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { streamEvents } from './fixtures/ticketing-log.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

const SETTINGS: HttpProviderSettings = { httpTimeoutMs: 400, httpAttempts: 3, httpBackoffMs: 10, circuitFailures: 3, circuitOpenMs: 300 };

function providerAt(fake: FakeRestaurant): ProviderInfo {
  return {
    providerId: randomUUID(),
    name: 'Pinguino',
    adapter: 'http',
    baseUrl: fake.baseUrl,
    secret: 'secret-123',
    acceptTimeoutSeconds: 60,
    simulation: null,
    registeredAt: new Date().toISOString(),
  };
}

function subOrder(providerId: string): SubOrderRequest {
  return {
    subOrderId: randomUUID(),
    orderId: randomUUID(),
    items: [{ providerId, sku: 'krill', name: 'Krill roll', priceCents: 250, quantity: 2 }],
    deliveryAddress: 'Ice 1',
  };
}

function settled(promise: Promise<unknown>): { done: boolean } {
  const state = { done: false };
  promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}

describe('the http provider adapter against a fake restaurant', () => {
  let fake: FakeRestaurant;
  let registry: PlatformMetrics['registry'];
  let adapter: HttpProviderAdapter;

  beforeEach(async () => {
    fake = await startFakeRestaurant();
    const platformMetrics = new PlatformMetrics();
    registry = platformMetrics.registry;
    adapter = new HttpProviderAdapter(SETTINGS, new ProviderMetrics(platformMetrics));
  });

  afterEach(async () => {
    adapter.beforeApplicationShutdown();
    await fake.close();
  });

  async function metric(name: string, labels: Record<string, string>): Promise<number> {
    const { values } = await registry.getSingleMetric(name)!.get();
    const matching = values.filter((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted));
    return matching.reduce((sum, value) => sum + value.value, 0);
  }

  it('submits the sub-order with its Idempotency-Key and gets the reference, also from a provider answering slowly', async () => {
    fake.delayMs = 150;
    const provider = providerAt(fake);
    const sub = subOrder(provider.providerId);
    const { providerRef } = await adapter.submit(provider, sub);
    const order = fake.orderOf(sub.subOrderId)!;
    expect(providerRef).toBe(order.providerRef);
    expect(order.idempotencyKey).toBe(sub.subOrderId);
    expect(order.body).toEqual({ subOrderId: sub.subOrderId, items: [{ sku: 'krill', name: 'Krill roll', quantity: 2, price: '2.50' }], deliveryAddress: 'Ice 1' });
    expect(await metric('orders_provider_call_duration_seconds', { provider: provider.providerId, call: 'submit', le: '+Inf' })).toBe(1);
  });

  it('retries a failing provider within the call, and the provider makes one order for the key', async () => {
    const provider = providerAt(fake);
    const sub = subOrder(provider.providerId);
    fake.failNext(2);
    const first = await adapter.submit(provider, sub);
    expect(fake.submitsFor(sub.subOrderId)).toBe(3);
    // The workflow's own retry of the same submit later: the same reference, still one order.
    const again = await adapter.submit(provider, sub);
    expect(again).toEqual(first);
    expect(fake.orders().filter((order) => order.idempotencyKey === sub.subOrderId)).toHaveLength(1);
    expect(await metric('orders_provider_failures_total', { provider: provider.providerId, call: 'submit', reason: 'status' })).toBe(2);
  });

  it('fails a call the provider does not answer in time, saying so', async () => {
    fake.hang();
    const provider = providerAt(fake);
    await expect(adapter.submit(provider, subOrder(provider.providerId))).rejects.toThrow('submit: no answer within 400 ms (3 attempts)');
    expect(await metric('orders_provider_failures_total', { provider: provider.providerId, reason: 'timeout' })).toBe(3);
  });

  it('does not retry a 400, and fails with its status', async () => {
    const provider = providerAt(fake);
    const sub = subOrder(provider.providerId);
    fake.failNext(1, 400);
    await expect(adapter.submit(provider, sub)).rejects.toThrow(/^submit: HTTP 400.*\(not retried\)$/);
    expect(fake.submitsFor(sub.subOrderId)).toBe(1);
  });

  it('does not wait within the call for a Retry-After longer than its timeout', async () => {
    const provider = providerAt(fake);
    const sub = subOrder(provider.providerId);
    fake.failNext(1, 503, { 'retry-after': '120' });
    await expect(adapter.submit(provider, sub)).rejects.toThrow('submit: HTTP 503, retry after 120 s');
    expect(fake.submitsFor(sub.subOrderId)).toBe(1);
  });

  it('opens the circuit after calls failed in a row (each after its retries), fails fast while open, then lets one trial through that closes it', async () => {
    const provider = providerAt(fake);
    const labels = { provider: provider.providerId };
    fake.failNext(SETTINGS.circuitFailures * SETTINGS.httpAttempts);
    for (let call = 1; call <= SETTINGS.circuitFailures; call++) {
      expect(await metric('orders_provider_circuit_state', labels)).toBe(0);
      await expect(adapter.submit(provider, subOrder(provider.providerId))).rejects.toThrow(`submit: HTTP 500 (${SETTINGS.httpAttempts} attempts)`);
    }
    expect(await metric('orders_provider_circuit_state', labels)).toBe(2);

    const requests = fake.requests();
    await expect(adapter.poll(provider, { subOrderId: randomUUID(), providerRef: 'any' })).rejects.toThrow(/^poll: circuit open \(calls to this provider fail at once for \d+ ms more\)$/);
    expect(fake.requests()).toBe(requests);
    expect(await metric('orders_provider_failures_total', { ...labels, call: 'poll', reason: 'circuit_open' })).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, SETTINGS.circuitOpenMs + 50));
    expect(await metric('orders_provider_circuit_state', labels)).toBe(1);
    const sub = subOrder(provider.providerId);
    await adapter.submit(provider, sub);
    expect(fake.submitsFor(sub.subOrderId)).toBe(1);
    expect(await metric('orders_provider_circuit_state', labels)).toBe(0);
  });

  it('a flaky provider, whose calls succeed on a retry, is not taken for a dead one: its circuit stays closed', async () => {
    const provider = providerAt(fake);
    for (let call = 0; call < SETTINGS.circuitFailures * 3; call++) {
      fake.failNext(SETTINGS.httpAttempts - 1);
      const sub = subOrder(provider.providerId);
      await expect(adapter.submit(provider, sub)).resolves.toEqual({ providerRef: expect.any(String) });
      expect(fake.submitsFor(sub.subOrderId)).toBe(SETTINGS.httpAttempts);
    }
    expect(await metric('orders_provider_circuit_state', { provider: provider.providerId })).toBe(0);
  });

  it('a dead provider does not hold up the calls to another', async () => {
    const dead = await startFakeRestaurant();
    dead.hang();
    try {
      const deadProvider = providerAt(dead);
      const calls = Array.from({ length: 10 }, () => adapter.submit(deadProvider, subOrder(deadProvider.providerId)));
      const pending = calls.map(settled);
      const alive = providerAt(fake);
      for (let i = 0; i < 3; i++) await adapter.submit(alive, subOrder(alive.providerId));
      expect(pending.some((call) => call.done)).toBe(false);
      expect(fake.orders()).toHaveLength(3);
      await Promise.allSettled(calls);
      expect(pending.every((call) => call.done)).toBe(true);
    } finally {
      await dead.close();
    }
  });

  it('cancels: done, already cancelled and unknown are cancelled; too late fails', async () => {
    const provider = providerAt(fake);
    const sub = subOrder(provider.providerId);
    const { providerRef } = await adapter.submit(provider, sub);
    await adapter.cancel(provider, { subOrderId: sub.subOrderId, providerRef });
    expect(fake.orderOf(sub.subOrderId)!.status).toBe('cancelled');
    await adapter.cancel(provider, { subOrderId: sub.subOrderId, providerRef }); // 409 { status: cancelled }
    await adapter.cancel(provider, { subOrderId: randomUUID(), providerRef: 'fr-unknown' }); // 404
    expect(fake.cancels).toEqual([providerRef, providerRef, 'fr-unknown']);

    const late = subOrder(provider.providerId);
    const lateRef = (await adapter.submit(provider, late)).providerRef;
    fake.setStatus(lateRef, 'picked_up');
    await expect(adapter.cancel(provider, { subOrderId: late.subOrderId, providerRef: lateRef })).rejects.toThrow("cancel: refused (HTTP 409, the provider's order is picked_up)");
  });

  it('polls the status the provider reports, and an unknown one is an error', async () => {
    const provider = providerAt(fake);
    const sub = subOrder(provider.providerId);
    const { providerRef } = await adapter.submit(provider, sub);
    expect(await adapter.poll(provider, { subOrderId: sub.subOrderId, providerRef })).toEqual({ status: 'pending' });
    fake.setStatus(providerRef, 'ready');
    expect(await adapter.poll(provider, { subOrderId: sub.subOrderId, providerRef })).toEqual({ status: 'ready' });
    fake.setStatus(providerRef, 'on_the_moon');
    await expect(adapter.poll(provider, { subOrderId: sub.subOrderId, providerRef })).rejects.toThrow('poll: unknown status "on_the_moon"');
    expect(await metric('orders_provider_failures_total', { provider: provider.providerId, call: 'poll', reason: 'answer' })).toBe(1);
  });
});

describe('orders through an http provider (e2e)', () => {
  const SECRET = 'pinguino-secret-123';
  let fake: FakeRestaurant;
  let platform: TestApp;
  let staff: Staff;
  let customer: TestUser;
  let platformUrl: string;

  beforeAll(async () => {
    fake = await startFakeRestaurant();
    platform = await startPlatform({
      env: { ORDERS_POLL_AFTER_MS: '300', ORDERS_HTTP_TIMEOUT_MS: '1000', ORDERS_HTTP_BACKOFF_MS: '20', ORDERS_RETRY_BASE_MS: '100', METRICS_TOKEN: 'orders-metrics' },
    });
    platformUrl = await platform.app.getUrl();
    staff = await Staff.of(platform.http);
    customer = await staff.hire('customer');
  });

  afterAll(async () => {
    await platform?.close();
    await fake?.close();
  });

  async function httpProvider(): Promise<string> {
    const { body } = await platform.http.post('/orders/providers').set(bearer(staff.admin)).send({ name: `Pinguino ${randomUUID().slice(0, 4)}`, adapter: 'http', baseUrl: fake.baseUrl, secret: SECRET }).expect(201);
    await platform.http.put(`/orders/providers/${body.providerId}/menu`).set(bearer(staff.admin)).send({ items: [{ sku: 'krill', name: 'Krill roll', price: '2.50' }] }).expect(200);
    return body.providerId;
  }

  async function placeOrder(providerId: string): Promise<string> {
    const placed = await platform.http.post('/orders').set(bearer(customer)).send({ items: [{ providerId, sku: 'krill', quantity: 2 }], deliveryAddress: 'Ice 1' }).expect(201);
    return placed.body.subOrders[0].subOrderId;
  }

  const reports = async (subOrderId: string) => (await streamEvents(platform, `orders-suborder-${subOrderId}`)).filter((e) => e.type === 'SubOrderStatusReported');

  it('submits the sub-order once, and the provider’s signed callbacks carry it to delivered', async () => {
    const providerId = await httpProvider();
    const subOrderId = await placeOrder(providerId);
    const submitted = await eventually(async () => (await streamEvents(platform, `orders-suborder-${subOrderId}`)).find((e) => e.type === 'SubOrderSubmitted'), 20_000, 'submitted');
    expect(submitted.data.providerRef).toBe(fake.orderOf(subOrderId)!.providerRef);
    expect(fake.submitsFor(subOrderId)).toBe(1);
    expect(fake.orderOf(subOrderId)!.body).toMatchObject({ subOrderId, deliveryAddress: 'Ice 1', items: [{ sku: 'krill', quantity: 2, price: '2.50' }] });

    const target = { platformUrl, providerId, secret: SECRET };
    expect(await fake.callback(target, { subOrderId, status: 'accepted' })).toMatchObject({ status: 200 });
    for (const status of ['preparing', 'ready', 'picked_up', 'delivered']) {
      expect((await fake.callback(target, { providerRef: submitted.data.providerRef, status })).status).toBe(200);
    }
    const delivered = await eventually(async () => (await reports(subOrderId)).find((e) => e.data.status === 'delivered'), 20_000, 'delivered');
    expect(delivered.data.source).toBe('callback');
    // The callback answers no position to read after: the order's read model catches up.
    await eventually(async () => (await platform.http.get(`/orders/${submitted.data.orderId}`).set(bearer(customer)).expect(200)).body.status === 'delivered', 20_000, 'the order delivered');

    const forged = await fake.callback(target, { subOrderId, status: 'rejected' }, { signWith: 'not-the-secret' });
    expect(forged).toEqual({ status: 401, body: { error: expect.objectContaining({ code: 'ORDERS_BAD_SIGNATURE' }) } });
    expect(fake.submitsFor(subOrderId)).toBe(1);

    const metrics = (await platform.http.get('/metrics').set('Authorization', 'Bearer orders-metrics').expect(200)).text;
    expect(metrics).toMatch(new RegExp(`orders_provider_call_duration_seconds_count\\{provider="${providerId}",call="submit"\\} 1`));
    expect(metrics).toContain(`orders_provider_circuit_state{provider="${providerId}"} 0`);
  });

  it('polls the provider when its callbacks are late, and records what it reports', async () => {
    const providerId = await httpProvider();
    const subOrderId = await placeOrder(providerId);
    const order = await eventually(async () => fake.orderOf(subOrderId), 20_000, 'the order at the restaurant');
    fake.setStatus(order.providerRef, 'accepted');
    const accepted = await eventually(async () => (await reports(subOrderId)).find((e) => e.data.status === 'accepted'), 20_000, 'accepted by poll');
    expect(accepted.data.source).toBe('poll');
    fake.setStatus(order.providerRef, 'delivered');
    const delivered = await eventually(async () => (await reports(subOrderId)).find((e) => e.data.status === 'delivered'), 20_000, 'delivered by poll');
    expect(delivered.data.source).toBe('poll');
    expect(fake.submitsFor(subOrderId)).toBe(1);
  });
});
