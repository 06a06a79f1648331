import { randomUUID } from 'node:crypto';
import { bearer, Staff, startPlatform } from './fixtures/identity.fixture';
import { type Exchange, ResponseConformance } from './support/response-conformance';
import type { TestApp } from './support/test-app';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'x-trace-key': randomUUID(), 'x-correlation-id': 'c-1' };

function exchange(partial: Partial<Exchange> & Pick<Exchange, 'method' | 'url' | 'status'>): Exchange {
  return { headers: JSON_HEADERS, body: '', ...partial };
}

function error(code: string, details: Record<string, unknown> = {}): string {
  return JSON.stringify({ error: { code, message: 'm', details } });
}

/**
 * The response-conformance check that every e2e suite runs (test/support/test-app.ts): it must
 * catch what a client generated from the document would trip on, and accept what it would not.
 */
describe('response conformance: every response of the e2e suites is checked against /docs-json', () => {
  let platform: TestApp;
  let check: ResponseConformance;
  let admin: { token: string };

  beforeAll(async () => {
    platform = await startPlatform();
    admin = (await Staff.of(platform.http)).admin;
    check = new ResponseConformance((await platform.http.get('/docs-json').expect(200)).body);
  });
  afterAll(() => platform?.close());

  it('checks the responses of the test app itself, as they were sent', async () => {
    const before = platform.conformance.checked;
    await platform.http.get('/health').expect(200);
    await platform.http.get('/tasks').set(bearer(admin)).expect(200);
    await platform.http.get('/no-such-route').expect(404);
    expect(platform.conformance.checked - before).toBe(3);
    expect(platform.conformance.violations).toEqual([]);
  });

  it('accepts answers the document declares', () => {
    expect(check.check(exchange({ method: 'GET', url: '/tasks?limit=5', status: 200, body: JSON.stringify({ items: [], nextCursor: null }) }))).toEqual([]);
    expect(check.check(exchange({ method: 'POST', url: '/tasks', status: 400, body: error('VALIDATION_FAILED', { fields: { title: ['must not be blank'] } }) }))).toEqual([]);
    expect(
      check.check(exchange({ method: 'GET', url: '/tasks/mine', status: 503, headers: { ...JSON_HEADERS, 'retry-after': '1' }, body: error('READ_MODEL_LAGGING') })),
    ).toEqual([]);
    expect(check.check(exchange({ method: 'GET', url: '/no-such-route', status: 404, body: error('NOT_FOUND') }))).toEqual([]);
  });

  it('refuses a status the operation does not declare', () => {
    expect(check.check(exchange({ method: 'GET', url: '/tasks', status: 418, body: error('TEAPOT') }))).toEqual([
      expect.stringContaining('status 418 is not declared'),
    ]);
  });

  it('refuses a body that does not match its schema, or an error that is not the error body', () => {
    expect(check.check(exchange({ method: 'GET', url: '/tasks', status: 200, body: JSON.stringify({ items: 'none' }) }))[0]).toMatch(/does not match the declared schema/);
    expect(check.check(exchange({ method: 'GET', url: '/tasks', status: 400, body: JSON.stringify({ message: 'bad', statusCode: 400 }) }))[0]).toMatch(
      /does not match the declared schema/,
    );
    expect(check.check(exchange({ method: 'GET', url: '/tasks', status: 400, headers: { 'content-type': 'text/html' }, body: '<pre>Bad</pre>' }))[0]).toMatch(
      /content type "text\/html" is not declared/,
    );
    expect(check.check(exchange({ method: 'GET', url: '/nowhere', status: 404, headers: { 'content-type': 'text/html' }, body: 'Cannot GET' }))[0]).toMatch(
      /an error that is not JSON/,
    );
  });

  it('refuses an error code the operation does not declare for that status', () => {
    expect(check.check(exchange({ method: 'POST', url: '/tasks', status: 422, body: error('SOMETHING_ELSE') }))[0]).toMatch(/must be equal to one of the allowed values/);
  });

  it('refuses a 503 without Retry-After, and a malformed X-Trace-Key', () => {
    expect(check.check(exchange({ method: 'GET', url: '/tasks', status: 503, body: error('SERVICE_UNAVAILABLE') }))).toEqual([
      expect.stringContaining('header Retry-After is declared required but missing'),
    ]);
    expect(check.check(exchange({ method: 'GET', url: '/health', status: 200, headers: { ...JSON_HEADERS, 'x-trace-key': 'nope' }, body: '{}' }))).toEqual(
      expect.arrayContaining([expect.stringContaining('header X-Trace-Key')]),
    );
  });

  it('matches a literal path before a parameter, as the router does', () => {
    // /tasks/mine is its own operation, not GET /tasks/{taskId} with taskId "mine".
    const problems = check.check(exchange({ method: 'GET', url: '/tasks/mine', status: 404, body: error('NOT_FOUND') }));
    expect(problems[0]).toContain('GET /tasks/mine (tasksMine)');
  });
});
