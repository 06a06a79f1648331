import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Logger } from 'pino';
import { type HttpRequest, type HttpResponse, replyJson, setHeader, urlOf } from './adapter';
import { toErrorResponse } from './errors';

/** At most one log line per error code per window for the 503s any client can cause at will. */
const UNAVAILABLE_LOG_WINDOW_MS = 10_000;

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly unavailableLogged = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<HttpResponse>();
    const { status, body, headers } = toErrorResponse(exception);
    const request = http.getRequest<HttpRequest>();
    if (status === 503) this.logUnavailable(body.error.code, exception, request);
    else if (status >= 500) this.logger.error({ err: exception, method: request.method, url: urlOf(request) }, 'request failed');
    for (const [name, value] of Object.entries(headers)) setHeader(response, name, value);
    // An endpoint's @Header('Content-Type') was set before it threw: the error body is JSON all the same.
    setHeader(response, 'Content-Type', 'application/json; charset=utf-8');
    replyJson(response, status, body);
  }

  /**
   * A lagging read model or an outage is not a bug: one info line without a stack, and no more
   * than one per code per window however many requests hit it (`?after=ffff…` costs a client
   * nothing), with how many were left out.
   */
  private logUnavailable(code: string, exception: unknown, request: HttpRequest): void {
    const now = this.now();
    const last = this.unavailableLogged.get(code);
    if (last && now - last.at < UNAVAILABLE_LOG_WINDOW_MS) {
      last.suppressed += 1;
      return;
    }
    this.unavailableLogged.set(code, { at: now, suppressed: 0 });
    const reason = exception instanceof Error ? exception.message : String(exception);
    this.logger.info(
      { code, reason, method: request.method, url: urlOf(request), suppressedSinceLast: last?.suppressed ?? 0 },
      'request answered 503',
    );
  }
}
