import { randomUUID } from 'node:crypto';
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppliedPostingsFeed } from '../libs/ledger/src/application/stream-postings/applied-postings-feed';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { setUpLedger } from './fixtures/ledger.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

const TODAY = new Date().toISOString().slice(0, 10);

interface SseEvent {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

/** A client of GET /ledger/stream over real HTTP, parsing the events as they arrive. */
class StreamClient {
  readonly events: SseEvent[] = [];
  /** Everything received, for an answer that is not a stream. */
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

  static open(port: number, query: string, headers: Record<string, string>): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: `/ledger/stream${query}`, headers: { Accept: 'text/event-stream', ...headers } }, (response) =>
        resolve(new StreamClient(response, request)),
      );
      request.on('error', reject);
      request.end();
    });
  }

  postings(): Array<{ id: string; data: Record<string, unknown> }> {
    return this.events.filter((e) => e.event === 'posting.applied').map((e) => ({ id: e.id!, data: JSON.parse(e.data!) }));
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
      const event: SseEvent = {};
      for (const line of block.split('\n')) {
        if (line === '') continue;
        if (line.startsWith(':')) event.comment = line.slice(1).trim();
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

/** GET /ledger/stream: the postings the balances come to include, as server-sent events. */
describe('ledger: stream of applied postings', () => {
  let platform: TestApp;
  let staff: Staff;
  let accountant: TestUser;
  let worker: TestUser;
  let port: number;
  const clients: StreamClient[] = [];
  const http = () => platform.http;

  const open = async (query: string, as: TestUser | null, headers: Record<string, string> = {}) => {
    const client = await StreamClient.open(port, query, { ...(as ? bearer(as) : {}), ...headers });
    clients.push(client);
    return client;
  };
  const post = async (account: string, amount: string) => {
    const body = { traceKey: randomUUID(), branch: 'S1', account, amount, debitCredit: 'C', eventCode: 1, description: `to ${account}`, dateRef: TODAY };
    await http().post('/ledger/postings').set(bearer(accountant)).send(body).expect(201);
    return body.traceKey;
  };

  beforeAll(async () => {
    platform = await startPlatform();
    port = (platform.app.getHttpServer().address() as AddressInfo).port;
    staff = await Staff.of(platform.http);
    [accountant, worker] = await Promise.all([staff.hire('accountant'), staff.hire('worker')]);
    await setUpLedger(http(), staff.admin, { accounts: [['S1', 'A1'], ['S1', 'A2']] });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await platform?.close();
  });

  it('one account’s stream gets exactly its postings as posting.applied, with their status; the all-stream gets both accounts’', async () => {
    const one = await open('?branch=S1&account=A1', accountant);
    const all = await open('', staff.admin);
    expect(one.response.statusCode).toBe(200);
    expect(one.response.headers['content-type']).toMatch(/^text\/event-stream/);
    const a1 = [await post('A1', '1.00'), await post('A1', '2.50')];
    const a2 = [await post('A2', '3.00')];
    await eventually(async () => (all.postings().length >= 3 && one.postings().length >= 2 ? true : null), 20_000, 'the postings to be streamed');
    // The one that came last to the all-stream has surely passed the account's stream too.
    await eventually(async () => (all.postings().some((p) => p.data.traceKey === a2[0]) ? true : null), 20_000, 'A2 to be streamed');

    // In the order the balances came to include them, which need not be the order they were accepted in.
    expect(one.postings().map((p) => p.data.traceKey).sort()).toEqual([...a1].sort());
    expect(all.postings().map((p) => p.data.traceKey).sort()).toEqual([...a1, ...a2].sort());
    const first = one.postings().find((p) => p.data.traceKey === a1[0])!;
    const status = await eventually(async () => {
      const { body } = await http().get(`/ledger/postings/${a1[0]}`).set(bearer(accountant)).expect(200);
      return body.status === 'applied' ? body : null;
    });
    expect(first.data).toEqual({
      postingId: expect.any(String),
      traceKey: a1[0],
      branch: 'S1',
      account: 'A1',
      amount: '1.00',
      debitCredit: 'C',
      eventCode: 1,
      description: 'to A1',
      details: {},
      dateRef: TODAY,
      status: 'applied',
      acceptedAt: expect.stringMatching(/Z$/),
      appliedAt: expect.stringMatching(/Z$/),
    });
    // Exactly what GET /ledger/postings/:traceKey answers once the read model has it.
    expect(first.data).toEqual(status);
    expect(first.id).toMatch(/^[0-9a-f]{16}-[0-9a-f]{16}$/);
    // Ids are log positions, in log order.
    const ids = all.postings().map((p) => p.id);
    expect([...ids].sort()).toEqual(ids);
    // Both clients were fed by one subscription, and leaving releases them.
    const feed = platform.app.get(AppliedPostingsFeed) as unknown as { listeners: Set<unknown> };
    expect(feed.listeners.size).toBe(2);
    one.close();
    all.close();
    await eventually(async () => (feed.listeners.size === 0 ? true : null), 5_000, 'the clients that left to be released');
  });

  it('Last-Event-ID resumes just after that event: what was missed, then what comes', async () => {
    const watcher = await open('?branch=S1&account=A2', accountant);
    const before = await post('A2', '4.00');
    await eventually(async () => (watcher.postings().some((p) => p.data.traceKey === before) ? true : null), 20_000, 'the first posting');
    const lastId = watcher.postings().find((p) => p.data.traceKey === before)!.id;
    watcher.close();
    const missed = await post('A2', '5.00');
    await post('A1', '6.00');
    await eventually(async () => ((await http().get(`/ledger/postings/${missed}`).set(bearer(accountant))).body.status === 'applied' ? true : null), 20_000, 'the missed posting to be applied');
    const resumed = await open('?branch=S1&account=A2', accountant, { 'Last-Event-ID': lastId });
    const after = await post('A2', '7.00');
    await eventually(async () => (resumed.postings().some((p) => p.data.traceKey === after) ? true : null), 20_000, 'the posting after resuming');
    expect(resumed.postings().map((p) => p.data.traceKey)).toEqual([missed, after]);
    const ids = resumed.postings().map((p) => p.id);
    expect(ids[0] > lastId && ids[1] > ids[0]).toBe(true);
  });

  it('401 without a token, 403 to a worker, 400 for a branch without an account (or the reverse) or a Last-Event-ID it never sent', async () => {
    const statusOf = async (query: string, as: TestUser | null, headers: Record<string, string> = {}) => {
      const client = await open(query, as, headers);
      if (client.response.statusCode !== 200) await client.ended;
      client.close();
      return { status: client.response.statusCode, code: client.response.statusCode === 200 ? undefined : JSON.parse(client.raw || '{}').error?.code };
    };
    expect(await statusOf('', null)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await statusOf('', worker)).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await statusOf('?branch=S1', accountant)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await statusOf('?account=A1', accountant)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await statusOf('?branch=S1&account=bad%20name', accountant)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await statusOf('', accountant, { 'Last-Event-ID': 'nonsense' })).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('at shutdown an open stream ends and the app stops promptly', async () => {
    const open1 = await open('', accountant);
    const started = Date.now();
    await platform.close();
    await open1.ended;
    expect(Date.now() - started).toBeLessThan(5_000);
    platform = undefined as unknown as TestApp;
  });
});
