import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { type AbstractHttpAdapter, Reflector } from '@nestjs/core';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { getSwaggerAssetsAbsoluteFSPath } from '@nestjs/swagger/dist/swagger-ui';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { PlatformConfig } from '../config/config';
import { ErrorFilter } from '../http/error.filter';
import { HEADERS_TOO_LARGE, toErrorResponse, ValidationFailedError } from '../http/errors';
import { jsonBodyMiddleware } from '../http/json-body';
import { createApiDocument } from '../http/openapi';
import { ReadYourWritesGuard, ReadYourWritesPipe } from '../http/read-your-writes';
import { pathOf } from '../http/adapter';
import { requestContextMiddleware, ROUTE_PATH } from '../http/request-context.middleware';
import { staticFiles } from '../http/static-files';
import { createValidationPipe } from '../http/validation';
import { PlatformMetrics } from '../observability/metrics';
import { ConsistencyWaiter } from '../projections/consistency';
import { LOGGER, PLATFORM_CONFIG } from './tokens';
import { serveWebApp } from './web-app';

/**
 * Options for creating the HTTP app. Nest's own body parsers are off: `configureHttpApp` installs
 * the one body parser policy (JSON only, bounded size and depth, storable text).
 */
export const HTTP_APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

/**
 * The adapter for `NestFactory.create`: none for Express (Nest's default); for Fastify one that
 * believes the proxy as TRUST_PROXY says and answers what Node refuses with the platform's error
 * body (Fastify owns the server's clientError; a second listener would race its bare 400).
 */
export function createHttpAdapter(config: PlatformConfig): AbstractHttpAdapter | undefined {
  if (config.httpAdapter === 'express') return undefined;
  // Loaded only when asked for: an Express app never pays for Fastify's modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { FastifyAdapter } = require('@nestjs/platform-fastify') as typeof import('@nestjs/platform-fastify');
  return new FastifyAdapter({
    trustProxy: config.trustProxy as boolean | string | number | undefined,
    clientErrorHandler: answerClientError,
    // What Fastify's router refuses before any route runs (a path that is not valid percent-encoded
    // UTF-8) gets the platform's error body, as Express's 400 gets it through the error filter.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toErrorResponse(new ValidationFailedError('Bad Request: the path is not valid percent-encoded UTF-8', { path: [error.message] }));
      void reply.code(status).send(body);
    },
    // As Express routes: `/tasks/` and `/Tasks` are `/tasks`. A path parameter may be as long as
    // Express lets it be (the URL's own 16 KB bound): its endpoint's validation answers for it,
    // not Fastify's 414.
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 16 * 1024 },
  });
}

/**
 * Everything global about the HTTP app, in one place that main.ts and the e2e tests share:
 * security headers, CORS, request context and logging, the body parser, validation, error bodies,
 * read-your-writes, OpenAPI at /docs, the web app at /. The app must be created with `HTTP_APP_OPTIONS`.
 */
