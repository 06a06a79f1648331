import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { postings, setUpLedger } from './fixtures/ledger.fixture';
import { projectionsSettled } from './fixtures/projections.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

const TODAY = new Date().toISOString().slice(0, 10);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Small backoffs so retries happen within a test; four attempts before a dead letter; a long timeout, so a receiver that hangs holds its requests for the whole test. */
const ENV = {
  LEDGER_WEBHOOK_BACKOFF_MS: '50',
  LEDGER_WEBHOOK_MAX_BACKOFF_MS: '200',
  LEDGER_WEBHOOK_MAX_ATTEMPTS: '4',
  LEDGER_WEBHOOK_TIMEOUT_MS: '120000',
};

/** What a receiver answers a request: a status (with an optional Retry-After), a dropped connection, or nothing at all. */
type Answer = { status: number; retryAfter?: string } | 'drop' | 'hang';

interface Received {
  deliveryId: string;
  timestamp: string;
  signed: boolean;
  body: { type: string; data: Record<string, unknown> };
  /** This delivery id's how-manieth request (1 for the first). */
  nth: number;
}

/** A client system's webhook endpoint: a real HTTP server that checks every signature and answers as `answer` says. */
class Receiver {
  readonly requests: Received[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private readonly seen = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    private readonly secret: string,
    public answer: (request: Received) => Answer,
  ) {
    server.on('request', (request, response) => this.receive(request, response));
  }

  static async start(secret: string, answer: (request: Received) => Answer): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new Receiver(server, secret, answer);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/ledger-events`;
  }

  /** Requests answered now with no answer yet. */
  get held(): number {
    return this.hanging.size;
  }

  /** The trace keys of the postings it answered 2xx for. */
  delivered(): Set<string> {
    return new Set(this.requests.filter((r) => this.answered2xx.has(r)).map((r) => r.body.data.traceKey as string));
  }

  private readonly answered2xx = new Set<Received>();

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(raw).digest('hex')}`);
      const given = Buffer.from(String(request.headers['x-signature'] ?? ''));
      const deliveryId = String(request.headers['x-delivery-id'] ?? '');
      const nth = (this.seen.get(deliveryId) ?? 0) + 1;
      this.seen.set(deliveryId, nth);
      const received: Received = {
        deliveryId,
        timestamp: String(request.headers['x-timestamp'] ?? ''),
        signed: given.length === expected.length && timingSafeEqual(given, expected),
        body: JSON.parse(raw.toString('utf8')),
        nth,
      };
      this.requests.push(received);
      const answer = this.answer(received);
      if (answer === 'drop') return void response.socket?.destroy();
      if (answer === 'hang') return void this.hanging.add(response);
      if (answer.status >= 200 && answer.status < 300) this.answered2xx.add(received);
      response.writeHead(answer.status, answer.retryAfter === undefined ? {} : { 'Retry-After': answer.retryAfter }).end();
    });
  }
}

