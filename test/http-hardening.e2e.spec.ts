import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { IdentityModule } from '../libs/identity/src/identity.module';
import { MetricsServer } from '../apps/api/operations/metrics.controller';
import { OperationsModule } from '../apps/api/operations/operations.module';
import { WorkerModule } from '../apps/worker/worker.module';
import { countingProjection } from './fixtures/counting-projection';
import { accessTokenFor } from './fixtures/identity-tokens.fixture';
import { TickModule } from './fixtures/tick-module';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';
import { eventually } from './support/wait';

process.env.JWT_SECRET = 'http-hardening-e2e-secret';

const MODULES = [IdentityModule, OperationsModule, WorkerModule, TickModule];

/** What a hostile client can send at the HTTP layer that every endpoint shares, through a test-only context. */
describe('HTTP hardening: the body parser policy, text, headers, metrics and health', () => {
  let app: TestApp;
  let admin: { Authorization: string };
  const notes = () => app.app.get<EventStore>(EVENT_STORE);

  beforeAll(async () => {
    app = await startTestApp({ imports: MODULES, projections: [countingProjection()], env: { METRICS_TOKEN: 'scrape-me', HTTP_BODY_LIMIT_BYTES: '4096' } });
    admin = { Authorization: `Bearer ${await accessTokenFor(app.app)}` };
  });
  afterAll(() => app.close());

  describe('only application/json bodies', () => {
    it('a text/plain body where JSON is expected is 415 UNSUPPORTED_MEDIA_TYPE and does nothing', async () => {
      const stream = randomUUID();
      const response = await app.http.post(`/test-ticks/${stream}`).set('Content-Type', 'text/plain').send('{"n":1}').expect(415);
      expect(response.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const form = await app.http.post(`/test-ticks/${stream}`).type('form').send({ n: '1' }).expect(415);
      expect(form.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await notes().readStream(`tick-${stream}`)).toEqual([]);
    });

    it('no body at all where one is expected is 415 too', async () => {
      expect((await app.http.post(`/test-ticks/${randomUUID()}`).expect(415)).body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('malformed JSON, a JSON array or a bare string is 400 VALIDATION_FAILED with details.reason', async () => {
      for (const raw of ['{"n":', '[{"n":1}]', '"n"', 'null']) {
        const response = await app.http.post(`/test-ticks/${randomUUID()}`).set('Content-Type', 'application/json').send(raw).expect(400);
        expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { reason: expect.any(String) } });
      }
    });

    it('JSON nested 2,000 levels deep is 400 naming the depth, not a stack overflow', async () => {
      const deep = `{"n":${'['.repeat(2000)}${']'.repeat(2000)}}`;
      const response = await app.http.post(`/test-ticks/${randomUUID()}`).set('Content-Type', 'application/json').send(deep).expect(400);
      expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { reason: expect.stringMatching(/deeper than 32/) } });
    });

    it('a body over HTTP_BODY_LIMIT_BYTES is 413 PAYLOAD_TOO_LARGE in the error body', async () => {
      const response = await app.http.post(`/test-notes/${randomUUID()}`).send({ title: 'big', text: 'x'.repeat(5000) }).expect(413);
      expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('text', () => {
    it.each([
      ['NUL', { title: 'a\u0000b', text: '' }, 'title'],
      ['a lone surrogate', { title: 'ok', text: 'a\ud800b' }, 'text'],
      ['NUL in a key', { title: 'ok', text: '', ['x\u0000']: 1 }, '(body)'],
      ['a control character', { title: 'a\u0007b', text: '' }, 'title'],
      ['a newline in a one-line field', { title: 'a\nb', text: '' }, 'title'],
      ['a carriage return in a multi-line field', { title: 'ok', text: 'a\rb' }, 'text'],
      ['nothing but blanks', { title: ' \t ', text: '' }, 'title'],
      ['more than the longest', { title: 'x'.repeat(21), text: '' }, 'title'],
      ['a number', { title: 12, text: '' }, 'title'],
    ])('%s is 400 VALIDATION_FAILED naming the field, and nothing is written', async (_, body, field) => {
      const stream = randomUUID();
      const response = await app.http.post(`/test-notes/${stream}`).send(body).expect(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(response.body.error.details.fields)).toContain(field);
      expect(await notes().readStream(`note-${stream}`)).toEqual([]);
    });

    it('is trimmed; tab and newline pass where several lines are allowed; paired surrogates are text', async () => {
      const stream = randomUUID();
      await app.http.post(`/test-notes/${stream}`).send({ title: '  beak 🐦  ', text: 'line one\n\tline two' }).expect(201);
      const [event] = await notes().readStream(`note-${stream}`);
      expect(event.data).toEqual({ title: 'beak 🐦', text: 'line one\n\tline two' });
    });

    it('an X-Correlation-Id of 8 KB is 400 and stored nowhere; a plain one is kept in the metadata', async () => {
      const stream = randomUUID();
      const response = await app.http.post(`/test-ticks/${stream}`).set('X-Correlation-Id', 'a'.repeat(8192)).send({ n: 1 }).expect(400);
      expect(response.body.error.details.fields).toHaveProperty('X-Correlation-Id');
      expect(response.headers['x-correlation-id']).toBeUndefined();
      expect(await notes().readStream(`tick-${stream}`)).toEqual([]);
      await app.http.post(`/test-ticks/${stream}`).set('X-Correlation-Id', 'order-42:retry.1').send({ n: 1 }).expect(201);
      expect((await notes().readStream(`tick-${stream}`))[0].metadata.correlationId).toBe('order-42:retry.1');
    });
  });

  describe('headers', () => {
    it('no X-Powered-By, and helmet’s security headers on every answer', async () => {
      const response = await app.http.get('/health').expect(200);
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' });
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    });

    it('with CORS off a preflight is answered without any Access-Control header', async () => {
      const response = await app.http.options('/test-ticks/x').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST').expect(204);
      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    });
  });

  describe('what Node refuses before the app', () => {
    async function raw(request: string): Promise<string> {
      const { port } = app.app.getHttpServer().address() as { port: number };
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(request));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk)).on('end', () => resolve(answer)).on('error', reject);
      });
    }

    it('headers over 16 KB are 431 with the error body', async () => {
      const answer = await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1.1 431 /);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toBe('HEADERS_TOO_LARGE');
    });

    it('a request that is not HTTP is 400 with the error body', async () => {
      const answer = await raw('HELLO THERE\r\n\r\n');
      expect(answer).toMatch(/^HTTP\/1.1 400 /);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('/metrics', () => {
    it('asks for the metrics token', async () => {
      expect((await app.http.get('/metrics').expect(401)).body.error.code).toBe('UNAUTHENTICATED');
      expect((await app.http.get('/metrics').set('Authorization', 'Bearer scrape-mf').expect(401)).body.error.code).toBe('UNAUTHENTICATED');
      expect((await app.http.get('/metrics').set(admin).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
      expect((await app.http.get('/metrics').set('Authorization', 'Bearer scrape-me').expect(200)).text).toContain('http_request_duration_seconds');
    });
  });

  describe('/health', () => {
    it('tells anonymous callers only ok, degraded or down per component; admins see what is wrong', async () => {
      await app.app.get(EVENT_STORE).appendToStream(`tick-${randomUUID()}`, [{ id: randomUUID(), type: 'Tick', data: { n: 'poison' } }]);
      const anonymous = await eventually(async () => {
        const response = await app.http.get('/health');
        return response.status === 503 ? response : null;
      });
      expect(anonymous.body).toEqual({
        status: 'degraded',
        details: { database: { status: 'ok' }, eventStore: { status: 'ok' }, projections: { status: 'degraded' } },
      });
      const detailed = await app.http.get('/health').set(admin).expect(503);
      expect(detailed.body.details.projections).toMatchObject({ status: 'degraded', halted: [{ name: 'tick_counts', lastError: expect.any(String) }] });
    });
  });
});

describe('HTTP hardening: settings', () => {
  it('CORS_ORIGINS lets exactly those origins call from a browser', async () => {
    const app = await startTestApp({ imports: MODULES, env: { CORS_ORIGINS: 'https://app.example, https://ops.example' } });
    try {
      const allowed = await app.http.options('/health').set('Origin', 'https://ops.example').set('Access-Control-Request-Method', 'GET');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://ops.example');
      const refused = await app.http.options('/health').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('METRICS_PORT serves /metrics on a port of its own without a token, and the api port no longer does', async () => {
    const app = await startTestApp({ imports: MODULES, env: { METRICS_PORT: '0' } });
    try {
      const port = app.app.get(MetricsServer).port()!;
      const text = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port, path: '/metrics' }, (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk)).on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        })
          .on('error', reject)
          .end();
      });
      expect(text.status).toBe(200);
      expect(text.body).toContain('projection_lag_events');
      await app.http.get('/metrics').set('Authorization', 'Bearer anything').expect(404);
    } finally {
      await app.close();
    }
  });

  it('HEALTH_DETAILS=true shows the details to everyone', async () => {
    const app = await startTestApp({ imports: MODULES, env: { HEALTH_DETAILS: 'true' } });
    try {
      const response = await app.http.get('/health').expect(200);
      expect(response.body).toEqual({ status: 'ok', details: { database: { status: 'ok' }, eventStore: { status: 'ok' }, projections: { status: 'ok' } } });
    } finally {
      await app.close();
    }
  });
});

describe('HTTP hardening: a database outage', () => {
  it('answers 503 SERVICE_UNAVAILABLE with Retry-After, names no host, and recovers when the database is back', async () => {
    const database = await createTestDatabase('outage');
    const server = new URL(database.url);
    const proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port) });
    const app = await startTestApp({
      imports: MODULES,
      projections: [countingProjection()],
      database: { ...database, url: proxy.rewrite(database.url) },
    });
    try {
      const stream = randomUUID();
      await app.http.post(`/test-ticks/${stream}`).send({ n: 1 }).expect(201);
      await proxy.cut();
      const command = await app.http.post(`/test-ticks/${stream}`).send({ n: 1 });
      expect(command.status).toBe(503);
      expect(command.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(command.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.stringify(command.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|\d{4,5}/);
      const query = await app.http.get(`/test-ticks/${stream}`);
      expect(query.status).toBe(503);
      expect(query.body.error.code).toBe('SERVICE_UNAVAILABLE');
      const health = await app.http.get('/health').expect(503);
      expect(health.body).toEqual({ status: 'down', details: { database: { status: 'down' }, eventStore: { status: 'down' }, projections: { status: 'down' } } });
      await proxy.restore();
      await eventually(async () => (await app.http.post(`/test-ticks/${stream}`).send({ n: 1 })).status === 201);
      await app.http.get('/health').expect(200);
    } finally {
      await app.close({ keepDatabase: true });
      await proxy.stop();
      await database.drop();
    }
  });
});