export function configureHttpApp(app: INestApplication): void {
  const logger = app.get<Logger>(LOGGER);
  const config = app.get<PlatformConfig>(PLATFORM_CONFIG);
  const adapter = app.getHttpAdapter();
  const fastify = adapter.getType() === 'fastify';
  if (fastify) {
    const instance = adapter.getInstance() as FastifyInstance;
    // The body parser policy runs as middleware, on Node's request; Fastify's own parsers would
    // read the body a second time, so the one parser left hands on what the middleware parsed.
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (request, _payload, done) => done(null, (request.raw as IncomingMessage & { body?: unknown }).body));
    // The metrics' route label: Fastify keeps the matched route on its own request, not Node's.
    instance.addHook('onRequest', (request, _reply, done) => {
      (request.raw as IncomingMessage & { [ROUTE_PATH]?: string })[ROUTE_PATH] = request.routeOptions.url;
      done();
    });
  } else {
    const express = adapter.getInstance() as { disable(setting: string): void; set(setting: string, value: unknown): void };
    express.disable('x-powered-by');
    // Behind a proxy the client's address is the proxy's unless the proxy is believed (TRUST_PROXY).
    if (config.trustProxy !== undefined) express.set('trust proxy', config.trustProxy);
    // No ETag, so no 304: an answer is current as of its read model (read-your-writes), not a cached copy.
    express.disable('etag');
  }
  // The OpenAPI UI's inline script needs 'unsafe-inline'; nothing else does (the web app's scripts
  // are files of its own), so everywhere else a script must come from the app's own origin.
  const csp = (scripts: string[]) => helmet({ contentSecurityPolicy: { directives: { 'script-src': scripts, 'style-src': ["'self'", "'unsafe-inline'", 'https:'] } } });
  const strict = csp(["'self'"]);
  const docs = csp(["'self'", "'unsafe-inline'"]);
  // Middleware sees Node's request and answer on either adapter.
  app.use((request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) =>
    (/^\/docs(?:[/-]|$)/.test(pathOf(request as never)) ? docs : strict)(request, response, next),
  );
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['X-Trace-Key', 'X-Correlation-Id', 'Retry-After', 'Idempotency-Hit'] });
  } else {
    // CORS is off: a preflight is answered, without any Access-Control header, so the browser refuses.
    app.use((request: IncomingMessage, response: ServerResponse, next: () => void) => {
      if (request.method === 'OPTIONS') {
        response.statusCode = 204;
        response.end();
      } else next();
    });
  }
  if (!fastify) (app.getHttpServer() as Server).on('clientError', answerClientError);
  app.use(requestContextMiddleware(logger, app.get(PlatformMetrics)));
  app.use(jsonBodyMiddleware({ maxBytes: config.httpBodyLimitBytes, maxDepth: config.httpBodyMaxDepth }));
  app.useGlobalPipes(createValidationPipe(), new ReadYourWritesPipe());
  app.useGlobalFilters(new ErrorFilter(logger));
  app.useGlobalGuards(new ReadYourWritesGuard(app.get(Reflector), app.get(ConsistencyWaiter), config));
  const document = createApiDocument(app);
  serveDocs(app, document);
  serveWebApp(app, config.webDir, Object.keys(document.paths));
}

/** The files of swagger-ui-dist that the OpenAPI UI's page loads (its init script is SwaggerModule's own route). */
const SWAGGER_UI_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png', 'favicon-16x16.png'];

/**
 * The OpenAPI UI at /docs and its document at /docs-json and /docs-yaml. SwaggerModule serves the
 * UI's files through the adapter's static files, which on Fastify need @fastify/static, whose
 * versions that @nestjs/swagger 11.4 and @nestjs/platform-fastify 11.2 accept do not meet: the
 * platform serves them itself, the same way on either adapter, and SwaggerModule gets an app
 * whose static files are those.
 */
function serveDocs(app: INestApplication, document: OpenAPIObject): void {
  app.use(staticFiles(getSwaggerAssetsAbsoluteFSPath(), { prefix: '/docs/', cacheControl: 'no-cache', files: SWAGGER_UI_FILES, notFound: false }));
  // Defined, not assigned: NestFactory's app is a Proxy, and an assignment through it lands on the app itself.
  const served = Object.defineProperty(Object.create(app) as INestApplication, 'useStaticAssets', { value: () => undefined });
  SwaggerModule.setup('docs', served, document, { jsonDocumentUrl: 'docs-json' });
}

/**
 * What Node refuses before the app sees it (headers or a URL over 16 KB, a request line that is
 * not HTTP) gets the platform's error body too, instead of Node's bare answer.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  const [{ status, code }, reason] =
    error.code === 'HPE_HEADER_OVERFLOW' ? [HEADERS_TOO_LARGE, 'Request Header Fields Too Large'] : [ValidationFailedError, 'Bad Request'];
  const body = JSON.stringify({ error: { code, message: `${reason}: the request could not be read`, details: { reason: error.code ?? 'malformed request' } } });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
