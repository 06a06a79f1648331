import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { PlatformConfig } from '../config/config';
import { ErrorFilter } from '../http/error.filter';
import { HEADERS_TOO_LARGE, ValidationFailedError } from '../http/errors';
import { jsonBodyMiddleware } from '../http/json-body';
import { createApiDocument } from '../http/openapi';
import { ReadYourWritesInterceptor } from '../http/read-your-writes';
import { requestContextMiddleware } from '../http/request-context.middleware';
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
 * Everything global about the HTTP app, in one place that main.ts and the e2e tests share:
 * security headers, CORS, request context and logging, the body parser, validation, error bodies,
 * read-your-writes, OpenAPI at /docs, the web app at /. The app must be created with `HTTP_APP_OPTIONS`.
 */
export function configureHttpApp(app: INestApplication): void {
  const logger = app.get<Logger>(LOGGER);
  const config = app.get<PlatformConfig>(PLATFORM_CONFIG);
  const express = app.getHttpAdapter().getInstance() as { disable(setting: string): void; set(setting: string, value: unknown): void };
  express.disable('x-powered-by');
  // Behind a proxy the client's address is the proxy's unless the proxy is believed (TRUST_PROXY).
  if (config.trustProxy !== undefined) express.set('trust proxy', config.trustProxy);
  // No ETag, so no 304: an answer is current as of its read model (read-your-writes), not a cached copy.
  express.disable('etag');
  // The OpenAPI UI's inline script needs 'unsafe-inline'; nothing else does (the web app's scripts
  // are files of its own), so everywhere else a script must come from the app's own origin.
  const csp = (scripts: string[]) => helmet({ contentSecurityPolicy: { directives: { 'script-src': scripts, 'style-src': ["'self'", "'unsafe-inline'", 'https:'] } } });
  const strict = csp(["'self'"]);
  const docs = csp(["'self'", "'unsafe-inline'"]);
  app.use((request: Request, response: Response, next: NextFunction) => (/^\/docs(?:[/-]|$)/.test(request.path) ? docs : strict)(request, response, next));
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['X-Trace-Key', 'X-Correlation-Id', 'Retry-After', 'Idempotency-Hit'] });
  } else {
    // CORS is off: a preflight is answered, without any Access-Control header, so the browser refuses.
    app.use((request: Request, response: Response, next: NextFunction) => {
      if (request.method === 'OPTIONS') response.status(204).end();
      else next();
    });
  }
  answerMalformedRequests(app);
  app.use(requestContextMiddleware(logger, app.get(PlatformMetrics)));
  app.use(jsonBodyMiddleware({ maxBytes: config.httpBodyLimitBytes, maxDepth: config.httpBodyMaxDepth }));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter(logger));
  app.useGlobalInterceptors(new ReadYourWritesInterceptor(app.get(Reflector), app.get(ConsistencyWaiter), config));
  const document = createApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  serveWebApp(app, config.webDir, Object.keys(document.paths));
}

/**
 * What Node refuses before the app sees it (headers or a URL over 16 KB, a request line that is
 * not HTTP) gets the platform's error body too, instead of Node's bare answer.
 */
function answerMalformedRequests(app: INestApplication): void {
  const server = app.getHttpServer() as Server;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const [{ status, code }, reason] =
      error.code === 'HPE_HEADER_OVERFLOW' ? [HEADERS_TOO_LARGE, 'Request Header Fields Too Large'] : [ValidationFailedError, 'Bad Request'];
    const body = JSON.stringify({ error: { code, message: `${reason}: the request could not be read`, details: { reason: error.code ?? 'malformed request' } } });
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
