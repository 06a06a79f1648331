import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiQuery, ApiResponse } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { Request } from 'express';
import { type Observable, from, switchMap } from 'rxjs';
import { decodePosition } from '@app/eventstore';
import type { PlatformConfig } from '../config/config';
import { ConsistencyWaiter } from '../projections/consistency';
import { PLATFORM_CONFIG } from '../nest/tokens';

const READS_FROM = Symbol('READS_FROM');

/**
 * Marks a query endpoint with the projections it reads. It then accepts `?after=<position>` and
 * answers only once those projections have processed that position (or 503 READ_MODEL_LAGGING).
 */
export function ReadsFrom(...projections: string[]) {
  return applyDecorators(
    SetMetadata(READS_FROM, projections),
    ApiQuery({ name: 'after', required: false, description: 'Wait until the read model has processed this position' }),
    ApiResponse({ status: 503, description: 'READ_MODEL_LAGGING: the read model did not reach `after` in time' }),
  );
}

/** Query DTOs extend this so the global whitelist lets `after` through. */
export class ConsistentQuery {
  @IsOptional()
  @IsString()
  after?: string;
}

@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly waiter: ConsistencyWaiter,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const projections = this.reflector.get<string[] | undefined>(READS_FROM, context.getHandler());
    if (!projections || context.getType() !== 'http') return next.handle();
    const after = context.switchToHttp().getRequest<Request>().query.after;
    if (after === undefined) return next.handle();
    const position = String(after);
    decodePosition(position);
    return from(this.waiter.waitFor(projections, position, this.config.consistencyTimeoutMs)).pipe(switchMap(() => next.handle()));
  }
}
