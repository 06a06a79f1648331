import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { IdentityModule } from '../libs/identity/src/identity.module';
import { OperationsModule } from '../apps/api/operations/operations.module';
import { WorkerModule } from '../apps/worker/worker.module';
import { countingProjection } from './fixtures/counting-projection';
import { accessTokenFor } from './fixtures/identity-tokens.fixture';
import { TickModule } from './fixtures/tick-module';
import { POISON_TICK, TickAlarms, TickReactionsModule, tickReactionsContext } from './fixtures/tick-reactions';
import { startTestApp, type TestApp } from './support/test-app';
import { eventually } from './support/wait';

// The /projections endpoints are for admins; the identity module that guards them reads this.
process.env.JWT_SECRET = 'operations-e2e-secret';

/** The HTTP conventions every context relies on, through a test-only context (`/test-ticks`). */
describe('HTTP platform: operations endpoints, errors, metadata, read-your-writes', () => {
  let app: TestApp;
  let admin: { Authorization: string };

  beforeAll(async () => {
    app = await startTestApp({
      imports: [IdentityModule, OperationsModule, WorkerModule, TickModule, TickReactionsModule],
      contexts: [tickReactionsContext],
      projections: [countingProjection()],
      env: { METRICS_TOKEN: 'operations-metrics', PROCESS_MANAGER_RETRY_MS: '20', PROCESS_MANAGER_MAX_RETRY_MS: '100' },
    });
    admin = { Authorization: `Bearer ${await accessTokenFor(app.app)}` };
  });
  afterAll(() => app.close());

  it('GET /health answers 200 with the state of the database, the event store and the projections', async () => {
    const response = await app.http.get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      details: { database: { status: 'ok' }, eventStore: { status: 'ok' }, projections: { status: 'ok' } },
    });
  });

  it('a command answers with its position, and a query with ?after= sees the write', async () => {
    const stream = randomUUID();
    const first = await app.http.post(`/test-ticks/${stream}`).send({ n: 2 }).expect(201);
    const second = await app.http.post(`/test-ticks/${stream}`).send({ n: 3 }).expect(201);
    expect(typeof second.body.position).toBe('string');
    expect(second.body.position > first.body.position).toBe(true);
    const read = await app.http.get(`/test-ticks/${stream}`).query({ after: second.body.position }).expect(200);
    expect(read.body).toEqual({ count: 2, total: 5 });
  });

  it('X-Trace-Key is echoed and stored, with the correlation id, in the metadata of every event the request writes', async () => {
    const traceKey = randomUUID();
    const stream = randomUUID();
    const response = await app.http.post(`/test-ticks/${stream}`).set('X-Trace-Key', traceKey).send({ n: 1 }).expect(201);
    expect(response.headers['x-trace-key']).toBe(traceKey);
    const store = app.app.get<EventStore>(EVENT_STORE);
    const [event] = await store.readStream(`tick-${stream}`);
    expect(event.metadata).toMatchObject({ traceKey, correlationId: response.headers['x-correlation-id'] });
  });

  it('a request without X-Trace-Key gets a generated one', async () => {
    const response = await app.http.get('/health').expect(200);
    expect(response.headers['x-trace-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a malformed X-Trace-Key is refused with 400 VALIDATION_FAILED and writes nothing', async () => {
    const stream = randomUUID();
    const response = await app.http.post(`/test-ticks/${stream}`).set('X-Trace-Key', 'not-a-uuid').send({ n: 1 }).expect(400);
    expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: { 'X-Trace-Key': expect.any(Array) } } });
    expect(await app.app.get<EventStore>(EVENT_STORE).readStream(`tick-${stream}`)).toEqual([]);
  });

  it('bad input is 400 VALIDATION_FAILED naming the fields, never a 500', async () => {
    for (const body of [{}, { n: 'seven' }, { n: 1.5 }, { n: 5000 }]) {
      const response = await app.http.post(`/test-ticks/${randomUUID()}`).send(body).expect(400);
      expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: { n: expect.any(Array) } } });
    }
    const unknownField = await app.http.post(`/test-ticks/${randomUUID()}`).send({ n: 1, extra: true }).expect(400);
    expect(unknownField.body.error.details.fields).toHaveProperty('extra');
    const malformed = await app.http.post(`/test-ticks/${randomUUID()}`).set('Content-Type', 'application/json').send('{"n":').expect(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a broken business rule is the domain error code with its status and details', async () => {
    const response = await app.http.post(`/test-ticks/${randomUUID()}`).send({ n: -1 }).expect(422);
    expect(response.body).toEqual({ error: { code: 'TICK_NOT_POSITIVE', message: 'A tick must be positive', details: { n: -1 } } });
  });

  it('unknown ids and paths are 404 NOT_FOUND in the error body', async () => {
    const stream = randomUUID();
    const position = (await app.http.post(`/test-ticks/${randomUUID()}`).send({ n: 1 }).expect(201)).body.position;
    expect((await app.http.get(`/test-ticks/${stream}`).query({ after: position }).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await app.http.get('/no-such-path').expect(404)).body.error.code).toBe('NOT_FOUND');
  });

  it('?after= that is not a position is 400 VALIDATION_FAILED', async () => {
    const response = await app.http.get(`/test-ticks/${randomUUID()}`).query({ after: 'yesterday' }).expect(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('GET /projections reports each projection with its version, status, position and lag', async () => {
    const position = (await app.http.post(`/test-ticks/${randomUUID()}`).send({ n: 1 }).expect(201)).body.position;
    await eventually(async () => {
      const response = await app.http.get('/projections').set(admin).expect(200);
      expect(response.body).toEqual([
        expect.objectContaining({ name: 'tick_counts', version: 1, status: 'running', lagEvents: 0, lagSeconds: 0, lastError: null }),
      ]);
      expect(response.body[0].position >= position).toBe(true);
      return true;
    });
  });

  it('POST /projections/:name/rebuild answers 202 and the read model keeps answering while it rebuilds', async () => {
    const stream = randomUUID();
    const position = (await app.http.post(`/test-ticks/${stream}`).send({ n: 4 }).expect(201)).body.position;
    await app.http.get(`/test-ticks/${stream}`).query({ after: position }).expect(200);
    await app.http.post('/projections/tick_counts/rebuild').set(admin).expect(202);
    expect((await app.http.get(`/test-ticks/${stream}`).expect(200)).body).toEqual({ count: 1, total: 4 });
    await eventually(async () => {
      const [report] = (await app.http.get('/projections').set(admin).expect(200)).body;
      expect(report).toMatchObject({ status: 'running', rebuild: null });
      return true;
    });
    expect((await app.http.get(`/test-ticks/${stream}`).expect(200)).body).toEqual({ count: 1, total: 4 });
  });

  it('retry of a projection that is not halted is 409 PROJECTION_NOT_HALTED', async () => {
    const response = await app.http.post('/projections/tick_counts/retry').set(admin).expect(409);
    expect(response.body.error).toMatchObject({ code: 'PROJECTION_NOT_HALTED', details: { projection: 'tick_counts' } });
  });

  it('rebuild and retry of an unknown projection are 404 NOT_FOUND', async () => {
    expect((await app.http.post('/projections/nope/rebuild').set(admin).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await app.http.post('/projections/nope/retry').set(admin).expect(404)).body.error.code).toBe('NOT_FOUND');
  });

  it('GET /process-managers reports each process manager with its status, position, lag and attempts', async () => {
    const position = (await app.http.post(`/test-ticks/${randomUUID()}`).send({ n: 1 }).expect(201)).body.position;
    const report = await eventually(async () => {
      const [alarms] = (await app.http.get('/process-managers').set(admin).expect(200)).body;
      return alarms.position >= position ? alarms : null;
    });
    expect(report).toEqual({ name: 'tick-alarms', status: 'running', position: expect.any(String), lagEvents: 0, lagSeconds: 0, attempts: 0, lastError: null, failingEvent: null });
    expect((await app.http.get('/process-managers').expect(401)).body.error.code).toBe('UNAUTHENTICATED');
  });

  it('a process manager stuck on an event is retrying, and POST /process-managers/:name/skip moves it past exactly that event', async () => {
    const stream = randomUUID();
    const poison = (await app.http.post(`/test-ticks/${stream}`).send({ n: POISON_TICK }).expect(201)).body.position;
    // Same stream: it waits behind the poison.
    const behind = (await app.http.post(`/test-ticks/${stream}`).send({ n: 7 }).expect(201)).body.position;
    const stuck = await eventually(async () => {
      const [alarms] = (await app.http.get('/process-managers').set(admin).expect(200)).body;
      return alarms.attempts >= 2 ? alarms : null;
    });
    expect(stuck).toMatchObject({
      status: 'retrying',
      lagEvents: 2,
      lastError: `tick ${POISON_TICK} cannot be handled`,
      failingEvent: { eventId: expect.any(String), type: 'Tick', position: poison, skipRequested: false },
    });
    expect(stuck.position < poison).toBe(true);
    const text = (await app.http.get('/metrics').set('Authorization', 'Bearer operations-metrics').expect(200)).text;
    expect(text).toMatch(/process_manager_lag_events\{process_manager="tick-alarms"\} 2\n/);
    expect(text).toMatch(/process_manager_lag_seconds\{process_manager="tick-alarms"\} \d/);
    expect(text).toMatch(/process_manager_failed_attempts\{process_manager="tick-alarms"\} [1-9]/);

    for (const body of [{}, { confirm: false }, { confirm: 'yes' }, { confirm: true, also: 1 }]) {
      const refused = await app.http.post('/process-managers/tick-alarms/skip').set(admin).send(body).expect(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await app.http.post('/process-managers/nope/skip').set(admin).send({ confirm: true }).expect(404)).body.error.code).toBe('NOT_FOUND');
    const skipped = await app.http.post('/process-managers/tick-alarms/skip').set(admin).send({ confirm: true }).expect(202);
    expect(skipped.body).toEqual({ name: 'tick-alarms', eventId: stuck.failingEvent.eventId, type: 'Tick', position: poison });

    const moved = await eventually(async () => {
      const [alarms] = (await app.http.get('/process-managers').set(admin).expect(200)).body;
      return alarms.position >= behind ? alarms : null;
    });
    expect(moved).toMatchObject({ status: 'running', attempts: 0, lastError: null, failingEvent: null, lagEvents: 0 });
    const handled = app.app.get(TickAlarms).handled;
    expect(handled).toContain(7);
    expect(handled).not.toContain(POISON_TICK);
    const again = await app.http.post('/process-managers/tick-alarms/skip').set(admin).send({ confirm: true }).expect(409);
    expect(again.body.error).toMatchObject({ code: 'PROCESS_MANAGER_NOT_FAILING', details: { processManager: 'tick-alarms' } });
  });

  it('GET /metrics has the request histogram, command counters, append latency and projection lag', async () => {
    await app.http.post(`/test-ticks/${randomUUID()}`).send({ n: 1 }).expect(201);
    await app.http.post(`/test-ticks/${randomUUID()}`).send({ n: -1 }).expect(422);
    await app.http.get('/projections').set(admin).expect(200);
    const text = (await app.http.get('/metrics').set('Authorization', 'Bearer operations-metrics').expect(200).expect('Content-Type', /text\/plain/)).text;
    expect(text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/test-ticks\/:stream".*\}/);
    expect(text).toMatch(/commands_total\{type="Tick",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/commands_total\{type="Tick",outcome="rejected"\} [1-9]/);
    expect(text).toMatch(/eventstore_append_duration_seconds_count [1-9]/);
    expect(text).toMatch(/projection_lag_events\{projection="tick_counts"\} \d/);
    expect(text).toMatch(/projection_lag_seconds\{projection="tick_counts"\} \d/);
    expect(text).toMatch(/process_manager_lag_events\{process_manager="tick-alarms"\} \d/);
    expect(text).toMatch(/process_manager_lag_seconds\{process_manager="tick-alarms"\} \d/);
  });

  it('GET /docs serves the OpenAPI UI and /docs-json the document with every route', async () => {
    expect((await app.http.get('/docs/').expect(200)).text).toContain('swagger');
    const document = (await app.http.get('/docs-json').expect(200)).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/health', '/projections', '/process-managers', '/process-managers/{name}/skip', '/test-ticks/{stream}']),
    );
    expect(document.paths['/test-ticks/{stream}'].get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'after' })]));
  });
});

describe('read-your-writes past the bound', () => {
  let app: TestApp;

  beforeAll(async () => {
    // No worker: the read model never reaches the position, so the wait must give up.
    app = await startTestApp({
      imports: [IdentityModule, OperationsModule, TickModule],
      projections: [countingProjection()],
      env: { CONSISTENCY_TIMEOUT_MS: '300' },
    });
  });
  afterAll(() => app.close());

  it('answers 503 READ_MODEL_LAGGING with Retry-After once CONSISTENCY_TIMEOUT_MS has passed', async () => {
    const stream = randomUUID();
    const position = (await app.http.post(`/test-ticks/${stream}`).send({ n: 1 }).expect(201)).body.position;
    const response = await app.http.get(`/test-ticks/${stream}`).query({ after: position }).expect(503);
    expect(response.body.error.code).toBe('READ_MODEL_LAGGING');
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('/health stays 200 while a projection merely lags', async () => {
    await app.http.get('/health').expect(200);
  });
});
