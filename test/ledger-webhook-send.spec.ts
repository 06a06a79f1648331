import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { retryAfterMs, sendWebhook, signature } from '../libs/ledger/src/application/webhooks/send-webhook';

/** One attempt of a webhook delivery against a real HTTP server: what each kind of answer, or none, comes to. */
describe('ledger: one webhook attempt', () => {
  let server: Server;
  let url: string;
  let answer: (response: ServerResponse, path: string) => void;
  const paths: string[] = [];
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      paths.push(request.url ?? '');
      request.resume();
      request.on('end', () => answer(response, request.url ?? ''));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const response of held) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const attempt = (path = '/hook', timeoutMs = 5000) =>
    sendWebhook({ url: `${url}${path}`, secret: 's', deliveryId: 'd-1', body: '{"a":1}', at: new Date('2026-11-02T09:00:00.000Z'), timeoutMs, signal: new AbortController().signal });

  it('signs the exact body: sha256= and the hex HMAC-SHA256 with the secret', () => {
    // As `printf '{"a":1}' | openssl dgst -sha256 -hmac s` computes it.
    expect(signature('s', '{"a":1}')).toBe('sha256=37beaf650f70b40ec9706929c2e9d835cbd63729988f48781e6383a147215f07');
    expect(signature('s', '{"a":1}')).not.toBe(signature('s', '{"a": 1}'));
  });

  it('a 2xx is delivered without waiting for a body that never ends', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
      held.push(response);
    };
    expect(await attempt('/hook', 60_000)).toEqual({ delivered: true, httpStatus: 200 });
  });

  it('a redirect is not followed and fails at once', async () => {
    answer = (response) => response.writeHead(302, { location: `${url}/elsewhere` }).end();
    paths.length = 0;
    expect(await attempt()).toEqual({ delivered: false, error: 'HTTP 302', retryable: false, retryAfterMs: null });
    expect(paths).toEqual(['/hook']);
  });

  it('a 503 with Retry-After is retried when it asks; a 404 is not retried', async () => {
    answer = (response) => response.writeHead(503, { 'retry-after': '7' }).end();
    expect(await attempt()).toEqual({ delivered: false, error: 'HTTP 503', retryable: true, retryAfterMs: 7000 });
    answer = (response) => response.writeHead(404).end();
    expect(await attempt()).toEqual({ delivered: false, error: 'HTTP 404', retryable: false, retryAfterMs: null });
  });

  it('no answer within the timeout is retried', async () => {
    answer = (response) => void held.push(response);
    expect(await attempt('/hook', 200)).toEqual({ delivered: false, error: 'no answer within 200 ms', retryable: true, retryAfterMs: null });
  });

  it('a refused connection is retried; a port the HTTP client never connects to is not, and the URL is not in the error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const signal = new AbortController().signal;
    const at = new Date();
    expect(await sendWebhook({ url: `http://127.0.0.1:${port}/x`, secret: 's', deliveryId: 'd', body: '{}', at, timeoutMs: 5000, signal })).toEqual({
      delivered: false,
      error: 'ECONNREFUSED',
      retryable: true,
      retryAfterMs: null,
    });
    const badPort = await sendWebhook({ url: 'http://127.0.0.1:6000/x', secret: 's', deliveryId: 'd', body: '{}', at, timeoutMs: 5000, signal });
    expect(badPort).toMatchObject({ delivered: false, retryable: false });
    expect(JSON.stringify(badPort)).not.toContain('127.0.0.1');
  });

  it('reads Retry-After as whole seconds or an HTTP date, at most a day, and nothing else', () => {
    const now = new Date('1994-11-06T08:49:30.000Z');
    expect(retryAfterMs('5', now)).toBe(5000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(7000);
    expect(retryAfterMs('Sun, 06 Nov 1994 08:49:00 GMT', now)).toBe(0);
    expect(retryAfterMs('999999', now)).toBe(86_400_000);
    for (const odd of ['1.5', '-1', '+5', '', 'soon', '2026-11-02', 'Sunday, 06-Nov-94 08:49:37 GMT']) expect(retryAfterMs(odd, now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});
