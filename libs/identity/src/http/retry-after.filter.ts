import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { toErrorResponse } from '@app/core';
import { BeakHashingBusy, TooManyAttempts } from '../domain/identity.errors';

/**
 * 429 TOO_MANY_ATTEMPTS and 503 SERVICE_UNAVAILABLE from the login limits, with the Retry-After
 * header they promise; the body is the platform's error body. Neither is an error of the server,
 * so neither is logged as one.
 */
@Catch(TooManyAttempts, BeakHashingBusy)
export class RetryAfterFilter implements ExceptionFilter {
  catch(error: TooManyAttempts | BeakHashingBusy, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body, headers } = toErrorResponse(error);
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.setHeader('Retry-After', String(error.retryAfterSeconds));
    response.status(status).json(body);
  }
}
