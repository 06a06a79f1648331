import { randomUUID } from 'node:crypto';
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

type Json = Record<string, any>;

const SUB_ORDER_ROAD = ['pending', 'accepted', 'preparing', 'ready', 'picked_up', 'delivered'];
const ORDER_ROAD = ['placed', 'confirmed', 'preparing', 'ready', 'delivering', 'delivered'];

/** A client of GET /orders/:orderId/events over real HTTP, parsing the events as they arrive. */
class StreamClient {
  readonly events: { event?: string; id?: string; data?: string }[] = [];
  raw = '';
  readonly ended: Promise<void>;
  private buffer = '';
  private constructor(
    readonly response: IncomingMessage,
    private readonly request: ClientRequest,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.read(chunk));
    this.ended = new Promise((resolve) => response.on('end', resolve).on('close', resolve));
  }

  static open(port: number, path: string, headers: Record<string, string>): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path, headers: { Accept: 'text/event-stream', ...headers } }, (response) => resolve(new StreamClient(response, request)));
      request.on('error', reject);
      request.end();
    });
  }

  orders(): { id: string; data: Json }[] {
    return this.events.filter((e) => e.event === 'order.updated').map((e) => ({ id: e.id!, data: JSON.parse(e.data!) }));
  }

  close(): void {
    this.request.destroy();
  }

  private read(chunk: string): void {
    this.raw += chunk;
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: { event?: string; id?: string; data?: string } = {};
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        if (field === 'event') event.event = value;
        if (field === 'id') event.id = value;
        if (field === 'data') event.data = event.data === undefined ? value : `${event.data}\n${value}`;
      }
      if (Object.keys(event).length > 0) this.events.push(event);
    }
  }
}