/** Webhooks (POST /ledger/webhooks and its deliveries): signed, retried with backoff, dead letters, manual retry, lanes per webhook. */
describe('ledger: webhooks', () => {
  let platform: TestApp;
  let staff: Staff;
  let accountant: TestUser;
  const receivers: Receiver[] = [];
  const http = () => platform.http;
  const posting = postings({ branch: 'W1', account: 'A1', amount: '1.00', description: 'webhook test', dateRef: TODAY });

  const receiver = async (secret: string, answer: (request: Received) => Answer) => {
    const started = await Receiver.start(secret, answer);
    receivers.push(started);
    return started;
  };
  const registered: string[] = [];
  const register = async (url: string, secret: string): Promise<string> => {
    const { body } = await http().post('/ledger/webhooks').set(bearer(staff.admin)).send({ url, secret }).expect(201);
    expect(body).toEqual({ webhookId: expect.stringMatching(UUID), position: expect.any(String) });
    registered.push(body.webhookId);
    return body.webhookId;
  };
  /** `count` postings, half one by one and half in one batch, sent at once; their trace keys. */
  const post = async (count: number): Promise<string[]> => {
    const bodies = Array.from({ length: count }, (_, i) => posting({ amount: `${i + 1}.00` }));
    const single = bodies.slice(0, Math.ceil(count / 2));
    const batch = bodies.slice(single.length);
    await Promise.all([
      ...single.map((body) => http().post('/ledger/postings').set(bearer(accountant)).send(body).expect(201)),
      batch.length > 0 ? http().post('/ledger/postings/batch').set(bearer(accountant)).send({ items: batch }).expect(200) : Promise.resolve(),
    ]);
    return bodies.map((body) => body.traceKey);
  };
  const deliveries = async (webhookId: string, query = ''): Promise<Array<Record<string, unknown>>> =>
    (await http().get(`/ledger/webhooks/${webhookId}/deliveries${query}`).set(bearer(staff.admin)).expect(200)).body;
  /** The webhook's deliveries of `traceKeys`, once every one of them has the status `status`. */
  const settled = (webhookId: string, traceKeys: readonly string[], status: string, timeoutMs = 30_000) =>
    eventually(
      async () => {
        const mine = (await deliveries(webhookId)).filter((d) => traceKeys.includes(d.traceKey as string));
        return mine.length === traceKeys.length && mine.every((d) => d.status === status) ? mine : null;
      },
      timeoutMs,
      `${traceKeys.length} deliveries to be ${status}`,
    );

  beforeAll(async () => {
    platform = await startPlatform({ env: ENV });
    staff = await Staff.of(platform.http);
    accountant = await staff.hire('accountant');
    await setUpLedger(http(), staff.admin, { accounts: [['W1', 'A1']] });
  });

  afterAll(async () => {
    await platform?.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('only an admin registers a webhook, with an http(s) URL and a secret', async () => {
    await http().post('/ledger/webhooks').set(bearer(accountant)).send({ url: 'http://127.0.0.1:9/x', secret: 's' }).expect(403);
    for (const body of [
      { url: 'ftp://127.0.0.1/x', secret: 's' },
      { url: 'not a url', secret: 's' },
      { url: 'http://127.0.0.1:9/x', secret: '' },
      { url: 'http://127.0.0.1:9/x' },
      { url: 'http://127.0.0.1:9/x', secret: 42 },
      { url: 'http://user:password@127.0.0.1:9/x', secret: 's' },
    ]) {
      const { body: error } = await http().post('/ledger/webhooks').set(bearer(staff.admin)).send(body).expect(400);
      expect({ body, code: error.error.code }).toEqual({ body, code: 'VALIDATION_FAILED' });
    }
    await http().get('/ledger/webhooks/00000000-0000-4000-8000-000000000000/deliveries').set(bearer(staff.admin)).expect(404);
    await http().get('/ledger/webhooks/not-a-uuid/deliveries').set(bearer(staff.admin)).expect(400);
    await http().get('/ledger/webhooks/00000000-0000-4000-8000-000000000000/deliveries?status=lost').set(bearer(staff.admin)).expect(400);
  });

  it('a receiver that fails for a while (503 with Retry-After, a dropped connection, a 429) still gets every posting, every request signed', async () => {
    const secret = 'flaky secret';
    // Each delivery's first three requests fail, each differently; the fourth (the last allowed) is answered 200.
    const flaky = await receiver(secret, ({ nth }) =>
      nth === 1 ? { status: 503, retryAfter: '0' } : nth === 2 ? 'drop' : nth === 3 ? { status: 429 } : { status: 200 },
    );
    const webhookId = await register(flaky.url, secret);
    const traceKeys = await post(30);

    const done = await settled(webhookId, traceKeys, 'delivered');
    expect(done.every((d) => d.attempts === 4 && d.lastError === null && typeof d.lastAttemptAt === 'string' && d.nextAttemptAt === null)).toBe(true);
    expect([...flaky.delivered()].sort()).toEqual([...traceKeys].sort());
    expect(flaky.requests.every((r) => r.signed)).toBe(true);
    for (const request of flaky.requests) {
      expect(request.deliveryId).toMatch(UUID);
      expect(new Date(request.timestamp).toISOString()).toBe(request.timestamp);
      expect(request.body).toEqual({
        type: 'posting.applied',
        data: expect.objectContaining({ branch: 'W1', account: 'A1', status: 'applied', appliedAt: expect.any(String), amount: expect.stringMatching(/^\d+\.00$/) }),
      });
    }
    // One delivery id per posting, the same on each of its attempts.
    const ids = new Map<string, Set<string>>();
    for (const r of flaky.requests) ids.set(r.body.data.traceKey as string, (ids.get(r.body.data.traceKey as string) ?? new Set()).add(r.deliveryId));
    expect([...ids.values()].every((set) => set.size === 1)).toBe(true);
    expect(new Set(done.map((d) => d.deliveryId))).toEqual(new Set(flaky.requests.map((r) => r.deliveryId)));
    expect((await deliveries(webhookId, '?status=pending')).filter((d) => traceKeys.includes(d.traceKey as string))).toEqual([]);
    // The body a receiver got is the posting's status, as GET /ledger/postings/:traceKey answers it.
    const sample = flaky.requests.find((r) => r.body.data.traceKey === traceKeys[0])!;
    const { body: status } = await http().get(`/ledger/postings/${traceKeys[0]}`).set(bearer(accountant)).expect(200);
    expect(sample.body.data).toEqual(status);
  });

  it('a 4xx fails at once and lists as failed; a manual retry sends it again at once; a delivered one cannot be retried', async () => {
    const secret = 'refusing secret';
    const refusing = await receiver(secret, () => ({ status: 400 }));
    const earlier = await post(1);
    await eventually(async () => (await http().get(`/ledger/postings/${earlier[0]}`).set(bearer(accountant)).expect(200)).body.status === 'applied');
    const webhookId = await register(refusing.url, secret);
    const [traceKey] = await post(1);

    const [failed] = await settled(webhookId, [traceKey], 'failed');
    expect(failed).toMatchObject({ traceKey, status: 'failed', attempts: 1, lastError: 'HTTP 400', nextAttemptAt: null });
    expect((await deliveries(webhookId, '?status=failed')).map((d) => d.traceKey)).toContain(traceKey);
    // A webhook gets the postings applied after it was registered, none before.
    expect((await deliveries(webhookId)).map((d) => d.traceKey)).not.toContain(earlier[0]);

    refusing.answer = () => ({ status: 204 });
    const { body: accepted } = await http().post(`/ledger/webhooks/${webhookId}/deliveries/${failed.deliveryId}/retry`).set(bearer(staff.admin)).expect(202);
    expect(accepted).toEqual({ deliveryId: failed.deliveryId, position: expect.any(String) });
    const [delivered] = await settled(webhookId, [traceKey], 'delivered');
    expect(delivered).toMatchObject({ attempts: 2, lastError: null });
    expect(refusing.delivered()).toContain(traceKey);

    const { body: conflict } = await http().post(`/ledger/webhooks/${webhookId}/deliveries/${failed.deliveryId}/retry`).set(bearer(staff.admin)).expect(409);
    expect(conflict.error.code).toBe('LEDGER_WEBHOOK_DELIVERY_DELIVERED');
    await http().post(`/ledger/webhooks/${webhookId}/deliveries/00000000-0000-4000-8000-000000000000/retry`).set(bearer(staff.admin)).expect(404);
    await http().post(`/ledger/webhooks/${webhookId}/deliveries/${failed.deliveryId}/retry`).set(bearer(accountant)).expect(403);
  });

  it('a delivery that fails every attempt is a dead letter after the last; a manual retry tries once more', async () => {
    const secret = 'down secret';
    const down = await receiver(secret, () => ({ status: 503 }));
    const webhookId = await register(down.url, secret);
    const [traceKey] = await post(1);

    const [dead] = await settled(webhookId, [traceKey], 'failed');
    expect(dead).toMatchObject({ attempts: 4, lastError: 'HTTP 503', nextAttemptAt: null });
    expect(down.requests.filter((r) => r.body.data.traceKey === traceKey)).toHaveLength(4);

    await http().post(`/ledger/webhooks/${webhookId}/deliveries/${dead.deliveryId}/retry`).set(bearer(staff.admin)).expect(202);
    await eventually(
      async () => ((await deliveries(webhookId, '?status=failed')).find((d) => d.deliveryId === dead.deliveryId && d.attempts === 5) ? true : null),
      30_000,
      'the retried dead letter to fail again',
    );
    expect(down.requests.filter((r) => r.body.data.traceKey === traceKey)).toHaveLength(5);
  });

  it('a receiver that never answers holds up neither the postings nor another webhook', async () => {
    const stuck = await receiver('stuck secret', () => 'hang');
    await register(stuck.url, 'stuck secret');
    const healthy = await receiver('healthy secret', () => ({ status: 200 }));
    const healthyId = await register(healthy.url, 'healthy secret');
    const traceKeys = await post(40);

    await settled(healthyId, traceKeys, 'delivered');
    expect([...healthy.delivered()].sort()).toEqual(expect.arrayContaining([...traceKeys].sort()));
    // Every posting is applied, and the stuck receiver still holds requests it has not answered (its timeout is two minutes).
    for (const traceKey of traceKeys) expect((await http().get(`/ledger/postings/${traceKey}`).set(bearer(accountant)).expect(200)).body.status).toBe('applied');
    expect(stuck.held).toBeGreaterThan(0);
    expect(stuck.requests.length).toBeLessThanOrEqual(stuck.held);
    // At most LEDGER_WEBHOOK_CONCURRENCY (8 by default) in flight for one webhook.
    expect(stuck.held).toBeLessThanOrEqual(8);
  });

  it('rebuilding the webhooks read model from the log gives the same deliveries', async () => {
    const before = new Map<string, Array<Record<string, unknown>>>();
    for (const webhookId of registered) before.set(webhookId, await deliveries(webhookId));
    await http().post('/projections/ledger_webhooks/rebuild').set(bearer(staff.admin)).expect(202);
    await projectionsSettled(http(), staff.admin, ['ledger_webhooks']);
    // The lanes go on meanwhile (the stuck receiver holds its requests): compare what no lane changes any more, the settled deliveries.
    for (const webhookId of registered) {
      const settled = before.get(webhookId)!.filter((d) => d.status !== 'pending');
      const ids = new Set(settled.map((d) => d.deliveryId));
      expect((await deliveries(webhookId)).filter((d) => ids.has(d.deliveryId))).toEqual(settled);
    }
    expect([...before.values()].flat().filter((d) => d.status !== 'pending').length).toBeGreaterThan(30);
  });

  it('a delivery in flight when the worker stops is sent again by the next one: pending is what the log says, not a process’s memory', async () => {
    const secret = 'restart secret';
    const later = await receiver(secret, () => 'hang');
    const webhookId = await register(later.url, secret);
    const traceKeys = await post(5);
    await eventually(async () => (later.held >= traceKeys.length ? true : null), 30_000, 'every delivery to be in flight');

    const { database } = platform;
    await platform.close({ keepDatabase: true });
    later.answer = () => ({ status: 200 });
    platform = await startPlatform({ env: ENV, database });

    await settled(webhookId, traceKeys, 'delivered');
    expect([...later.delivered()].sort()).toEqual([...traceKeys].sort());
    // The stopped worker's attempts were cut off before any answer, so they left no record: the first recorded attempt delivered.
    expect((await deliveries(webhookId)).filter((d) => traceKeys.includes(d.traceKey as string)).every((d) => d.attempts === 1)).toBe(true);
  });
});
