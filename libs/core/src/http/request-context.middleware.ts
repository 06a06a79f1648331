import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { newContext, runWithContext } from '../context/request-context';
import type { PlatformMetrics } from '../observability/metrics';
import { toErrorResponse, ValidationFailedError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A client's correlation id goes into the metadata of every event the request writes: keep it small and plain. */
export const CORRELATION_ID = /^[A-Za-z0-9._:\/+=-]{1,128}$/;

/**
 * Gives every request its correlation id and trace key (from `X-Trace-Key`, or a new one, echoed
 * back), runs the rest of the request inside that context so every event it writes carries them,
 * and on finish writes one log line and one histogram sample.
 */
export function requestContextMiddleware(logger: Logger, metrics: PlatformMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const traceKey = request.header('x-trace-key');
    const clientCorrelationId = request.header('x-correlation-id');
    const refused: Record<string, string[]> | null =
      traceKey !== undefined && !UUID.test(traceKey)
        ? { 'X-Trace-Key': ['must be a UUID'] }
        : clientCorrelationId !== undefined && !CORRELATION_ID.test(clientCorrelationId)
          ? { 'X-Correlation-Id': ['must be 1 to 128 letters, digits or . _ : / + = -'] }
          : null;
    if (refused) {
      const { status, body } = toErrorResponse(new ValidationFailedError(`Invalid header: ${Object.keys(refused)[0]}`, refused));
      response.status(status).json(body);
      return;
    }
    const correlationId = clientCorrelationId ?? randomUUID();
    const context = newContext({ correlationId, traceKey: traceKey?.toLowerCase() });
    response.setHeader('X-Trace-Key', context.traceKey);
    response.setHeader('X-Correlation-Id', context.correlationId);
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.httpDuration.observe({ method: request.method, route, status: String(response.statusCode) }, seconds);
      logger.info(
        {
          method: request.method,
          url: request.originalUrl,
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
