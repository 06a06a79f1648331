import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { newContext, runWithContext } from '../context/request-context';
import type { PlatformMetrics } from '../observability/metrics';
import { endJson, headerOf } from './adapter';
import { toErrorResponse, ValidationFailedError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A client's correlation id goes into the metadata of every event the request writes: keep it small and plain. */
export const CORRELATION_ID = /^[A-Za-z0-9._:\/+=-]{1,128}$/;

/** Where an adapter without Express's `request.route` (Fastify) leaves the matched route's path on Node's request, for the metrics. */
export const ROUTE_PATH = Symbol('routePath');

type RoutedRequest = IncomingMessage & { originalUrl?: string; route?: { path?: string }; [ROUTE_PATH]?: string };

/**
 * Gives every request its correlation id and trace key (from `X-Trace-Key`, or a new one, echoed
 * back), runs the rest of the request inside that context so every event it writes carries them,
 * and on finish writes one log line and one histogram sample.
 */
export function requestContextMiddleware(logger: Logger, metrics: PlatformMetrics) {
  return (request: RoutedRequest, response: ServerResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    const traceKey = headerOf(request, 'x-trace-key');
    const clientCorrelationId = headerOf(request, 'x-correlation-id');
    const refused: Record<string, string[]> | null =
      traceKey !== undefined && !UUID.test(traceKey)
        ? { 'X-Trace-Key': ['must be a UUID'] }
        : clientCorrelationId !== undefined && !CORRELATION_ID.test(clientCorrelationId)
          ? { 'X-Correlation-Id': ['must be 1 to 128 letters, digits or . _ : / + = -'] }
          : null;
    if (refused) {
      const { status, body } = toErrorResponse(new ValidationFailedError(`Invalid header: ${Object.keys(refused)[0]}`, refused));
      endJson(response, status, body);
      return;
    }
    const correlationId = clientCorrelationId ?? randomUUID();
    const context = newContext({ correlationId, traceKey: traceKey?.toLowerCase() });
    response.setHeader('X-Trace-Key', context.traceKey);
    response.setHeader('X-Correlation-Id', context.correlationId);
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = request.route?.path ?? request[ROUTE_PATH] ?? 'unmatched';
      metrics.httpDuration.observe({ method: request.method, route, status: String(response.statusCode) }, seconds);
      logger.info(
        {
          method: request.method,
          url: request.originalUrl ?? request.url,
          status: response.statusCode,
          ms: Math.round(seconds * 1e4) / 10,
          correlationId: context.correlationId,
          traceKey: context.traceKey,
          userId: context.userId,
        },
        'request',
      );
    });
    runWithContext(context, next);
  };
}
