import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the platform's own HTTP code needs of a request and its answer, whichever adapter serves
 * them (HTTP_ADAPTER: Express or Fastify). Middleware (`app.use`) sees Node's own request and
 * answer on both (Fastify hands middleware the raw ones); guards, interceptors, filters and
 * handlers see the adapter's: Express's extend Node's, Fastify's wrap them (`raw`).
 */
export interface HttpRequest {
  method: string;
  url: string;
  originalUrl?: string;
  headers: IncomingHttpHeaders;
  query: Record<string, unknown>;
  body?: unknown;
  raw?: IncomingMessage;
}

/** Express's answer (a ServerResponse with `status`/`json`) or Fastify's reply (`raw`, `status`/`header`/`send`). */
export interface HttpResponse {
  statusCode: number;
  status(code: number): unknown;
  raw?: ServerResponse;
}

/** One header of a request: the first value when it came more than once, as Express's `header()` answers. */
export function headerOf(request: { headers: IncomingHttpHeaders }, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The path and query as the client sent them. */
export function urlOf(request: HttpRequest): string {
  return request.originalUrl ?? request.url;
}

/** The path without its query (Express's `request.path`). */
export function pathOf(request: HttpRequest): string {
  const url = urlOf(request);
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** Node's own request under an adapter's (for what middleware stored on it). */
export function rawRequestOf(request: HttpRequest | IncomingMessage): IncomingMessage {
  return (request as HttpRequest).raw ?? (request as IncomingMessage);
}

/** Sets a header on the answer, through the adapter's reply when there is one (Fastify sends its own headers over the raw ones). */
export function setHeader(response: HttpResponse, name: string, value: string): void {
  const reply = response as unknown as { header?: (name: string, value: string) => unknown; setHeader?: (name: string, value: string) => unknown };
  if (response.raw && reply.header) reply.header(name, value);
  else reply.setHeader!(name, value);
}

/** Answers `status` with `body` as JSON, through the adapter's reply. */
export function replyJson(response: HttpResponse, status: number, body: unknown): void {
  const reply = response as unknown as { send?: (body: unknown) => unknown; json?: (body: unknown) => unknown };
  response.status(status);
  if (response.raw && reply.send) reply.send(body);
  else reply.json!(body);
}

/** Answers `status` with `body` as JSON on Node's own answer (middleware, before any adapter's reply exists). */
export function endJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(text));
  response.end(text);
}