describe('orders: reading orders, cancelling, following one live', () => {
  let platform: TestApp;
  let staff: Staff;
  let ann: TestUser;
  let bob: TestUser;
  let port: number;
  const clients: StreamClient[] = [];
  const http = () => platform.http;

  beforeAll(async () => {
    platform = await startPlatform();
    port = (platform.app.getHttpServer().address() as AddressInfo).port;
    staff = await Staff.of(platform.http);
    [ann, bob] = [await staff.hire('customer'), await staff.hire('customer')];
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await platform?.close();
  });

  /** A simulated provider with a menu of one item, "a" at 2.50, and one of "b" at 10.05. */
  async function provider(simulation: object, name = `P ${randomUUID().slice(0, 6)}`): Promise<string> {
    const { body } = await http().post('/orders/providers').set(bearer(staff.admin)).send({ name, adapter: 'simulated', secret: 'secret-123', simulation }).expect(201);
    await http()
      .put(`/orders/providers/${body.providerId}/menu`)
      .set(bearer(staff.admin))
      .send({ items: [{ sku: 'a', name: 'A', price: '2.50' }, { sku: 'b', name: 'B', price: '10.05' }] })
      .expect(200);
    return body.providerId;
  }

  async function place(customer: TestUser, providerIds: string[]): Promise<Json> {
    const items = providerIds.map((providerId) => ({ providerId, sku: 'a', quantity: 2 }));
    return (await http().post('/orders').set(bearer(customer)).send({ items, deliveryAddress: 'Ice Street 1' }).expect(201)).body;
  }

  const get = (orderId: string, as: TestUser, after?: string) => http().get(`/orders/${orderId}${after ? `?after=${after}` : ''}`).set(bearer(as));

  async function orderWhen(orderId: string, as: TestUser, done: (order: Json) => boolean, what: string): Promise<Json> {
    return eventually(async () => {
      const { body } = await get(orderId, as).expect(200);
      return done(body) ? body : null;
    }, 30_000, what);
  }

  const subOrderStatuses = (order: Json, subOrderId: string) => order.history.filter((h: Json) => h.subOrderId === subOrderId && !h.ignored).map((h: Json) => h.status);
  const orderStatuses = (order: Json) => order.history.filter((h: Json) => h.subOrderId === undefined).map((h: Json) => h.status);

  it('an order read right after it is placed is placed, its sub-orders pending; as they move it follows them to delivered, every change in its history', async () => {
    const [p1, p2] = [await provider({ acceptAfterMs: 40, stepMs: 40 }, 'Pasta Place'), await provider({ acceptAfterMs: 90, stepMs: 25 }, 'Sushi Spot')];
    const placed = await place(ann, [p1, p2]);
    const [s1, s2] = placed.subOrders.map((s: Json) => s.subOrderId);

    const { body: first } = await get(placed.orderId, ann, placed.position).expect(200);
    expect(first).toMatchObject({
      orderId: placed.orderId,
      customerId: ann.userId,
      total: '10.00',
      deliveryAddress: 'Ice Street 1',
      items: [
        { providerId: p1, sku: 'a', name: 'A', price: '2.50', quantity: 2 },
        { providerId: p2, sku: 'a', name: 'A', price: '2.50', quantity: 2 },
      ],
      subOrders: [
        { subOrderId: s1, providerId: p1, providerName: 'Pasta Place' },
        { subOrderId: s2, providerId: p2, providerName: 'Sushi Spot' },
      ],
    });
    expect(first.history.slice(0, 3)).toEqual([
      { at: first.createdAt, status: 'placed' },
      { at: first.createdAt, status: 'pending', subOrderId: s1 },
      { at: first.createdAt, status: 'pending', subOrderId: s2 },
    ]);
    expect(ORDER_ROAD).toContain(first.status);

    const delivered = await orderWhen(placed.orderId, ann, (o) => o.status === 'delivered', 'the order to be delivered');
    for (const sub of delivered.subOrders) {
      expect(sub).toMatchObject({ status: 'delivered', providerRef: expect.any(String), attempts: 1, lastError: null });
      // The simulated provider moves one status at a time: each is in the history once, in order.
      expect(subOrderStatuses(delivered, sub.subOrderId)).toEqual(SUB_ORDER_ROAD);
    }
    // The order's own statuses only move forward, from placed to delivered.
    const own: string[] = orderStatuses(delivered);
    expect(own[0]).toBe('placed');
    expect(own.at(-1)).toBe('delivered');
    const ranks = own.map((s) => ORDER_ROAD.indexOf(s));
    expect(ranks).toEqual([...new Set(ranks)].sort((a, b) => a - b));
    expect(own).toContain('delivering');
    // Each change of the order's status is recorded where the sub-order change that caused it is.
    const atOf = (status: string) => delivered.history.find((h: Json) => h.subOrderId === undefined && h.status === status).at;
    const lastDelivered = delivered.history.filter((h: Json) => h.status === 'delivered' && h.subOrderId).map((h: Json) => h.at).sort().at(-1);
    expect(atOf('delivered')).toBe(lastDelivered);

    const { body: mine } = await http().get('/orders/mine').set(bearer(ann)).expect(200);
    expect(mine.items.find((o: Json) => o.orderId === placed.orderId)).toEqual(delivered);
  });

  it('an order is its customer’s and the admins’: another customer, an unknown id, a list of all orders are refused', async () => {
    const p = await provider({ acceptAfterMs: 3_600_000, stepMs: 1000 });
    const placed = await place(ann, [p]);
    await get(placed.orderId, ann, placed.position).expect(200);
    expect((await get(placed.orderId, staff.admin, placed.position).expect(200)).body.orderId).toBe(placed.orderId);
    expect((await get(placed.orderId, bob, placed.position).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await get(randomUUID(), ann).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await get('not-an-id', ann).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    await http().get(`/orders/${placed.orderId}`).expect(401);
    expect((await http().post(`/orders/${placed.orderId}/cancel`).set(bearer(bob)).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await http().get(`/orders/mine?after=${placed.position}`).set(bearer(bob)).expect(200)).body.items.map((o: Json) => o.orderId)).not.toContain(placed.orderId);
    await http().get('/orders').set(bearer(ann)).expect(403);
    expect((await http().get(`/orders?status=placed&after=${placed.position}`).set(bearer(staff.admin)).expect(200)).body.items.map((o: Json) => o.orderId)).toContain(placed.orderId);
    expect((await http().get('/orders?status=lost').set(bearer(staff.admin)).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    const follower = await StreamClient.open(port, `/orders/${placed.orderId}/events`, bearer(bob));
    clients.push(follower);
    await follower.ended;
    expect(follower.response.statusCode).toBe(404);
    expect(JSON.parse(follower.raw).error.code).toBe('NOT_FOUND');
  });

  it('lists the providers with their menus, prices as decimal strings, to anyone logged in', async () => {
    const p = await provider({ acceptAfterMs: 10, stepMs: 10 }, 'Menu Test');
    const written = await http().put(`/orders/providers/${p}/menu`).set(bearer(staff.admin)).send({ items: [{ sku: 'x', name: 'X', price: '7.5' }] }).expect(200);
    const { body } = await http().get(`/orders/providers?after=${written.body.position}`).set(bearer(bob)).expect(200);
    expect(body.find((row: Json) => row.providerId === p)).toEqual({ providerId: p, name: 'Menu Test', adapter: 'simulated', menu: [{ sku: 'x', name: 'X', price: '7.50' }] });
    await http().get('/orders/providers').expect(401);
  });

  it('pages a customer’s orders and an admin’s list newest first; a made-up cursor is refused', async () => {
    const carl = await staff.hire('customer');
    const p = await provider({ acceptAfterMs: 3_600_000, stepMs: 1000 });
    const ids: string[] = [];
    let last = '';
    for (let i = 0; i < 5; i++) {
      const placed = await place(carl, [p]);
      ids.push(placed.orderId);
      last = placed.position;
    }
    const newestFirst = [...ids].reverse();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=2&after=${last}${cursor ? `&cursor=${cursor}` : ''}`;
      const { body } = await http().get(`/orders/mine${query}`).set(bearer(carl)).expect(200);
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((o: Json) => o.orderId));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(newestFirst);

    const { body: page } = await http().get(`/orders?status=placed&limit=3&after=${last}`).set(bearer(staff.admin)).expect(200);
    expect(page.items.map((o: Json) => o.orderId)).toEqual(newestFirst.slice(0, 3));
    expect(page.items.every((o: Json) => o.status === 'placed')).toBe(true);
    const { body: next } = await http().get(`/orders?status=placed&limit=3&cursor=${page.nextCursor}`).set(bearer(staff.admin)).expect(200);
    expect(next.items.map((o: Json) => o.orderId).slice(0, 2)).toEqual(newestFirst.slice(3));
    expect((await http().get('/orders/mine?cursor=bm90LWEtcG9zaXRpb24').set(bearer(carl)).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await http().get('/orders/mine?limit=0').set(bearer(carl)).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a cancel answers the order cancelling; once its sub-orders are cancelled at their providers it is cancelled', async () => {
    const [p1, p2] = [await provider({ acceptAfterMs: 20, stepMs: 3_600_000 }), await provider({ acceptAfterMs: 3_600_000, stepMs: 1000 })];
    const placed = await place(ann, [p1, p2]);
    await orderWhen(placed.orderId, ann, (o) => o.subOrders[0].status === 'accepted', 'the first sub-order to be accepted');

    const { body: cancelling } = await http().post(`/orders/${placed.orderId}/cancel`).set(bearer(ann)).expect(200);
    expect(cancelling.orderId).toBe(placed.orderId);
    expect(['cancelling', 'cancelled']).toContain(cancelling.status);
    expect(orderStatuses(cancelling)).toContain('cancelling');

    const cancelled = await orderWhen(placed.orderId, ann, (o) => o.status === 'cancelled', 'the order to be cancelled');
    expect(cancelled.subOrders.map((s: Json) => s.status)).toEqual(['cancelled', 'cancelled']);
    expect(orderStatuses(cancelled).slice(-2)).toEqual(['cancelling', 'cancelled']);
    // Cancelling again answers the order as it is.
    expect((await http().post(`/orders/${placed.orderId}/cancel`).set(bearer(staff.admin)).expect(200)).body.status).toBe('cancelled');
  });

  it('a cancel once a sub-order is picked up is ORDERS_TOO_LATE_TO_CANCEL, and the order goes on', async () => {
    const p = await provider({ acceptAfterMs: 10, stepMs: 60 });
    const placed = await place(ann, [p]);
    await orderWhen(placed.orderId, ann, (o) => ['picked_up', 'delivered'].includes(o.subOrders[0].status), 'the sub-order to be picked up');
    const { body } = await http().post(`/orders/${placed.orderId}/cancel`).set(bearer(ann)).expect(409);
    expect(body.error.code).toBe('ORDERS_TOO_LATE_TO_CANCEL');
    const delivered = await orderWhen(placed.orderId, ann, (o) => o.status === 'delivered', 'the order to be delivered');
    expect(orderStatuses(delivered)).not.toContain('cancelling');
  });

  it('the live stream starts with the order now and sends it again at each change, in order, until delivered', async () => {
    const p = await provider({ acceptAfterMs: 300, stepMs: 150 });
    const placed = await place(bob, [p]);
    await get(placed.orderId, bob, placed.position).expect(200);
    const stream = await StreamClient.open(port, `/orders/${placed.orderId}/events?after=${placed.position}`, bearer(bob));
    clients.push(stream);
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);

    await eventually(async () => (stream.orders().some((o) => o.data.status === 'delivered') ? true : null), 30_000, 'the stream to send the order delivered');
    const updates = stream.orders();
    expect(updates[0].data.orderId).toBe(placed.orderId);
    // Each update is newer than the one before, and says so in its id.
    const positions = updates.map((u) => u.data.position);
    expect(updates.map((u) => u.id)).toEqual(positions);
    expect([...positions].sort()).toEqual(positions);
    expect(new Set(positions).size).toBe(positions.length);
    // The sub-order's statuses as the stream showed them move forward only, and it saw it delivered.
    const seen = updates.map((u) => SUB_ORDER_ROAD.indexOf(u.data.subOrders[0].status));
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBeGreaterThan(2);
    // The last update is the order as GET answers it.
    const { body: now } = await get(placed.orderId, bob).expect(200);
    expect(updates.at(-1)!.data).toEqual(now);
  });

  it('at shutdown an open stream ends and the app stops promptly', async () => {
    const p = await provider({ acceptAfterMs: 3_600_000, stepMs: 1000 });
    const placed = await place(ann, [p]);
    const stream = await StreamClient.open(port, `/orders/${placed.orderId}/events?after=${placed.position}`, bearer(ann));
    clients.push(stream);
    await eventually(async () => (stream.orders().length > 0 ? true : null), 20_000, 'the order now');
    expect(stream.orders()[0].data).toMatchObject({ orderId: placed.orderId, status: 'placed' });
    const started = Date.now();
    await platform.close();
    await stream.ended;
    expect(Date.now() - started).toBeLessThan(5_000);
    platform = undefined as unknown as TestApp;
  });
});
